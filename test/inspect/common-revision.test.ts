import { strictEqual } from 'node:assert/strict';
import type { MemberStatus } from '../../src/inspect/member-status.js';
import { commonRevision } from '../../src/inspect/run-inspect.js';

const s = (revision: number | null, raftIndex: number | null): MemberStatus => ({
  member: 'n', endpoint: '', memberId: null, version: null, revision, raftIndex, raftAppliedIndex: raftIndex, isLearner: false, leaderId: null, keyCount: null, error: null,
});

describe('commonRevision', () => {
  const table: [string, number, MemberStatus[], number][] = [
    ['the lowest revision members report', 200, [s(200, 230), s(198, 228), s(199, 229)], 198],
    ['a diverged member at the same raft index counts', 172, [s(172, 198), s(121, 198), s(172, 198)], 121],
    ['a member far behind in the raft log is left out', 5000, [s(5000, 5030), s(3000, 3030), s(4999, 5029)], 4999],
    ['a member down is left out', 200, [s(200, 230), s(null, null)], 200],
    ['never past the linearizable revision', 150, [s(200, 230)], 150],
    ['nobody answered', 150, [s(null, null)], 150],
  ];
  for (const [name, latest, statuses, revision] of table) it(name, () => strictEqual(commonRevision(latest, statuses, 1000), revision));
});
