// A whole run's plan: per host and task, what would change. Serialisable (`plan --out`), comparable
// (`play --plan` refuses when the hosts drifted), and summarised in one line.
import { createHash } from 'node:crypto';
import { ChangeAction, type Change } from './change.js';
import { HostStatus } from './host-status.js';
import { isUnchanged, type TaskRecord } from './run-record.js';

/** A task of a plan: the fields of the check-mode run's record that say what would change. */
export type PlannedTask = Pick<TaskRecord, 'host' | 'task' | 'status' | 'changes' | 'reason' | 'deferredUntil'>;

export interface RunPlan {
  readonly version: 1;
  readonly playbook: string;
  /** The `-i` given, or every `-i` in order when there were several. */
  readonly inventory: string | readonly string[];
  /** The `-e` variables replay needs, secret ones left out. */
  readonly extraVars: Readonly<Record<string, unknown>>;
  /** Names of the secret `-e` variables: never stored, they must be given again to apply the plan. */
  readonly secretExtraVars?: readonly string[];
  readonly limit?: string;
  readonly tasks: readonly PlannedTask[];
}

/**
 * The plan is the record of a check-mode run. Nothing is applied while planning, so a later task that
 * writes what an earlier one already planned for the same target plans it again: it is counted once.
 */
export function planFromRecord(record: readonly TaskRecord[], header: Omit<RunPlan, 'version' | 'tasks'>): RunPlan {
  const tasks: PlannedTask[] = [];
  const planned = new Map<string, string>();
  for (const e of record) {
    const changes: Change[] = [];
    const repeats: string[] = [];
    for (const c of e.changes) {
      if (c.action === ChangeAction.NOOP) continue;
      const key = c.action === ChangeAction.RUN ? undefined : `${e.host}\0${c.target}\0${c.action}\0${c.after ?? ''}`;
      const earlier = key === undefined ? undefined : planned.get(key);
      if (earlier !== undefined) repeats.push(`${c.target}: already planned by "${earlier}"`);
      else {
        changes.push(c);
        if (key !== undefined) planned.set(key, e.task);
      }
    }
    const repeatOnly = changes.length === 0 && repeats.length > 0 && e.status === HostStatus.CHANGED;
    tasks.push({
      host: e.host,
      task: e.task,
      status: repeatOnly ? HostStatus.OK : e.status,
      changes,
      // A refusal (a failed pre-flight) is part of the plan: its message says why and what to do.
      reason: repeatOnly ? repeats.join('; ') : (e.reason ?? (e.status === HostStatus.FAILED ? e.msg : undefined)),
      ...(e.deferredUntil === undefined ? {} : { deferredUntil: e.deferredUntil }),
    });
  }
  return { version: 1, ...header, tasks };
}

export interface PlanSummary {
  readonly hosts: number;
  readonly toChange: number;
  readonly unchanged: number;
  /** Tasks that depend on an earlier change of the plan: judged only once it is applied. */
  readonly deferred: number;
  readonly failed: number;
}

export function summarisePlan(plan: RunPlan): PlanSummary {
  const changing = plan.tasks.filter((t) => t.status === HostStatus.CHANGED);
  return {
    hosts: new Set(plan.tasks.map((t) => t.host)).size,
    toChange: changing.reduce((n, t) => n + Math.max(1, t.changes.length), 0),
    unchanged: plan.tasks.filter(isUnchanged).length,
    deferred: plan.tasks.filter((t) => t.status === HostStatus.DEFERRED).length,
    failed: plan.tasks.filter((t) => t.status === HostStatus.FAILED || t.status === HostStatus.UNREACHABLE).length,
  };
}

/** A change's identity for drift detection: what it does to which target, and the content it expects. */
function fingerprint(task: PlannedTask): string {
  const digest = createHash('sha256');
  for (const c of task.changes) digest.update(`${c.action}\0${c.target}\0${c.before ?? ''}\0${c.after ?? ''}\0${c.effect?.sha256 ?? ''}\0`);
  return `${task.status}:${digest.digest('hex')}`;
}

export interface PlanDrift {
  readonly host: string;
  readonly task: string;
  readonly targets: readonly string[];
}

/** Where a fresh plan differs from a saved one: each host and task whose planned changes are not the same. */
export function planDrift(saved: RunPlan, fresh: RunPlan): PlanDrift[] {
  const key = (t: PlannedTask) => `${t.host}\0${t.task}`;
  const before = new Map(saved.tasks.map((t) => [key(t), t]));
  const after = new Map(fresh.tasks.map((t) => [key(t), t]));
  const drift: PlanDrift[] = [];
  for (const k of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(k);
    const b = after.get(k);
    if (a && b && fingerprint(a) === fingerprint(b)) continue;
    const targets = new Set([...(a?.changes ?? []), ...(b?.changes ?? [])].map((c) => c.target));
    drift.push({ host: (a ?? b)!.host, task: (a ?? b)!.task, targets: [...targets] });
  }
  return drift;
}
