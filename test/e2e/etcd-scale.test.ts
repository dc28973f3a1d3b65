// Growing and repairing a cluster on the lab: scale-out formation from fresh hosts, two hosts joining
// one at a time under a steady write load, a wiped member that refuses to start until replace-member.yml
// brings it back, and the same replacement when the host is powered off and a fresh one takes its place.
import { deepStrictEqual, match, notStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { withAnyEndpoint } from '../../src/etcd/cluster-access.js';
import { labAddHosts, labHostPowerOff, labStatus, type LabInfo } from '../../src/lab/lab.js';
import { etcdops } from './etcdops-cli.js';
import { checkClusterHealth } from '../../src/etcd/cluster-health.js';
import { moveLeader } from '../../src/etcd/membership.js';
import { adminAccess, health, leaderName, startEtcdctlWorkload, voters as voterNames, workloadSummary } from './etcd-helpers.js';
import { assertFreshHosts, sshRun, useLab } from './lab-fixture.js';
import { inventoryVariant } from './inventory-variant.js';

const playbook = (name: string) => fileURLToPath(new URL(`../../playbooks/${name}`, import.meta.url));

describe('etcd scale-out and member replacement on the lab', function () {
  this.timeout(300_000);
  const fixture = useLab('etcd3', 3);
  let lab: LabInfo;
  before(() => (lab = fixture()));
  const voters = async (inventory = lab.inventory) => voterNames(await health(lab, inventory));

  it('forms a cluster by scale-out (first member alone, then one at a time) with 3 voting members', async () => {
    await assertFreshHosts(lab);
    const result = await etcdops(['play', playbook('site.yml'), '-i', lab.inventory, '-e', 'etcd_formation=scale-out', '--output', 'plain', '-v']);
    strictEqual(result.code, 0, result.stdout + result.stderr);
    match(result.stdout, /CREATE member n2: not a member yet: added as a learner[\s\S]*UPDATE member n2: learner: promoted[\s\S]*CREATE member n3: not a member yet: added as a learner[\s\S]*UPDATE member n3: learner: promoted/);
    const cluster = await health(lab);
    deepStrictEqual(cluster.problems, []);
    deepStrictEqual(await voters(), ['n1', 'n2', 'n3']);
  });

  it('adds two hosts one at a time with scale-out.yml while a client writes every 50 ms without a failure', async () => {
    lab = await labAddHosts(lab.name, 2);
    const access = await adminAccess(lab.inventory, lab.hosts.slice(0, 3).map((h) => h.address));
    let writing = true;
    let writes = 0;
    const failures: string[] = [];
    const writer = (async () => {
      while (writing) {
        const started = Date.now();
        await withAnyEndpoint({ ...access, timeoutMs: 5000 }, (client) => client.put(`load/${writes}`).value(String(started)).exec())
          .then(() => writes++)
          .catch((error: Error) => failures.push(error.message));
        await new Promise((r) => setTimeout(r, Math.max(0, 50 - (Date.now() - started))));
      }
    })();
    const goClient = startEtcdctlWorkload(lab, lab.inventory, lab.hosts.slice(0, 3).map((h) => h.address));
    const result = await etcdops(['play', playbook('scale-out.yml'), '-i', lab.inventory, '--output', 'plain', '-v']);
    writing = false;
    await writer;
    const seen = await goClient.stop();
    process.stderr.write(workloadSummary('scale-out', seen));
    strictEqual(result.code, 0, result.stdout + result.stderr);
    deepStrictEqual(failures, []);
    deepStrictEqual(seen.failed, [], 'no write through etcdctl (Go client, all endpoints) failed');
    ok(writes > 20, `only ${writes} writes`);
    const n4 = result.stdout.indexOf('CREATE member n4');
    const promoted4 = result.stdout.indexOf('UPDATE member n4: learner: promoted');
    const n5 = result.stdout.indexOf('CREATE member n5');
    ok(n4 >= 0 && promoted4 > n4 && n5 > promoted4, 'n4 is added and promoted before n5 is added');
    deepStrictEqual(await voters(), ['n1', 'n2', 'n3', 'n4', 'n5']);
    deepStrictEqual((await health(lab)).problems, []);
  });

  it('refuses to start a member whose data dir was wiped, and replace-member.yml brings it back', async () => {
    const wiped = await sshRun(lab, 'n3', 'systemctl stop etcd; rm -rf /var/lib/etcd/*; systemctl start etcd; echo start=$?');
    match(wiped.stdout, /start=[1-9]/, 'a member without its data must not start');
    const members = (await health(lab)).members;
    strictEqual(members.length, 5, 'no one-member cluster and no new member appeared');
    const oldId = members.find((m) => m.name === 'n3')!.id;
    const result = await etcdops(['play', playbook('replace-member.yml'), '-i', lab.inventory, '-e', 'member=n3', '--output', 'plain']);
    strictEqual(result.code, 0, result.stdout + result.stderr);
    const cluster = await health(lab);
    deepStrictEqual(cluster.problems, []);
    deepStrictEqual(await voters(), ['n1', 'n2', 'n3', 'n4', 'n5']);
    notStrictEqual(cluster.members.find((m) => m.name === 'n3')!.id, oldId, 'n3 is a new member');
  });

  it('refuses to remove a host that is not in the group (a typo), naming it, with nothing changed', async () => {
    const result = await etcdops(['play', playbook('remove-member.yml'), '-i', lab.inventory, '-e', 'member=n9', '--output', 'plain']);
    strictEqual(result.code, 2, result.stdout + result.stderr);
    match(result.stdout, /member=n9 is not a host of the inventory group etcd: give the inventory name of the member to remove/);
    strictEqual((await health(lab)).members.length, 5);
  });

  it('refuses to remove a member when the rest would not keep a healthy majority', async () => {
    for (const host of ['n4', 'n5']) await sshRun(lab, host, 'systemctl stop etcd');
    try {
      const result = await etcdops(['play', playbook('remove-member.yml'), '-i', lab.inventory, '-e', 'member=n1', '--output', 'plain']);
      notStrictEqual(result.code, 0);
      match(result.stdout, /refusing to remove n1: only 2 of the 4 remaining voting members are healthy, a quorum needs 3/);
      strictEqual((await health(lab)).members.length, 5);
    } finally {
      for (const host of ['n4', 'n5']) await sshRun(lab, host, 'systemctl start etcd');
    }
  });

  it('replaces a powered-off member with a fresh host under the same name', async () => {
    await labHostPowerOff(lab.name, 'n3');
    lab = await labAddHosts(lab.name, 1);
    const fresh = lab.hosts.find((h) => h.name === 'n6')!;
    const file = inventoryVariant(lab.inventory, 'inventory-replaced', (inventory) => {
      const hosts = inventory.all.children.etcd.hosts;
      hosts.n3 = { ansible_host: fresh.address };
      delete hosts.n6;
    });
    const result = await etcdops(['play', playbook('replace-member.yml'), '-i', file, '-e', 'member=n3', '--output', 'plain']);
    strictEqual(result.code, 0, result.stdout + result.stderr);
    lab = (await labStatus(lab.name))!;
    const cluster = await health(lab, file);
    deepStrictEqual(cluster.problems, []);
    const n3 = cluster.members.find((m) => m.name === 'n3')!;
    deepStrictEqual(n3.peerURLs, [`https://${fresh.address}:2380`]);
    deepStrictEqual(await voters(file), ['n1', 'n2', 'n3', 'n4', 'n5']);
  });

  it('remove-member.yml decommissions n5, the leader, while etcdctl keeps writing: leadership moves first; 4 healthy voters, n5 stopped, disabled, its data kept aside', async () => {
    const file = join(dirname(lab.inventory), 'inventory-replaced.yml');
    const address = (name: string) => parse(readFileSync(file, 'utf8')).all.children.etcd.hosts[name].ansible_host as string;
    const remaining = ['n1', 'n2', 'n3', 'n4'].map(address);
    // A leader removed as it leads takes no more writes until its own stop hands leadership over.
    const all = await adminAccess(file, [...remaining, address('n5')]);
    await moveLeader(all, (await checkClusterHealth(all)).members.find((m) => m.name === 'n5')!.id);
    strictEqual(leaderName(await checkClusterHealth(all)), 'n5', 'n5 leads before its removal');
    const workload = startEtcdctlWorkload(lab, file, remaining);
    const result = await etcdops(['play', playbook('remove-member.yml'), '-i', file, '-e', 'member=n5', '--output', 'plain']);
    const seen = await workload.stop();
    process.stderr.write(workloadSummary('remove-member', seen));
    strictEqual(result.code, 0, result.stdout + result.stderr);
    match(result.stdout, /TASK \[etcd leadership moved off the member to remove\][^\n]*\nchanged: \[/);
    deepStrictEqual(seen.failed, [], 'no write failed');
    ok(seen.longestGapMs < 2000, `writes stalled for ${seen.longestGapMs} ms`);
    const cluster = await checkClusterHealth(await adminAccess(file, remaining));
    deepStrictEqual(cluster.problems, []);
    deepStrictEqual(voterNames(cluster), ['n1', 'n2', 'n3', 'n4']);
    const n5 = lab.hosts.find((h) => h.name === 'n5')!;
    const state = await sshRun(lab, 'n5', 'systemctl is-active etcd; systemctl is-enabled etcd; ls -d /var/lib/etcd.removed-*; ls -A /var/lib/etcd | wc -l');
    const [active, enabled, aside, left] = state.stdout.trim().split('\n');
    deepStrictEqual([active, enabled, left], ['inactive', 'disabled', '0'], `${n5.name}: ${state.stdout}${state.stderr}`);
    match(aside ?? '', /^\/var\/lib\/etcd\.removed-\d{8}T\d{6}Z$/);
  });
});
