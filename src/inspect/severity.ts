// How bad a finding is, and the exit code a whole inspection turns into, so cron can alert on it.
import { ExitCode } from '../errors/exit-code.js';

export enum Severity {
  /** Nothing to report. */
  OK = 'OK',
  /** Worth knowing; nothing to do. */
  INFO = 'INFO',
  /** Needs attention before it becomes an outage. */
  WARNING = 'WARNING',
  /** Needs attention now. */
  CRITICAL = 'CRITICAL',
  /** The check could not run, so its answer is unknown. */
  ERROR = 'ERROR',
}

const RANK: Readonly<Record<Severity, number>> = {
  [Severity.OK]: 0,
  [Severity.INFO]: 1,
  [Severity.WARNING]: 2,
  [Severity.CRITICAL]: 3,
  [Severity.ERROR]: 4,
};

export function worstSeverity(severities: readonly Severity[]): Severity {
  return severities.reduce((worst, s) => (RANK[s] > RANK[worst] ? s : worst), Severity.OK);
}

/** 0 when all is fine, 2 for a finding at warning level or worse, 1 when a check could not run. */
export function exitCodeFor(severity: Severity): ExitCode {
  if (severity === Severity.ERROR) return ExitCode.ERROR;
  // 2 is also what ansible-playbook returns for a failed host: wrappers already alert on it.
  return RANK[severity] >= RANK[Severity.WARNING] ? ExitCode.HOST_FAILED : ExitCode.OK;
}
