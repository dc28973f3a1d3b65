// Table-driven: what keeps the etcd_health gate shut for a cluster answer, with pending learners, standby
// learners that keep up or lag, members added but not started and an expected number of voters.
import assert from 'node:assert/strict';
import { gateProblems, type EtcdHealthArgs } from '../../src/modules/etcd-health.js';
import { cluster, type MemberSketch } from './etcd-fixtures.js';

const voters3: MemberSketch[] = [{ name: 'n1', leader: true, raftIndex: 2000 }, { name: 'n2', raftIndex: 2000 }, { name: 'n3', raftIndex: 1999 }];

describe('etcd_health: gateProblems', () => {
  const rows: {
    readonly title: string;
    readonly args?: EtcdHealthArgs;
    readonly members: readonly MemberSketch[];
    readonly problems?: readonly string[];
    readonly standby?: readonly string[];
    readonly expected: readonly string[];
  }[] = [
    { title: 'three healthy voters', members: voters3, expected: [] },
    { title: 'the health check problems come first, once each', members: voters3, problems: ['no leader: the cluster has no quorum', 'no leader: the cluster has no quorum'], expected: ['no leader: the cluster has no quorum'] },
    { title: 'a learner left pending', members: [...voters3, { name: 'n4', learner: true }], expected: ['learner n4 not promoted yet'] },
    { title: 'a pending learner allowed', args: { allow_pending_learners: true }, members: [...voters3, { name: 'n4', learner: true }], expected: [] },
    { title: 'a standby learner caught up', members: [...voters3, { name: 'n4', learner: true, raftIndex: 2000 }], standby: ['n4'], expected: [] },
    { title: 'a standby learner within the bound', members: [...voters3, { name: 'n4', learner: true, raftIndex: 1000 }], standby: ['n4'], expected: [] },
    {
      title: 'a standby learner that lags beyond the default bound',
      members: [...voters3, { name: 'n4', learner: true, raftIndex: 999 }],
      standby: ['n4'],
      expected: ['standby learner n4 lags the leader by 1001 raft entries (bound 1000)'],
    },
    {
      title: 'a standby learner that lags beyond a given bound, even with pending learners allowed',
      args: { max_raft_index_spread: 10, allow_pending_learners: true },
      members: [...voters3, { name: 'n4', learner: true, raftIndex: 1989 }],
      standby: ['n4'],
      expected: ['standby learner n4 lags the leader by 11 raft entries (bound 10)'],
    },
    {
      title: 'a standby learner with no leader to compare with',
      members: [{ name: 'n1' }, { name: 'n2' }, { name: 'n3' }, { name: 'n4', learner: true }],
      standby: ['n4'],
      expected: ["standby learner n4: its raft index or the leader's is unknown"],
    },
    {
      title: 'a standby next to a learner left pending',
      members: [...voters3, { name: 'n4', learner: true, raftIndex: 2000 }, { name: 'n5', learner: true, raftIndex: 2000 }],
      standby: ['n4'],
      expected: ['learner n5 not promoted yet'],
    },
    {
      title: 'a member added but not started',
      args: { allow_pending_learners: true },
      members: [...voters3, { name: 'n4', learner: true, started: false, id: 'a4' }],
      expected: ['member a4 added but not started'],
    },
    { title: 'the expected number of voters', args: { voting_members: 3 }, members: voters3, expected: [] },
    {
      title: 'a NOSPACE alarm shuts the gate',
      members: [{ name: 'n1', leader: true, alarms: ['NOSPACE'] }, { name: 'n2' }, { name: 'n3' }],
      problems: ['alarm NOSPACE raised on member n1'],
      expected: ['alarm NOSPACE raised on member n1'],
    },
    {
      title: 'a NOSPACE alarm allowed while space is recovered',
      args: { allow_alarms: ['NOSPACE'] },
      members: [{ name: 'n1', leader: true, alarms: ['Nospace'] }, { name: 'n2', alarms: ['memberID:2 alarm:NOSPACE '] }, { name: 'n3' }],
      problems: ['alarm Nospace raised on member n1', 'alarm memberID:2 alarm:NOSPACE  raised on member n2'],
      expected: [],
    },
    {
      title: 'an allowed NOSPACE does not hide a member that does not answer',
      args: { allow_alarms: ['NOSPACE'] },
      members: [{ name: 'n1', leader: true }, { name: 'n2', alarms: ['NOSPACE'], error: 'not reached: no endpoint of this member answered' }, { name: 'n3' }],
      problems: ['alarm NOSPACE raised on member n2'],
      expected: ['member n2 is unhealthy: not reached: no endpoint of this member answered'],
    },
    {
      title: 'allowing NOSPACE does not allow CORRUPT',
      args: { allow_alarms: ['NOSPACE'] },
      members: [{ name: 'n1', leader: true, alarms: ['CORRUPT'] }, { name: 'n2' }, { name: 'n3' }],
      problems: ['alarm CORRUPT raised on member n1'],
      expected: ['alarm CORRUPT raised on member n1'],
    },
    { title: 'fewer voters than expected', args: { voting_members: 4 }, members: [...voters3, { name: 'n4', learner: true, raftIndex: 2000 }], standby: ['n4'], expected: ['3 voting members, expected 4'] },
  ];
  for (const row of rows) {
    it(row.title, () => {
      assert.deepStrictEqual(gateProblems(row.args ?? {}, cluster(row.members, row.problems), row.standby), row.expected);
    });
  }
});
