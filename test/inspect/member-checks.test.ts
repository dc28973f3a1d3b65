// The checks that judge what members said about themselves: versions, learners, alarms; and zones.
import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { judgeAlarms } from '../../src/inspect/alarms.js';
import { judgeLearners } from '../../src/inspect/learner-lag.js';
import type { MemberStatus } from '../../src/inspect/member-status.js';
import { Severity } from '../../src/inspect/severity.js';
import { judgeVersions } from '../../src/inspect/version-skew.js';
import { judgeZones } from '../../src/inspect/zone-check.js';

const m = (member: string, version: string | null, extra: Partial<MemberStatus> = {}): MemberStatus => ({
  member,
  endpoint: `https://${member}:2379`,
  memberId: version === null ? null : `id-${member}`,
  version,
  revision: version === null ? null : 100,
  raftIndex: version === null ? null : 500,
  raftAppliedIndex: version === null ? null : 500,
  isLearner: version === null ? null : false,
  leaderId: version === null ? null : 'id-n1',
  keyCount: null,
  error: version === null ? 'connection refused' : null,
  ...extra,
});
const messages = (findings: readonly { severity: Severity; member?: string; message: string }[]) => findings.map((f) => [f.severity, f.member, f.message]);

describe('judgeVersions', () => {
  const table: { name: string; members: MemberStatus[]; allowed: 'none' | 'patch'; severity: Severity; findings: (string | undefined)[][] }[] = [
    { name: 'one version', members: [m('n1', '3.5.30'), m('n2', '3.5.30')], allowed: 'none', severity: Severity.OK, findings: [] },
    {
      name: 'patch skew, not allowed',
      members: [m('n1', '3.5.30'), m('n2', '3.5.16'), m('n3', '3.5.30')],
      allowed: 'none',
      severity: Severity.WARNING,
      findings: [[Severity.WARNING, 'n2', 'member n2 runs 3.5.16 where n1, n3 run 3.5.30: different patch releases: run upgrade.yml to align them, or accept with --allowed-version-skew patch']],
    },
    { name: 'patch skew, allowed', members: [m('n1', '3.5.30'), m('n2', '3.5.16'), m('n3', '3.5.30')], allowed: 'patch', severity: Severity.OK, findings: [] },
    {
      name: 'minor skew, even with patch allowed',
      members: [m('n1', '3.4.23'), m('n2', '3.5.16'), m('n3', '3.5.16')],
      allowed: 'patch',
      severity: Severity.WARNING,
      findings: [[Severity.WARNING, 'n1', 'member n1 runs 3.4.23 where n2, n3 run 3.5.16: different minor releases: finish the upgrade (upgrade.yml) or roll it back']],
    },
    {
      name: 'a member down',
      members: [m('n1', '3.5.30'), m('n2', null)],
      allowed: 'none',
      severity: Severity.WARNING,
      findings: [[Severity.WARNING, 'n2', 'member n2 did not tell its version: connection refused']],
    },
  ];
  for (const row of table) {
    it(row.name, () => {
      const report = judgeVersions(row.members, row.allowed);
      strictEqual(report.severity, row.severity);
      deepStrictEqual(messages(report.findings), row.findings);
    });
  }
});

describe('judgeLearners', () => {
  const leader = m('n1', '3.5.30', { memberId: 'id-n1', raftIndex: 5000 });
  const table: { name: string; members: MemberStatus[]; severity: Severity; lags: (number | null)[]; findings: (string | undefined)[][] }[] = [
    { name: 'no learner', members: [leader, m('n2', '3.5.30')], severity: Severity.OK, lags: [], findings: [] },
    { name: 'a learner close behind', members: [leader, m('s1', '3.5.30', { isLearner: true, raftIndex: 4990 })], severity: Severity.OK, lags: [10], findings: [] },
    {
      name: 'a learner far behind',
      members: [leader, m('s1', '3.5.30', { isLearner: true, raftIndex: 1000 })],
      severity: Severity.WARNING,
      lags: [4000],
      findings: [[Severity.WARNING, 's1', 'learner s1 is 4000 raft entries behind the leader n1, more than 1000: check its network and disk before promoting it']],
    },
    {
      name: 'the leader did not answer',
      members: [m('n1', null), m('s1', '3.5.30', { isLearner: true, raftIndex: 1000 })],
      severity: Severity.WARNING,
      lags: [null],
      findings: [[Severity.WARNING, 's1', 'learner s1: no leader answered, so its lag is unknown']],
    },
  ];
  for (const row of table) {
    it(row.name, () => {
      const report = judgeLearners(row.members, 1000);
      strictEqual(report.severity, row.severity);
      deepStrictEqual(report.data.learners.map((l) => l.lag), row.lags);
      deepStrictEqual(messages(report.findings), row.findings);
    });
  }
});

describe('judgeAlarms', () => {
  it('no alarm', () => deepStrictEqual([judgeAlarms([], null).severity, judgeAlarms([], null).summary], [Severity.OK, 'no alarm']));
  it('each alarm is critical, named by member, with what to do', () => {
    const report = judgeAlarms([{ memberId: '7', member: 'n2', alarm: 'CORRUPT' }, { memberId: '9', member: 'n3', alarm: 'NOSPACE' }], null);
    strictEqual(report.severity, Severity.CRITICAL);
    deepStrictEqual(messages(report.findings), [
      [Severity.CRITICAL, 'n2', 'alarm CORRUPT raised on n2: rebuild the member with replace-member.yml'],
      [Severity.CRITICAL, 'n3', 'alarm NOSPACE raised on n3: run recover-space.yml'],
    ]);
  });
  it('no member listed them: the check could not run', () => strictEqual(judgeAlarms(null, 'no etcd endpoint answered').severity, Severity.ERROR));
});

describe('judgeZones', () => {
  const table: { name: string; zones: (string | undefined)[]; severity: Severity; summary: string }[] = [
    { name: 'no zones', zones: [undefined, undefined, undefined], severity: Severity.OK, summary: 'no host has etcd_zone' },
    { name: 'one member per zone', zones: ['a', 'b', 'c'], severity: Severity.OK, summary: 'losing any one zone keeps the quorum (a: n1; b: n2; c: n3)' },
    { name: 'two of three in one zone', zones: ['a', 'a', 'b'], severity: Severity.WARNING, summary: 'losing zone a loses the quorum (a: n1, n2; b: n3)' },
  ];
  for (const row of table) {
    it(row.name, () => {
      const report = judgeZones(row.zones.map((zone, i) => ({ name: `n${i + 1}`, zone, voter: true })));
      deepStrictEqual([report.severity, report.summary], [row.severity, row.summary]);
    });
  }
});
