// What the executor tells reporters. Reporters only render these; they never influence a run.
import type { ConnectionStats } from '../connection/connection.js';
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

/**
 * Where a run's time went, in milliseconds, so a slow run says whether it was start-up, loading, the
 * wire or the control node (`-vv`, and `phases` in the JSON recap). Hosts work in parallel, so the wire
 * figures are the slowest host's, and the run is not their sum.
 */
export interface RunPhases {
  /** Node starting and loading etcdops' code, until the command began. */
  readonly startMs?: number;
  /** Reading and checking the inventory, the playbook, its templates and variables, before any host is contacted. */
  readonly loadMs?: number;
  /** The run, from its first task to this recap (= durationMs). */
  readonly runMs: number;
  /** The slowest host's SSH handshake. */
  readonly connectMs: number;
  /** The longest any one host waited on its remote commands, summed over its commands. */
  readonly remoteMs: number;
  /** Control-node CPU time during the run, every host's templating, planning and SSH crypto together. */
  readonly cpuMs: number;
  /** Of the run, the time reporters took to show its events. */
  readonly reportMs: number;
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
      readonly connections: Readonly<Record<string, ConnectionStats>>;
      readonly phases: RunPhases;
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
