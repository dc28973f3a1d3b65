// A standby learner on the lab: n4, marked `etcd_learner: true` in the inventory, joins a 3-member cluster
// as a learner and stays one, catches up with the writes, survives a converge run unchanged, and
// promote-standby.yml promotes it (and refuses a member that is not a standby learner, and a forced new
// cluster while the main region answers; etcd-failover.test.ts forces one with the main region lost).
import { deepStrictEqual, match, notStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { withAnyEndpoint, withEndpointClient } from '../../src/etcd/cluster-access.js';
import type { LabInfo } from '../../src/lab/lab.js';
import { etcdops, recapOf } from './etcdops-cli.js';
import { adminAccess, health, learners, voters } from './etcd-helpers.js';
import { sshRun, useLab } from './lab-fixture.js';
import { inventoryVariant } from './inventory-variant.js';

const playbook = (name: string) => fileURLToPath(new URL(`../../playbooks/${name}`, import.meta.url));
const HOSTS = ['n1', 'n2', 'n3', 'n4'];

describe('etcd standby learner on the lab', function () {
  this.timeout(300_000);
  const fixture = useLab('stb1', 4);
  let lab: LabInfo;
  let inventory: string;
  before(() => {
    lab = fixture();
    inventory = inventoryVariant(lab.inventory, 'inventory-standby', (parsed) => {
      parsed.all.children.etcd.hosts.n4.etcd_learner = true;
    });
  });
  const play = (name: string, args: string[] = []) => etcdops(['play', playbook(name), '-i', inventory, ...args]);

  it('forms the cluster from n1..n3 and joins n4 as a learner that is not promoted', async () => {
    const result = await play('site.yml', ['--output', 'plain', '-v']);
    strictEqual(result.code, 0, result.stdout + result.stderr);
    match(result.stdout, /CREATE member n4: not a member yet: added as a learner/);
    ok(!/UPDATE member n4/.test(result.stdout), 'n4 must not be promoted');
    match(result.stdout, /standby learner n4 \d+ raft entries behind the leader/);
    const cluster = await health(lab, inventory);
    deepStrictEqual(cluster.problems, []);
    deepStrictEqual(voters(cluster), ['n1', 'n2', 'n3']);
    deepStrictEqual(learners(cluster), ['n4']);
  });

  it('catches up with the writes: the learner serves them and its raft index reaches the leader', async () => {
    const access = await adminAccess(inventory, lab.hosts.slice(0, 3).map((h) => h.address));
    for (let i = 0; i < 300; i++) await withAnyEndpoint(access, (client) => client.put(`standby/${i}`).value(String(i)).exec());
    const n4 = `https://${lab.hosts.find((h) => h.name === 'n4')!.address}:2379`;
    const deadline = Date.now() + 30_000;
    let lag = Number.POSITIVE_INFINITY;
    while (lag > 0 && Date.now() < deadline) {
      const cluster = await health(lab, inventory);
      const leader = cluster.members.find((m) => m.isLeader)!;
      const learner = cluster.members.find((m) => m.name === 'n4')!;
      lag = leader.raftIndex! - learner.raftIndex!;
      if (lag > 0) await new Promise((r) => setTimeout(r, 200));
    }
    ok(lag <= 0, `the learner stayed ${lag} raft entries behind the leader`);
    const last = await withEndpointClient({ ...access, endpoints: [n4] }, n4, (client) => client.get('standby/299').serializable(true).string());
    strictEqual(last, '299');
  });

  it('changes nothing on a second site.yml run and on scale-out.yml, and n4 stays a learner', async () => {
    const again = await play('site.yml', ['--output', 'json']);
    strictEqual(again.code, 0, again.stdout + again.stderr);
    for (const host of HOSTS) strictEqual(recapOf(again.stdout)[host]!.changed, 0, `${host} changed something`);
    // A standby is not a learner left pending by a failed join: scale-out does not refuse because of it.
    const scale = await play('scale-out.yml', ['--output', 'json']);
    strictEqual(scale.code, 0, scale.stdout + scale.stderr);
    for (const host of HOSTS) strictEqual(recapOf(scale.stdout)[host]!.changed, 0, `${host} changed something`);
    const cluster = await health(lab, inventory);
    deepStrictEqual(learners(cluster), ['n4']);
    deepStrictEqual(cluster.problems, []);
  });

  it('refuses to promote a member that is not a standby learner', async () => {
    const result = await play('promote-standby.yml', ['-e', 'member=n1', '--output', 'plain']);
    notStrictEqual(result.code, 0);
    match(result.stdout, /refusing to promote n1: it is not a started standby learner \(voting members: (n[123](, )?){3}; standby learners: n4;/);
    deepStrictEqual(learners(await health(lab, inventory)), ['n4']);
  });

  it('refuses to promote through the API when the main region has lost its quorum', async () => {
    for (const host of ['n1', 'n2']) await sshRun(lab, host, 'systemctl stop etcd');
    try {
      const result = await play('promote-standby.yml', ['-e', 'member=n4', '--output', 'plain']);
      notStrictEqual(result.code, 0);
      match(result.stdout, /refusing to promote n4: no voting member reads through a leader, so the cluster has no quorum/);
      ok(!/UPDATE member n4/.test(result.stdout), 'no promotion may be attempted');
    } finally {
      for (const host of ['n1', 'n2']) await sshRun(lab, host, 'systemctl start etcd');
    }
    const healed = await etcdops(['play', playbook('site.yml'), '-i', inventory, '--output', 'json']);
    strictEqual(healed.code, 0, healed.stdout + healed.stderr);
    deepStrictEqual(learners(await health(lab, inventory)), ['n4']);
  });

  it('refuses the forced new cluster while the main region answers, changing nothing', async () => {
    const result = await play('promote-standby.yml', ['-e', 'member=n4', '-e', 'force_new_cluster=true', '--output', 'plain']);
    notStrictEqual(result.code, 0);
    match(result.stdout, /refusing force_new_cluster on n4, nothing was changed: old members still answer \(from the\s+control node: n1 [\s\S]*n3 \(\S+ port 2380\); from n4:\s+n1 /);
    deepStrictEqual(learners(await health(lab, inventory)), ['n4']);
  });

  it('promote-standby.yml promotes n4: four healthy voting members', async () => {
    const result = await play('promote-standby.yml', ['-e', 'member=n4', '--output', 'plain', '-v']);
    strictEqual(result.code, 0, result.stdout + result.stderr);
    match(result.stdout, /WARNING: promoting n4 makes it a voting member/);
    match(result.stdout, /UPDATE member n4: learner: promoted/);
    match(result.stdout, /n4 votes now/);
    const cluster = await health(lab, inventory);
    deepStrictEqual(cluster.problems, []);
    deepStrictEqual(voters(cluster), HOSTS);
    deepStrictEqual(learners(cluster), []);
  });
});
