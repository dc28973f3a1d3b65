import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { judgeSpread } from '../../src/inspect/member-spread.js';
import type { MemberStatus } from '../../src/inspect/member-status.js';
import { Severity } from '../../src/inspect/severity.js';

const LIMITS = { keyCount: 0, revision: 10, raftIndex: 1000 };
const m = (member: string, revision: number | null, applied: number | null, keyCount: number | null, isLearner = false): MemberStatus => ({
  member,
  endpoint: `https://${member}:2379`,
  memberId: revision === null ? null : `${member.length}${member}`,
  version: revision === null ? null : '3.5.30',
  revision,
  raftIndex: applied,
  raftAppliedIndex: applied,
  isLearner: revision === null ? null : isLearner,
  leaderId: null,
  keyCount,
  error: revision === null ? 'connection refused' : keyCount === null ? 'cannot count keys at revision 100: future revision' : null,
});

describe('judgeSpread', () => {
  const table: { name: string; members: MemberStatus[]; severity: Severity; spreads: [number | null, number | null, number | null]; findings: [string | undefined, Severity, RegExp][] }[] = [
    { name: 'healthy members read a moment apart', members: [m('n1', 150, 180, 70), m('n2', 152, 182, 70), m('n3', 151, 181, 70)], severity: Severity.OK, spreads: [0, 2, 2], findings: [] },
    {
      name: 'a member that made fewer revisions from the same raft log',
      members: [m('n1', 172, 198, 120), m('n2', 121, 198, 120), m('n3', 172, 198, 120)],
      severity: Severity.CRITICAL,
      spreads: [0, 51, 0],
      findings: [['n2', Severity.CRITICAL, /^member n2 is at revision 121 after applying raft index 198: 51 revisions fewer than the others made from the same raft log, more than 10: its data diverged/]],
    },
    {
      name: 'a member counting other keys at the same revision',
      members: [m('n1', 100, 130, 70), m('n2', 100, 130, 75), m('n3', 100, 130, 70)],
      severity: Severity.CRITICAL,
      spreads: [5, 0, 0],
      findings: [['n2', Severity.CRITICAL, /^member n2 counts 75 keys at revision 100 where the others count 70: its data differs/]],
    },
    {
      name: 'a member far behind in the raft log',
      members: [m('n1', 5000, 5030, 70), m('n2', 3000, 3030, null), m('n3', 5000, 5030, 70)],
      severity: Severity.WARNING,
      spreads: [0, 2000, 2000],
      findings: [
        ['n2', Severity.WARNING, /^member n2: cannot count keys at revision 100/],
        ['n2', Severity.WARNING, /^member n2 is at raft index 3030, 2000 behind the others \(5030\), more than 1000: check its disk and network$/],
      ],
    },
    {
      name: 'a member down is a finding, the others still compared',
      members: [m('n1', 100, 130, 70), m('n2', null, null, null), m('n3', 100, 130, 70)],
      severity: Severity.CRITICAL,
      spreads: [0, 0, 0],
      findings: [['n2', Severity.CRITICAL, /^member n2 did not answer: connection refused$/]],
    },
    { name: 'a learner is left out of the revision and raft spread', members: [m('n1', 100, 130, 70), m('n2', 100, 130, 70), m('s1', 10, 20, 70, true)], severity: Severity.OK, spreads: [0, 0, 0], findings: [] },
    { name: 'nobody answered', members: [m('n1', null, null, null)], severity: Severity.CRITICAL, spreads: [null, null, null], findings: [['n1', Severity.CRITICAL, /did not answer/]] },
  ];
  for (const row of table) {
    it(row.name, () => {
      const report = judgeSpread(100, row.members, LIMITS);
      strictEqual(report.severity, row.severity);
      deepStrictEqual([report.data.keyCountSpread, report.data.revisionSpread, report.data.raftIndexSpread], row.spreads);
      strictEqual(report.findings.length, row.findings.length, JSON.stringify(report.findings));
      row.findings.forEach(([member, severity, message], i) => {
        strictEqual(report.findings[i]!.member, member);
        strictEqual(report.findings[i]!.severity, severity);
        strictEqual(message.test(report.findings[i]!.message), true, report.findings[i]!.message);
      });
    });
  }
  it('a higher limit accepts the same drift', () => strictEqual(judgeSpread(100, [m('n1', 172, 198, 1), m('n2', 121, 198, 1), m('n3', 172, 198, 1)], { ...LIMITS, revision: 60 }).severity, Severity.OK));
});
