// Table-driven: the plan of one membership change (add, promote, remove) against a cluster answer: what is
// changed, what is a no-op, and which changes are refused, including a standby learner that never blocks
// an addition; and the quorum sizes the removal check relies on.
import assert from 'node:assert/strict';
import { planMember, quorumOf, type EtcdMemberArgs } from '../../src/modules/etcd-member.js';
import { ChangeAction } from '../../src/plan/change.js';
import { cluster, etcdContext, type MemberSketch } from './etcd-fixtures.js';

const A = ChangeAction;
const voters3: MemberSketch[] = [{ name: 'n1', leader: true }, { name: 'n2' }, { name: 'n3' }];
const H5 = ['n1', 'n2', 'n3', 'n4', 'n5'];

describe('etcd_member: planMember', () => {
  const rows: {
    readonly title: string;
    readonly args: EtcdMemberArgs;
    readonly self?: string;
    readonly members?: readonly MemberSketch[];
    readonly problems?: readonly string[];
    readonly extra?: Record<string, Record<string, unknown>>;
    /** [action, target, reason pattern] per change; [] for a no-op. */
    readonly changes?: readonly [ChangeAction, string, RegExp][];
    /** Targets of changes earlier tasks planned and did not apply (a check run). */
    readonly unapplied?: readonly string[];
    readonly deferred?: RegExp;
    readonly fails?: RegExp;
  }[] = [
    { title: 'no cluster yet, made by earlier changes not applied: deferred', args: { action: 'add' }, self: 'n4', unapplied: ['/etc/etcd/pki/ca.crt'], deferred: /do not exist yet: they are made by 1 earlier change of this run not applied yet \(n1: \/etc\/etcd\/pki\/ca\.crt\)/ },
    { title: 'no cluster and nothing planned before: refused', args: { action: 'add' }, self: 'n4', fails: /no admin client certificate on the control node: build the cluster with playbooks\/site\.yml first/ },
    { title: 'promote a host whose add is planned, not applied: deferred', args: { action: 'promote', name: 'n4' }, members: voters3, unapplied: ['member n4'], deferred: /^member n4 is changed by an earlier task of this run \("earlier"\), not applied yet$/ },
    { title: 'add back a member whose removal is planned, not applied: deferred', args: { action: 'add', name: 'n3' }, members: voters3, unapplied: ['member n3'], deferred: /^member n3 is changed by an earlier task/ },
    { title: 'promote a non-member while another host is being added: refused', args: { action: 'promote', name: 'n5' }, members: voters3, unapplied: ['member n4'], fails: /cannot promote n5: not a member/ },
    { title: 'add a new host as a learner', args: { action: 'add' }, self: 'n4', members: voters3, changes: [[A.CREATE, 'member n4', /added as a learner with peer URL https:\/\/10\.0\.0\.4:2380$/]] },
    { title: 'add as a voter when asked', args: { action: 'add', learner: false }, self: 'n4', members: voters3, changes: [[A.CREATE, 'member n4', /not a member yet: added with peer URL/]] },
    { title: 'add a member that exists: no-op', args: { action: 'add' }, self: 'n2', members: voters3, changes: [] },
    { title: 'add a member found by its peer URL before it started: no-op', args: { action: 'add' }, self: 'n4', members: [...voters3, { name: 'n4', learner: true, started: false }], changes: [] },
    { title: 'add to an unhealthy cluster: refused', args: { action: 'add' }, self: 'n4', members: voters3, problems: ['member n3 is unhealthy: timeout'], fails: /refusing to add n4: the cluster is not healthy: member n3 is unhealthy/ },
    { title: 'add while a learner is pending: refused', args: { action: 'add' }, self: 'n5', members: [...voters3, { name: 'n4', learner: true }], fails: /refusing to add n5: learner n4 is still pending/ },
    {
      title: 'add next to a started standby learner',
      args: { action: 'add' },
      self: 'n5',
      members: [...voters3, { name: 'n4', learner: true }],
      extra: { n4: { etcd_learner: true } },
      changes: [[A.CREATE, 'member n5', /added as a learner/]],
    },
    {
      title: 'add next to a standby that never started: refused',
      args: { action: 'add' },
      self: 'n5',
      members: [...voters3, { name: 'n4', learner: true, started: false, id: 'a4' }],
      extra: { n4: { etcd_learner: true } },
      fails: /refusing to add n5: learner a4 is still pending/,
    },
    { title: 'add a host with no peer URL: refused', args: { action: 'add', name: 'gone' }, members: voters3, fails: /no peer URL for gone/ },
    { title: 'promote a learner', args: { action: 'promote', name: 'n4' }, members: [...voters3, { name: 'n4', learner: true }], changes: [[A.UPDATE, 'member n4', /^learner: promoted to a voting member/]] },
    { title: 'promote a voter: no-op', args: { action: 'promote', name: 'n2' }, members: voters3, changes: [] },
    { title: 'promote a non-member: refused', args: { action: 'promote', name: 'n5' }, members: voters3, fails: /cannot promote n5: not a member/ },
    {
      title: 'promote by ID: the ID selects the member, not the name',
      args: { action: 'promote', name: 'n4', id: '0xN5ID' },
      members: [...voters3, { name: 'n4' }, { name: 'n5', learner: true, id: 'n5id' }],
      changes: [[A.UPDATE, 'member n4', /promoted/]],
    },
    { title: 'remove a voter while a majority stays healthy', args: { action: 'remove', name: 'n3' }, members: voters3, changes: [[A.DELETE, 'member n3', /member n3 n3id is removed/]] },
    { title: 'remove a learner', args: { action: 'remove', name: 'n4' }, members: [...voters3, { name: 'n4', learner: true }], changes: [[A.DELETE, 'member n4', /\(learner\) is removed/]] },
    { title: 'remove a non-member: no-op', args: { action: 'remove', name: 'n5' }, members: voters3, changes: [] },
    {
      title: 'remove a voter when the rest would have no healthy majority: refused',
      args: { action: 'remove', name: 'n1' },
      members: [{ name: 'n1', leader: true }, { name: 'n2' }, { name: 'n3' }, { name: 'n4', healthy: false }, { name: 'n5', healthy: false }],
      fails: /refusing to remove n1: only 2 of the 4 remaining voting members are healthy, a quorum needs 3/,
    },
    { title: 'remove the last voter: refused', args: { action: 'remove', name: 'n1' }, members: [{ name: 'n1', leader: true }], fails: /it is the last voting member/ },
    { title: 'no member answered: refused', args: { action: 'remove', name: 'n1' }, members: [], problems: ['no endpoint answered'], fails: /no etcd member answered: no endpoint answered/ },
  ];
  for (const row of rows) {
    it(row.title, () => {
      const unappliedChanges = (row.unapplied ?? []).map((target) => ({ host: 'n1', task: 'earlier', target }));
      const ctx = { ...etcdContext(H5, row.self ?? 'n1', row.extra), unappliedChanges };
      const facts = row.members === undefined ? {} : { health: cluster(row.members, row.problems) };
      if (row.fails) {
        assert.throws(() => planMember(row.args, facts, ctx), row.fails);
        return;
      }
      const plan = planMember(row.args, facts, ctx);
      if (row.deferred) {
        assert.match(plan.deferred ?? '', row.deferred);
        assert.deepStrictEqual(plan.changes, []);
        return;
      }
      assert.equal(plan.changes.length, row.changes!.length, JSON.stringify(plan.changes));
      row.changes!.forEach(([action, target, reason], i) => {
        assert.equal(plan.changes[i]!.action, action);
        assert.equal(plan.changes[i]!.target, target);
        assert.match(plan.changes[i]!.reason, reason);
      });
    });
  }
});

describe('etcd_member: quorumOf', () => {
  const rows: [number, number][] = [[1, 1], [2, 2], [3, 2], [4, 3], [5, 3], [6, 4], [7, 4]];
  for (const [voters, quorum] of rows) it(`${voters} voters → quorum ${quorum}`, () => assert.equal(quorumOf(voters), quorum));
});
