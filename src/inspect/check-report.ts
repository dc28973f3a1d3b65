// The shape every check answers with: a severity, a one-line summary, findings, and the check's own data.

import { Severity, worstSeverity } from './severity.js';

export interface Finding {
  readonly severity: Severity;
  readonly message: string;
  /** The member the finding is about (inventory name), when it is about one: a label of the metrics. */
  readonly member?: string;
}

export interface CheckReport<Data> {
  /** The worst severity among the findings (OK when there are none). */
  readonly severity: Severity;
  readonly summary: string;
  readonly findings: readonly Finding[];
  readonly data: Data;
}

export function checkReport<Data>(summary: string, findings: readonly Finding[], data: Data): CheckReport<Data> {
  return { severity: worstSeverity(findings.map((f) => f.severity)), summary, findings, data };
}

/** A check that could not run at all. */
export function failedCheck(message: string): CheckReport<null> {
  return checkReport(`could not run: ${message}`, [{ severity: Severity.ERROR, message }], null);
}
