// A plan is data (after Terraform's plans): what would change on a host, with before/after and a reason.
// The executor applies plans; reporters print them; nothing here touches a host.

/** The kind of change a task would make to one target. */
export enum ChangeAction {
  /** Nothing to do: the target already matches. */
  NOOP = 'NOOP',
  /** The target does not exist yet and will be created. */
  CREATE = 'CREATE',
  /** The target exists and will be modified in place. */
  UPDATE = 'UPDATE',
  /** The target will be removed and created anew. */
  REPLACE = 'REPLACE',
  /** The target will be removed. */
  DELETE = 'DELETE',
  /** A command runs; its effect cannot be known in advance. */
  RUN = 'RUN',
}

/**
 * What apply does for a change, decided while planning, so apply never works it out again (pyinfra's
 * "an operation is the commands it yields").
 */
export interface ChangeEffect {
  /** The POSIX sh script apply runs on the host. */
  readonly script: string;
  /** The bytes the script reads on standard input (a file's new content): held in memory only, never recorded. */
  readonly stdin?: Buffer;
  /** sha256 (hex) of `stdin`; absent for sensitive content, whose hash could be guessed back. */
  readonly sha256?: string;
}

/** One change to one target (a file, a unit, a user, a member...). */
export interface Change {
  readonly action: ChangeAction;
  /** What is changed, e.g. `/etc/etcd/etcd.conf.yml` or `etcd.service`. */
  readonly target: string;
  /** Why this change is needed, in words a user can check. */
  readonly reason: string;
  /** Textual state before/after, for unified diffs (absent when not meaningful or secret). */
  readonly before?: string;
  readonly after?: string;
  /** True when before/after must never be shown (keys, tokens). */
  readonly sensitive?: boolean;
  /** What apply runs, for modules whose changes are carried out by the one applier. */
  readonly effect?: ChangeEffect;
}

/** The change as it is recorded, shown and saved: its effect without the bytes. */
export function recordedChange(change: Change): Change {
  if (change.effect?.stdin === undefined) return change;
  const { stdin: _bytes, ...effect } = change.effect;
  return { ...change, effect };
}

/** What one task plans on one host. An empty `changes` list is a no-op, and `reason` says why. */
export interface TaskPlan {
  readonly changes: readonly Change[];
  /** For a no-op: why nothing needs doing. */
  readonly reason?: string;
  /** Values the module returns without changing anything (registered with `register`). */
  readonly result?: Readonly<Record<string, unknown>>;
  /** Set when the plan cannot be known before earlier tasks ran (e.g. it depends on a registered result). */
  readonly deferred?: string;
  /** What the operator is shown beside the host's status when it is not the result's msg (debug's var). */
  readonly shown?: string;
}

export function isNoop(plan: TaskPlan): boolean {
  return plan.changes.every((c) => c.action === ChangeAction.NOOP);
}

export function noop(reason: string, result?: Record<string, unknown>): TaskPlan {
  return { changes: [], reason, result };
}
