import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { judgeConsistency, type MemberHash } from '../../src/inspect/consistency.js';
import { Severity } from '../../src/inspect/severity.js';

const m = (member: string, hash: string | null, compactRevision: number | null = 1, error: string | null = null): MemberHash => ({
  member,
  endpoint: `https://${member}:2379`,
  hash,
  compactRevision: hash === null ? null : compactRevision,
  error: hash === null ? (error ?? 'deadline exceeded') : null,
});

describe('judgeConsistency', () => {
  const table: { name: string; members: MemberHash[]; severity: Severity; summary: string; messages: string[] }[] = [
    { name: 'all equal', members: [m('n1', '7'), m('n2', '7'), m('n3', '7')], severity: Severity.OK, summary: '3 of 3 members agree on hash 7 at revision 50', messages: [] },
    {
      name: 'one member differs from the majority',
      members: [m('n1', '7'), m('n2', '9'), m('n3', '7')],
      severity: Severity.CRITICAL,
      summary: 'member n2 differs from the majority at revision 50',
      messages: ['member n2 differs: hash 9 where n1, n3 have 7 at revision 50'],
    },
    {
      name: 'no majority',
      members: [m('n1', '7'), m('n2', '9')],
      severity: Severity.CRITICAL,
      summary: 'members disagree at revision 50, no majority',
      messages: ['no majority hash at revision 50: n1 7; n2 9'],
    },
    {
      name: 'a member did not answer, the others agree',
      members: [m('n1', '7'), m('n2', null), m('n3', '7')],
      severity: Severity.CRITICAL,
      summary: '2 of 3 members agree on hash 7 at revision 50',
      messages: ['member n2 did not give its hash: deadline exceeded'],
    },
    {
      name: 'different compactions make the comparison inconclusive',
      members: [m('n1', '7', 10), m('n2', '8', 20), m('n3', '7', 10)],
      severity: Severity.WARNING,
      summary: 'inconclusive at revision 50',
      messages: ['members hashed from different compacted revisions (n1 10, n2 20, n3 10): run the check again once compaction settles'],
    },
    { name: 'nobody answered', members: [m('n1', null)], severity: Severity.CRITICAL, summary: 'no member gave its hash', messages: ['member n1 did not give its hash: deadline exceeded'] },
  ];
  for (const row of table) {
    it(row.name, () => {
      const report = judgeConsistency(50, row.members);
      strictEqual(report.severity, row.severity);
      strictEqual(report.summary, row.summary);
      deepStrictEqual(report.findings.map((f) => f.message), row.messages);
      deepStrictEqual(report.data, { revision: 50, members: row.members });
    });
  }
});
