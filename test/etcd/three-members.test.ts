// A real 3-member etcd cluster on 127.0.0.1: the health gate across members, a learner added, caught up
// and promoted, leadership moved, a member removed, and a dead member reported.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterAccess } from '../../src/etcd/cluster-access.js';
import { checkClusterHealth } from '../../src/etcd/cluster-health.js';
import { memberAdd, memberList, memberRemove, moveLeader } from '../../src/etcd/membership.js';
import { promoteLearnerWhenReady } from '../../src/etcd/promote-learner.js';
import { waitForHealthy } from '../../src/etcd/wait-for-healthy.js';
import {
  clientUrl,
  freeMemberPorts,
  makeTestPki,
  peerUrl,
  prepareMember,
  startEtcd,
  type MemberSpec,
  type RunningEtcd,
  type TestPki,
} from './support/local-etcd.js';

const TOKEN = 'etcdops-three';

function initialCluster(members: readonly MemberSpec[]): string {
  return members.map((m) => `${m.name}=${peerUrl(m)}`).join(',');
}

describe('a real 3-member cluster: health and membership', function () {
  this.timeout(90000);
  let dir: string;
  let pki: TestPki;
  let members: MemberSpec[];
  const running = new Map<string, RunningEtcd>();
  let access: ClusterAccess;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'etcdops-etcd3-'));
    pki = await makeTestPki(dir);
    members = [];
    for (const name of ['n1', 'n2', 'n3']) members.push({ name, ports: await freeMemberPorts() });
    const configs = await Promise.all(
      members.map((m) => prepareMember(dir, pki, m, { initialCluster: initialCluster(members), state: 'new', token: TOKEN })),
    );
    // A static bootstrap: all initial members start together, as no one of them can elect a leader alone.
    members.forEach((m, i) => running.set(m.name, startEtcd(configs[i]!)));
    access = { endpoints: members.map(clientUrl), ca: pki.ca.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem, timeoutMs: 2000 };
  });
  after(async () => {
    await Promise.all([...running.values()].map((etcd) => etcd.stop()));
    await rm(dir, { recursive: true, force: true });
  });

  it('becomes healthy with three voters and exactly one leader', async () => {
    const health = await waitForHealthy(access, { timeoutMs: 30000, intervalMs: 200 });
    assert.deepEqual(health.members.map((m) => m.name).sort(), ['n1', 'n2', 'n3']);
    assert.equal(health.members.filter((m) => m.isLeader).length, 1);
    assert.ok(health.members.every((m) => m.healthy && !m.isLearner && m.raftIndex !== null));
    const list = await memberList(access);
    assert.deepEqual(list.map((m) => m.id).sort(), health.members.map((m) => m.id).sort());
  });

  it('a raft index spread above the bound is a problem', async () => {
    // With a bound of -1 any two voters "differ too much": proves the check runs over every voter.
    const health = await checkClusterHealth({ ...access, maxRaftIndexSpread: -1 });
    assert.equal(health.healthy, false);
    assert.match(health.problems.join('\n'), /raft indexes of voting members differ by \d+ \(bound -1\)/);
  });

  it('adds a learner, reports it pending, then promotes it once caught up', async () => {
    const n4: MemberSpec = { name: 'n4', ports: await freeMemberPorts() };
    const added = await memberAdd(access, peerUrl(n4), { learner: true });
    assert.equal(added.member.isLearner, true);
    assert.deepEqual(added.member.peerURLs, [peerUrl(n4)]);

    const before = await checkClusterHealth(access);
    assert.equal(before.healthy, true, before.problems.join('; '));
    assert.deepEqual(before.pendingLearners, [added.member.id]);

    const config = await prepareMember(dir, pki, n4, {
      initialCluster: initialCluster([...members, n4]),
      state: 'existing',
      token: TOKEN,
    });
    running.set('n4', startEtcd(config));
    members.push(n4);

    const promoted = await promoteLearnerWhenReady(access, added.member.id, { timeoutMs: 30000, intervalMs: 200 });
    assert.equal(promoted.member.isLearner, false);
    const after = await waitForHealthy(
      { ...access, endpoints: members.map(clientUrl) },
      { timeoutMs: 20000, intervalMs: 200, accept: (h) => h.healthy && h.members.length === 4 && h.pendingLearners.length === 0 },
    );
    assert.equal(after.members.find((m) => m.name === 'n4')!.healthy, true);
  });

  it('moves the leadership to a chosen member', async () => {
    const health = await checkClusterHealth(access);
    const target = health.members.find((m) => !m.isLeader && m.name !== 'n4')!;
    await moveLeader(access, target.id);
    const moved = await waitForHealthy(access, { timeoutMs: 10000, intervalMs: 100, accept: (h) => h.healthy && h.leaderId === target.id });
    assert.equal(moved.members.find((m) => m.isLeader)!.name, target.name);
  });

  it('removes a member by ID', async () => {
    const n4 = (await memberList(access)).find((m) => m.name === 'n4')!;
    const result = await memberRemove(access, n4.id);
    assert.equal(result.member.name, 'n4');
    assert.deepEqual(result.members.map((m) => m.name).sort(), ['n1', 'n2', 'n3']);
    await running.get('n4')!.stop();
    members.pop();
    await assert.rejects(memberRemove(access, n4.id), /no such member/);
  });

  it('reports a dead member as unhealthy while the other two keep the leader', async () => {
    const health0 = await checkClusterHealth(access);
    // Kill a follower so the survivors keep their leader and the check is not racing an election.
    const victim = health0.members.find((m) => !m.isLeader)!;
    await running.get(victim.name)!.stop();
    const health = await checkClusterHealth(access);
    assert.equal(health.healthy, false);
    assert.equal(health.leaderId, health0.leaderId);
    const dead = health.members.find((m) => m.name === victim.name)!;
    assert.equal(dead.healthy, false);
    assert.match(health.problems.join('\n'), new RegExp(`member ${victim.name} is unhealthy`));
    assert.equal(health.members.filter((m) => m.healthy).length, 2);
  });
});
