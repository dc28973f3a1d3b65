// Spread across members (the "node key diff"): at the inspection's revision every member must count the
// same keys; every voter must have turned the same raft log into the same revisions (applied index minus
// revision is equal on healthy members, whenever each is read); and the raft indexes must stay close.
// A member whose figures stand apart from the others' is named; one that does not answer is a finding.
import { checkReport, type CheckReport, type Finding } from './check-report.js';
import type { MemberStatus } from './member-status.js';
import { Severity } from './severity.js';

export interface SpreadLimits {
  /** Largest key-count difference at one revision that is not a finding (0: counts must be equal). */
  readonly keyCount: number;
  /** Largest difference in revisions made from the same raft log (applied index minus revision) that is not a finding. */
  readonly revision: number;
  /** Largest distance of a voter's raft index from the others' that is not a finding. */
  readonly raftIndex: number;
}

// Two reads of a busy member a moment apart may see a write between the applied index and the revision.
export const DEFAULT_SPREAD_LIMITS: SpreadLimits = { keyCount: 0, revision: 10, raftIndex: 1000 };

export interface SpreadData {
  readonly revision: number;
  readonly limits: SpreadLimits;
  /** Largest minus smallest among the members that answered; null when fewer than one answered. */
  readonly keyCountSpread: number | null;
  readonly revisionSpread: number | null;
  readonly raftIndexSpread: number | null;
  readonly members: readonly MemberStatus[];
}

const spreadOf = (values: readonly number[]) => (values.length === 0 ? null : Math.max(...values) - Math.min(...values));

/** The value most members share (the larger on a tie), which a lone diverged member cannot be. */
function mostCommon(values: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]![0];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** Voters whose raft index is further than `limit` from the others' median: behind (slow disk, network) or ahead. */
function raftOutliers(voters: readonly MemberStatus[], limit: number): Finding[] {
  if (voters.length < 2) return [];
  const middle = median(voters.map((m) => m.raftIndex!));
  return voters
    .filter((m) => Math.abs(m.raftIndex! - middle) > limit)
    .map((m) => {
      const delta = m.raftIndex! - middle;
      return { severity: Severity.WARNING, member: m.member, message: `member ${m.member} is at raft index ${m.raftIndex}, ${Math.abs(delta)} ${delta > 0 ? 'ahead of' : 'behind'} the others (${middle}), more than ${limit}: check its disk and network` };
    });
}

/**
 * Voters that made a different number of revisions out of the same raft log: every write entry adds one
 * revision on every member, so applied index minus revision is the same on healthy ones. A member that
 * differs lost or gained writes (its data was restored or edited underneath etcd).
 */
function revisionDrift(voters: readonly MemberStatus[], limit: number): Finding[] {
  const known = voters.filter((m) => m.raftAppliedIndex !== null);
  if (known.length < 2) return [];
  const offset = (m: MemberStatus) => m.raftAppliedIndex! - m.revision!;
  const middle = median(known.map(offset));
  return known
    .filter((m) => Math.abs(offset(m) - middle) > limit)
    .map((m) => ({
      severity: Severity.CRITICAL,
      member: m.member,
      message: `member ${m.member} is at revision ${m.revision} after applying raft index ${m.raftAppliedIndex}: ${Math.abs(offset(m) - middle)} revisions ${offset(m) > middle ? 'fewer' : 'more'} than the others made from the same raft log, more than ${limit}: its data diverged (rebuild it with replace-member.yml)`,
    }));
}

/** Pure: the verdict on every member's figures at one revision. */
export function judgeSpread(revision: number, members: readonly MemberStatus[], limits: SpreadLimits): CheckReport<SpreadData> {
  const findings: Finding[] = [];
  for (const m of members) {
    if (m.revision === null) findings.push({ severity: Severity.CRITICAL, member: m.member, message: `member ${m.member} did not answer: ${m.error ?? 'no answer'}` });
    else if (m.keyCount === null) findings.push({ severity: Severity.WARNING, member: m.member, message: `member ${m.member}: ${m.error ?? 'no key count'}` });
  }
  const counted = members.filter((m) => m.keyCount !== null);
  const voters = members.filter((m) => m.revision !== null && m.isLearner !== true);
  const data: SpreadData = {
    revision,
    limits,
    keyCountSpread: spreadOf(counted.map((m) => m.keyCount!)),
    revisionSpread: spreadOf(voters.map((m) => m.revision!)),
    raftIndexSpread: spreadOf(voters.map((m) => m.raftIndex!)),
    members,
  };
  if (data.keyCountSpread !== null && data.keyCountSpread > limits.keyCount) {
    const usual = mostCommon(counted.map((m) => m.keyCount!));
    for (const m of counted.filter((c) => Math.abs(c.keyCount! - usual) > limits.keyCount)) {
      findings.push({
        severity: Severity.CRITICAL,
        member: m.member,
        message: `member ${m.member} counts ${m.keyCount} keys at revision ${revision} where the others count ${usual}: its data differs (rebuild it with replace-member.yml)`,
      });
    }
  }
  findings.push(...revisionDrift(voters, limits.revision));
  findings.push(...raftOutliers(voters, limits.raftIndex));
  const figure = (name: string, value: number | null) => `${name} ${value === null ? '-' : value}`;
  const summary = `spread across ${members.filter((m) => m.revision !== null).length} of ${members.length} members: ${figure('keys', data.keyCountSpread)}, ${figure('revision', data.revisionSpread)}, ${figure('raft index', data.raftIndexSpread)}`;
  return checkReport(summary, findings, data);
}
