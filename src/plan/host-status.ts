// How one task ended on one host: the status every entry of a run record carries, rendered by reporters
// and by plans alike.

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
  /** Check mode only: the task depends on an earlier change of this run that was planned, not applied; `deferredUntil` says which. */
  DEFERRED = 'DEFERRED',
}
