// Table-driven: the facts etcd_cluster_facts sets from a cluster answer and the inventory, with standby
// learners (`etcd_learner: true`) kept apart from learners left pending by an unfinished join.
import assert from 'node:assert/strict';
import { clusterFacts, isStandbyHost, learnerLag, pendingLearners, standbyLearners } from '../../src/modules/etcd-cluster-facts.js';
import { cluster, etcdContext, type MemberSketch } from './etcd-fixtures.js';

const H3 = ['n1', 'n2', 'n3'];
const H4 = ['n1', 'n2', 'n3', 'n4'];
const STANDBY4 = { n4: { etcd_learner: true } };
const voters3: MemberSketch[] = [{ name: 'n1', leader: true }, { name: 'n2' }, { name: 'n3' }];

describe('etcd_cluster_facts: clusterFacts', () => {
  const rows: {
    readonly title: string;
    readonly hosts: readonly string[];
    readonly extra?: Record<string, Record<string, unknown>>;
    readonly formation?: 'static' | 'scale-out';
    readonly members?: readonly MemberSketch[];
    readonly expected: Record<string, unknown>;
  }[] = [
    {
      title: 'no cluster, static: every host forms it',
      hosts: H3,
      expected: { etcd_cluster_exists: false, etcd_initial_members: H3, etcd_joiners: [], etcd_pending_learners: [], etcd_standby_learners: [], etcd_leader: null },
    },
    {
      title: 'no cluster, scale-out: the first host alone',
      hosts: H3,
      formation: 'scale-out',
      expected: { etcd_cluster_exists: false, etcd_initial_members: ['n1'], etcd_joiners: ['n2', 'n3'] },
    },
    {
      title: 'no cluster, static, with a standby host: it joins afterwards',
      hosts: H4,
      extra: STANDBY4,
      expected: { etcd_initial_members: H3, etcd_joiners: ['n4'] },
    },
    {
      title: 'no cluster, scale-out, the first host a standby: the first voter forms it',
      hosts: H3,
      extra: { n1: { etcd_learner: 'yes' } },
      formation: 'scale-out',
      expected: { etcd_initial_members: ['n2'], etcd_joiners: ['n1', 'n3'] },
    },
    {
      title: 'three voters and a new host',
      hosts: H4,
      members: voters3,
      expected: {
        etcd_cluster_exists: true,
        etcd_cluster_healthy: true,
        etcd_initial_members: H3,
        etcd_joiners: ['n4'],
        etcd_voting_members: H3,
        etcd_member_names: H3,
        etcd_leader: 'n1',
        etcd_has_quorum: true,
      },
    },
    {
      title: 'a started learner not marked standby is pending',
      hosts: H4,
      members: [...voters3, { name: 'n4', learner: true }],
      expected: { etcd_pending_learners: ['n4'], etcd_standby_learners: [], etcd_standby_lag: {}, etcd_initial_members: H4, etcd_joiners: [] },
    },
    {
      title: 'a started standby learner is not pending, its lag is known',
      hosts: H4,
      extra: STANDBY4,
      members: [{ name: 'n1', leader: true, raftIndex: 250 }, { name: 'n2' }, { name: 'n3' }, { name: 'n4', learner: true, raftIndex: 240 }],
      expected: { etcd_pending_learners: [], etcd_standby_learners: ['n4'], etcd_standby_lag: { n4: 10 }, etcd_voting_members: H3, etcd_joiners: [] },
    },
    {
      title: 'a standby added but never started is a half-done join: pending, and it joins again',
      hosts: H4,
      extra: STANDBY4,
      members: [...voters3, { name: 'n4', learner: true, started: false, id: 'abc4' }],
      expected: { etcd_pending_learners: ['abc4'], etcd_standby_learners: [], etcd_joiners: ['n4'], etcd_member_names: H3 },
    },
    {
      title: 'a join killed after member add: the learner is its host\'s join to resume, not a stale one',
      hosts: H4,
      members: [...voters3, { name: 'n4', learner: true, started: false, id: 'abc4' }],
      expected: { etcd_pending_learners: ['abc4'], etcd_interrupted_joins: ['n4'], etcd_stale_learners: [], etcd_joiners: ['n4'] },
    },
    {
      title: 'a join killed after the start, before the promotion: its join resumes too',
      hosts: H4,
      members: [...voters3, { name: 'n4', learner: true }],
      expected: { etcd_interrupted_joins: ['n4'], etcd_stale_learners: [] },
    },
    {
      title: 'a learner of a host no longer in the inventory is stale: removed, never joined',
      hosts: H3,
      members: [...voters3, { name: 'n7', learner: true, started: false, id: 'abc7' }],
      expected: { etcd_interrupted_joins: [], etcd_stale_learners: [{ id: 'abc7', peer_urls: ['https://10.0.0.7:2380'] }] },
    },
    {
      title: 'a started standby learner is neither resumed nor stale',
      hosts: H4,
      extra: STANDBY4,
      members: [...voters3, { name: 'n4', learner: true }],
      expected: { etcd_interrupted_joins: [], etcd_stale_learners: [] },
    },
    {
      title: 'no leader: the standby lag is unknown',
      hosts: H4,
      extra: STANDBY4,
      members: [{ name: 'n1', healthy: false }, { name: 'n2', healthy: false }, { name: 'n3', healthy: false }, { name: 'n4', learner: true }],
      expected: { etcd_leader: null, etcd_standby_lag: { n4: null }, etcd_has_quorum: false },
    },
    {
      title: 'only the learner answers, naming the leader it last heard from: no quorum',
      hosts: H4,
      extra: STANDBY4,
      members: [{ name: 'n1', leader: true, healthy: false }, { name: 'n2', healthy: false }, { name: 'n3', healthy: false }, { name: 'n4', learner: true }],
      expected: { etcd_leader: 'n1', etcd_has_quorum: false, etcd_standby_learners: ['n4'] },
    },
    {
      title: 'a member the inventory does not know has no host and is not a joiner',
      hosts: H3,
      members: [...voters3, { name: 'n9' }],
      expected: { etcd_member_names: ['n1', 'n2', 'n3', 'n9'], etcd_initial_members: H3, etcd_joiners: [] },
    },
  ];
  for (const row of rows) {
    it(row.title, () => {
      const ctx = etcdContext(row.hosts, 'n1', row.extra);
      const facts = clusterFacts({ formation: row.formation }, row.members ? cluster(row.members) : undefined, ctx);
      for (const [key, value] of Object.entries(row.expected)) assert.deepStrictEqual(facts[key], value, key);
    });
  }

  it('refuses a formation it does not know, and an inventory of standby hosts only', () => {
    assert.throws(() => clusterFacts({}, undefined, etcdContext(H3, 'n1', {}, { etcd_formation: 'mesh' })), /etcd_formation must be static, scale-out or discovery-srv, got "mesh"/);
    const allStandby = Object.fromEntries(H3.map((h) => [h, { etcd_learner: true }]));
    assert.throws(() => clusterFacts({}, undefined, etcdContext(H3, 'n1', allStandby)), /every etcd host is marked etcd_learner: true/);
  });
});

describe('etcd_cluster_facts: the one learner place etcd admits', () => {
  const standby4 = [...voters3, { name: 'n4', learner: true }];
  const rows: { readonly title: string; readonly hosts: readonly string[]; readonly extra: Record<string, Record<string, unknown>>; readonly members: readonly MemberSketch[]; readonly joining?: readonly string[]; readonly problem: RegExp | '' }[] = [
    { title: 'no standby: a new host joins', hosts: H4, extra: {}, members: voters3, problem: '' },
    { title: 'a standby learner and nobody joining', hosts: H4, extra: STANDBY4, members: standby4, problem: '' },
    {
      title: 'a standby learner and a new host: refused, naming the learner and the ways out',
      hosts: [...H4, 'n5'],
      extra: STANDBY4,
      members: standby4,
      problem: /^cannot add n5 while the standby learner n4 is a member: etcd admits 1 learner at a time .*promote-standby\.yml -e member=n4.*remove-member\.yml -e member=n4/,
    },
    { title: 'replace-member of a voter next to a standby: refused', hosts: H4, extra: STANDBY4, members: standby4, joining: ['n2'], problem: /^cannot add n2 while the standby learner n4/ },
    { title: 'replace-member of the standby itself: its own place', hosts: H4, extra: STANDBY4, members: standby4, joining: ['n4'], problem: '' },
  ];
  for (const row of rows) {
    it(row.title, () => {
      const facts = clusterFacts(row.joining ? { joining: row.joining } : {}, cluster(row.members), etcdContext(row.hosts, 'n1', row.extra));
      if (row.problem === '') assert.equal(facts.etcd_learner_slot_problem, '');
      else assert.match(String(facts.etcd_learner_slot_problem), row.problem);
    });
  }
});

describe('etcd_cluster_facts: standby helpers', () => {
  // As join.yml reads the mark (`etcd_learner | bool`), so the module and the playbook agree: ' Yes ' is false there.
  const marks: [unknown, boolean][] = [[true, true], ['true', true], ['Yes', true], [' Yes ', false], ['1', true], [1, true], [false, false], ['false', false], [undefined, false], [0, false]];
  for (const [mark, expected] of marks) {
    it(`etcd_learner: ${JSON.stringify(mark)} → standby ${expected}`, () => {
      const ctx = etcdContext(['n1', 'n2'], 'n1', { n2: { etcd_learner: mark } });
      assert.equal(isStandbyHost(ctx, 'n2'), expected);
    });
  }

  it('reads the current host from its own variables', () => {
    assert.equal(isStandbyHost(etcdContext(['n1', 'n2'], 'n2', { n2: { etcd_learner: true } }), 'n2'), true);
  });

  const health = cluster([{ name: 'n1', leader: true, raftIndex: 500 }, { name: 'n2', learner: true, raftIndex: 480 }, { name: 'n3', learner: true, raftIndex: 520 }, { name: 'n4', learner: true, raftIndex: null }, { name: 'n5', learner: true, started: false }]);
  const ctx = etcdContext(['n1', 'n2', 'n3', 'n4', 'n5'], 'n1', { n2: { etcd_learner: true }, n4: { etcd_learner: true }, n5: { etcd_learner: true } });
  const lags: [string, number | null][] = [['n2', 20], ['n3', 0], ['n4', null], ['n1', 0], ['n9', null]];
  for (const [name, expected] of lags) {
    it(`learnerLag ${name} → ${expected}`, () => assert.equal(learnerLag(health, name), expected));
  }

  it('standbyLearners and pendingLearners split the learners by the inventory mark and start', () => {
    assert.deepStrictEqual(standbyLearners(health, ctx), ['n2', 'n4']);
    assert.deepStrictEqual(pendingLearners(health, ctx), ['n3', 'n5id']);
  });
});
