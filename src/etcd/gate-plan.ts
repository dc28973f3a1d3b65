// How a gate (a task that waits for a condition on the cluster) plans and waits, after wait_for: gather
// once; plan a no-op when the condition holds, else a RUN "wait until ..." that apply polls; deferred
// instead when earlier changes of this run were planned and not applied (a check run, a plan), since
// what the gate waits for is made by them and today's state says nothing about it.
import { ChangeAction, noop, type TaskPlan } from '../plan/change.js';
import type { ModuleContext } from '../modules/module.js';

export interface GateVerdict {
  /** What the gate waits for, as the end of "wait until ...", e.g. "every member is healthy". */
  readonly waitsFor: string;
  /** What keeps the gate shut now; empty when it passes. */
  readonly problems: readonly string[];
  /** The no-op reason when it passes now. */
  readonly passed: string;
  readonly timeoutSeconds: number;
  /** The change's target, e.g. `etcd cluster health`. */
  readonly target: string;
  readonly result?: Readonly<Record<string, unknown>>;
}

/** "3 earlier changes of this run not applied yet (n4: member n4, ...)", or undefined when there are none. */
export function unappliedSummary(ctx: Pick<ModuleContext, 'unappliedChanges'>): string | undefined {
  const changes = ctx.unappliedChanges;
  if (changes.length === 0) return undefined;
  // By host (stable: each host's in run order), so the text does not depend on which host answered first.
  const byHost = [...changes].sort((x, y) => x.host.localeCompare(y.host));
  const shown = byHost.slice(0, 2).map((c) => `${c.host}: ${c.target.split('\n')[0]}`);
  const more = changes.length > shown.length ? `, ${changes.length - shown.length} more` : '';
  return `${changes.length} earlier change${changes.length > 1 ? 's' : ''} of this run not applied yet (${shown.join(', ')}${more})`;
}

export function planGate(ctx: Pick<ModuleContext, 'unappliedChanges'>, gate: GateVerdict): TaskPlan {
  const now = gate.problems.length > 0 ? ` (now: ${gate.problems.join('; ')})` : '';
  const unapplied = unappliedSummary(ctx);
  if (unapplied !== undefined) return { changes: [], deferred: `waits until ${gate.waitsFor}, judged after ${unapplied}${now}`, result: gate.result };
  if (gate.problems.length === 0) return noop(gate.passed, gate.result);
  return {
    changes: [{ action: ChangeAction.RUN, target: gate.target, reason: `wait until ${gate.waitsFor} (up to ${gate.timeoutSeconds} s)${now}` }],
    result: gate.result,
  };
}

export interface PollOutcome<T> {
  readonly state: T;
  readonly problems: readonly string[];
  readonly waitedMs: number;
  readonly checks: number;
}

/** Reads `state` until it has no problem or the deadline passes (no fixed sleeps beyond `intervalMs` between reads). */
export async function pollGate<T>(options: {
  readonly timeoutMs: number;
  readonly intervalMs: number;
  /** `remainingMs`: time left before the deadline, to bound one read. */
  readonly read: (remainingMs: number) => Promise<T>;
  readonly problems: (state: T) => readonly string[];
}): Promise<PollOutcome<T>> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  for (let checks = 1; ; checks++) {
    const state = await options.read(deadline - Date.now());
    const problems = options.problems(state);
    if (problems.length === 0 || Date.now() >= deadline) return { state, problems, waitedMs: Date.now() - started, checks };
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
}
