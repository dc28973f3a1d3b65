// The one applier: carries out a plan's changes by running the effect each change carries (its script,
// with its bytes on standard input), in order, and stops at the first that fails. Nothing is re-read or
// re-rendered here: what runs is what was planned.
import { ChangeAction, type TaskPlan } from '../plan/change.js';
import type { ApplyContext, ApplyResult } from '../modules/module.js';

export async function applyChanges(plan: TaskPlan, ctx: ApplyContext): Promise<ApplyResult> {
  const changes = plan.changes.filter((c) => c.action !== ChangeAction.NOOP);
  let changed = false;
  for (const change of changes) {
    if (!change.effect) throw new Error(`${change.target}: the planned change carries no effect to apply (a bug in the module that planned it)`);
    const { script, stdin } = change.effect;
    const out = await ctx.connection.exec(script, { become: ctx.become, ...(stdin === undefined ? {} : { stdin }) });
    if (out.code !== 0) return { changed, failed: true, msg: `${change.target}: ${out.stderr.trim()}`, result: plan.result };
    changed = true;
  }
  return { changed, result: plan.result };
}
