// Learners: non-voting members catching up with the leader. One far behind cannot be promoted and would
// not help if the region it stands by for is needed; its lag is the leader's raft index minus its own.
import { checkReport, type CheckReport, type Finding } from './check-report.js';
import type { MemberStatus } from './member-status.js';
import { Severity } from './severity.js';

export const DEFAULT_LEARNER_LAG = 1000;

export interface LearnerLag {
  readonly member: string;
  readonly raftIndex: number;
  /** Leader's raft index minus the learner's; null when the leader is not known. */
  readonly lag: number | null;
}

export interface LearnersData {
  readonly maxLag: number;
  readonly leader: string | null;
  readonly learners: readonly LearnerLag[];
}

/** Pure: each learner's lag behind the leader, a warning past `maxLag` entries. */
export function judgeLearners(members: readonly MemberStatus[], maxLag: number): CheckReport<LearnersData> {
  const leaderIds = new Set(members.filter((m) => m.leaderId !== null && m.leaderId !== '0').map((m) => m.leaderId!));
  const leader = members.find((m) => m.memberId !== null && leaderIds.has(m.memberId)) ?? null;
  const learners = members
    .filter((m) => m.isLearner === true)
    .map((m) => ({ member: m.member, raftIndex: m.raftIndex!, lag: leader === null ? null : Math.max(0, leader.raftIndex! - m.raftIndex!) }));
  const data = { maxLag, leader: leader?.member ?? null, learners };
  const findings: Finding[] = [];
  for (const l of learners) {
    if (l.lag === null) findings.push({ severity: Severity.WARNING, member: l.member, message: `learner ${l.member}: no leader answered, so its lag is unknown` });
    else if (l.lag > maxLag) findings.push({ severity: Severity.WARNING, member: l.member, message: `learner ${l.member} is ${l.lag} raft entries behind the leader ${leader!.member}, more than ${maxLag}: check its network and disk before promoting it` });
  }
  if (learners.length === 0) return checkReport('no learner among the members that answered', findings, data);
  return checkReport(learners.map((l) => `learner ${l.member} ${l.lag === null ? 'lag unknown' : `${l.lag} behind`}`).join(', '), findings, data);
}
