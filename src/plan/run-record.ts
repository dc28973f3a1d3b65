// The run record: what a run did (or, in check mode, would do), per host and task, as typed data. The
// executor fills it and returns it; reporters subscribe to its entries and render them; a plan is the
// record of a check-mode run. Nothing here touches a host or a terminal.
import type { Change } from './change.js';
import { HostStatus } from './host-status.js';

/** One task's outcome on one host (one per loop item when the task loops). */
export interface TaskRecord {
  readonly host: string;
  readonly task: string;
  readonly status: HostStatus;
  /** Loop item (or its `loop_control.label`), when the task loops. */
  readonly item?: unknown;
  readonly msg?: string;
  /** The planned (or applied) changes. Empty for a no-op; absent content under no_log. */
  readonly changes: readonly Change[];
  /** Why nothing changed, why a task was skipped, or why it failed. */
  readonly reason?: string;
  /** DEFERRED only: what must be applied first before the task can be judged. */
  readonly deferredUntil?: string;
  readonly ignored?: boolean;
  readonly durationMs: number;
  /** The registered result, redacted under no_log. */
  readonly result?: Readonly<Record<string, unknown>>;
}

export type RecordListener = (entry: TaskRecord) => void;

/** The entries of one run, in the order they happened; subscribers see each entry as it is added. */
export class RunRecord {
  private readonly added: TaskRecord[] = [];
  private readonly listeners: RecordListener[] = [];

  get entries(): readonly TaskRecord[] {
    return this.added;
  }

  subscribe(listener: RecordListener): void {
    this.listeners.push(listener);
  }

  add(entry: TaskRecord): void {
    this.added.push(entry);
    for (const listener of this.listeners) listener(entry);
  }
}

/** Whether an entry did not change anything and is not waiting for anything: it counts as unchanged. */
export function isUnchanged(entry: Pick<TaskRecord, 'status'>): boolean {
  return entry.status === HostStatus.OK || entry.status === HostStatus.SKIPPED;
}
