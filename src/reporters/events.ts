// What the executor tells reporters. Reporters only render these; they never influence a run.
import type { TaskRecord } from '../plan/run-record.js';

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
  /** An entry of the run record, as the executor adds it. */
  | ({ readonly event: 'host_result' } & TaskRecord)
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
