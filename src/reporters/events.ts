// What the executor tells reporters. Reporters only render these; they never influence a run.
import type { Change } from '../plan/change.js';

/** How one task ended on one host. */
export enum HostStatus {
  /** Ran (or planned) and changed nothing. */
  OK = 'OK',
  /** Changed the host (in check mode: would change it). */
  CHANGED = 'CHANGED',
  /** `when` was false, or the host was excluded. */
  SKIPPED = 'SKIPPED',
  /** The task failed; the host stops unless `ignore_errors`. */
  FAILED = 'FAILED',
  /** The host could not be reached. */
  UNREACHABLE = 'UNREACHABLE',
  /** Check mode only: the task depends on an earlier change of this run that was planned, not applied; `reason` says which. */
  DEFERRED = 'DEFERRED',
}

export interface HostCounts {
  ok: number;
  changed: number;
  failed: number;
  unreachable: number;
  skipped: number;
  /** Times the host entered a block's `rescue` after a task of the block failed. */
  rescued: number;
  ignored: number;
  /** Tasks a check run could not judge before earlier changes are applied (never counted as ok). */
  deferred: number;
}

export type RunEvent =
  | { readonly event: 'play_start'; readonly play: string; readonly hosts: readonly string[]; readonly check: boolean }
  | { readonly event: 'batch_start'; readonly play: string; readonly hosts: readonly string[]; readonly index: number; readonly count: number }
  | { readonly event: 'task_start'; readonly task: string; readonly source: string; readonly handler: boolean; readonly hosts: readonly string[] }
  | {
      readonly event: 'host_result';
      readonly task: string;
      readonly host: string;
      readonly status: HostStatus;
      /** Loop item, when the task loops. */
      readonly item?: unknown;
      readonly msg?: string;
      /** The planned (or applied) changes, for --diff and plans. Absent under no_log. */
      readonly changes?: readonly Change[];
      /** Why nothing changed, or why the plan was deferred. */
      readonly reason?: string;
      readonly ignored?: boolean;
      readonly durationMs: number;
      /** The registered result, redacted under no_log; shown with -v. */
      readonly result?: Readonly<Record<string, unknown>>;
    }
  | { readonly event: 'task_end'; readonly task: string }
  | { readonly event: 'warning'; readonly message: string }
  | {
      readonly event: 'recap';
      readonly hosts: Readonly<Record<string, HostCounts>>;
      readonly durationMs: number;
      /** SSH sessions opened and commands run per host: the cost of the run on the wire. */
      readonly connections: Readonly<Record<string, { connections: number; commands: number }>>;
    };

export interface ReporterOptions {
  /** Show unified diffs of changes (--diff). */
  readonly diff: boolean;
  /** -v count. */
  readonly verbosity: number;
  readonly write: (text: string) => void;
}

export interface Reporter {
  handle(event: RunEvent): void;
  /** Flushes any live view; called once at the end of a run. */
  close(): Promise<void>;
}
