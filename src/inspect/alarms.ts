// Alarms: NOSPACE (the quota is reached, writes refused) and CORRUPT (a member's data differs from the
// others', found by etcd's corruption checks). Either needs someone now.
import { checkReport, type CheckReport, type Finding } from './check-report.js';
import type { ClusterAlarm } from './member-status.js';
import { Severity } from './severity.js';

export interface AlarmsData {
  readonly alarms: readonly ClusterAlarm[] | null;
}

const ADVICE: Readonly<Record<string, string>> = {
  NOSPACE: 'run recover-space.yml',
  CORRUPT: 'rebuild the member with replace-member.yml',
};

/** Pure: every alarm is critical; a list nobody could give is a check that could not run. */
export function judgeAlarms(alarms: readonly ClusterAlarm[] | null, error: string | null): CheckReport<AlarmsData> {
  if (alarms === null) return checkReport(`could not list the alarms: ${error ?? 'no answer'}`, [{ severity: Severity.ERROR, message: `no member listed the alarms: ${error ?? 'no answer'}` }], { alarms });
  const findings: Finding[] = alarms.map((a) => ({
    severity: Severity.CRITICAL,
    member: a.member,
    message: `alarm ${a.alarm} raised on ${a.member}${ADVICE[a.alarm] ? `: ${ADVICE[a.alarm]}` : ''}`,
  }));
  return checkReport(alarms.length === 0 ? 'no alarm' : `${alarms.length} alarm${alarms.length === 1 ? '' : 's'}: ${alarms.map((a) => `${a.alarm} on ${a.member}`).join(', ')}`, findings, { alarms });
}
