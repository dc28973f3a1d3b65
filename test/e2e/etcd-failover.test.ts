// Regional failover on the lab: a main region of three members (n1..n3) and a standby learner n4 in
// "another region". With the main region powered off, promote-standby.yml -e force_new_cluster=true makes
// n4 a one-member cluster that still serves every key written before, and scale-out.yml then adds n5.
// While one main member still answers, the forced promotion is refused and no host changes.
import { deepStrictEqual, match, notStrictEqual, strictEqual } from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { withAnyEndpoint, withEndpointClient } from '../../src/etcd/cluster-access.js';
import { labHostPowerOff, type LabInfo } from '../../src/lab/lab.js';
import { etcdops } from './etcdops-cli.js';
import { adminAccess, etcdPid, health, learners, voters } from './etcd-helpers.js';
import { sshRun, useLab } from './lab-fixture.js';
import { inventoryVariant } from './inventory-variant.js';

const playbook = (name: string) => fileURLToPath(new URL(`../../playbooks/${name}`, import.meta.url));
const KEYS = 200;

describe('etcd regional failover from the standby on the lab', function () {
  this.timeout(300_000);
  const fixture = useLab('fo1', 5);
  let lab: LabInfo;
  let inventory: string;
  before(() => {
    lab = fixture();
    inventory = inventoryVariant(lab.inventory, 'inventory-regions', (parsed) => {
      parsed.all.children.etcd.hosts.n4.etcd_learner = true;
      delete parsed.all.children.etcd.hosts.n5;
    });
  });
  const address = (host: string) => lab.hosts.find((h) => h.name === host)!.address;
  const play = (name: string, args: string[], inv = inventory) => etcdops(['play', playbook(name), '-i', inv, ...args]);
  const force = (args: string[] = []) => play('promote-standby.yml', ['-e', 'member=n4', '-e', 'force_new_cluster=true', '--output', 'plain', ...args]);
  /** What a forced promotion would change on n4: etcd's PID, its configuration and the data dirs beside it. */
  const n4State = async () => ({
    pid: await etcdPid(lab, 'n4'),
    files: (await sshRun(lab, 'n4', 'sha256sum /etc/etcd/etcd.conf.yml; ls -d /var/lib/etcd*; ls /run/systemd/system/etcd.service.d 2>/dev/null; true')).stdout,
  });

  it('forms n1..n3 with n4 as a standby learner that receives the writes', async () => {
    const site = await play('site.yml', ['--output', 'plain']);
    strictEqual(site.code, 0, site.stdout + site.stderr);
    const access = await adminAccess(inventory, ['n1', 'n2', 'n3'].map(address));
    for (let i = 0; i < KEYS; i++) await withAnyEndpoint(access, (client) => client.put(`failover/${String(i).padStart(4, '0')}`).value(String(i)).exec());
    const n4 = `https://${address('n4')}:2379`;
    const last = `failover/${String(KEYS - 1).padStart(4, '0')}`;
    const deadline = Date.now() + 30_000;
    let seen: string | null = null;
    while (seen === null && Date.now() < deadline) {
      seen = await withEndpointClient({ ...access, endpoints: [n4] }, n4, (client) => client.get(last).serializable(true).string());
      if (seen === null) await new Promise((r) => setTimeout(r, 200));
    }
    strictEqual(seen, String(KEYS - 1), 'the standby never received the last write');
    const cluster = await health(lab, inventory);
    deepStrictEqual(voters(cluster), ['n1', 'n2', 'n3']);
    deepStrictEqual(learners(cluster), ['n4']);
  });

  it('refuses the forced promotion while a main member still answers, changing nothing', async () => {
    for (const host of ['n1', 'n2']) lab = await labHostPowerOff(lab.name, host, { graceful: false });
    const before = await n4State();
    const n3Pid = await etcdPid(lab, 'n3');
    const result = await force();
    notStrictEqual(result.code, 0, result.stdout);
    match(result.stdout, /refusing force_new_cluster on n4, nothing was changed: old members still answer \(from the\s+control node: n3 \(\S+ port 2379\), n3 \(\S+ port 2380\); from n4:\s+n3 \(\S+ port 2379\), n3 \(\S+ port 2380\)\)/);
    deepStrictEqual(await n4State(), before);
    strictEqual(await etcdPid(lab, 'n3'), n3Pid);
    deepStrictEqual(learners(await health(lab, inventory)), ['n4']);
  });

  it('with the main region powered off, --check plans the forced promotion and changes nothing', async () => {
    lab = await labHostPowerOff(lab.name, 'n3', { graceful: false });
    const before = await n4State();
    const result = await force(['--check']);
    strictEqual(result.code, 0, result.stdout + result.stderr);
    match(result.stdout, /n4 is a\s+learner: etcd cannot force a learner/);
    deepStrictEqual(await n4State(), before);
  });

  it('forces n4 into a one-member cluster that serves every key written before', async () => {
    const result = await force(['-v']);
    strictEqual(result.code, 0, result.stdout + result.stderr);
    match(result.stdout, /n4 is the only member of the new cluster \(Revision \d+ Count \d+\)/);
    const cluster = await health(lab, inventory);
    deepStrictEqual(cluster.members.map((m) => m.name), ['n4']);
    deepStrictEqual(voters(cluster), ['n4']);
    const access = await adminAccess(inventory, [address('n4')]);
    strictEqual(await withAnyEndpoint(access, (client) => client.getAll().prefix('failover/').count()), KEYS);
    await withAnyEndpoint(access, (client) => client.put('failover/after').value('written').exec());
    // The forced start left nothing behind: the unit reads its steady configuration, the old data is kept aside.
    const files = await sshRun(lab, 'n4', 'ls /run/systemd/system/etcd.service.d 2>/dev/null; grep -c force-new-cluster /run/etcd/etcd.conf.yml; ls -d /var/lib/etcd.before-force-new-cluster-*');
    match(files.stdout, /^0\n\/var\/lib\/etcd\.before-force-new-cluster-\d{8}T\d{6}Z\n$/);
    const config = (await sshRun(lab, 'n4', 'cat /etc/etcd/etcd.conf.yml')).stdout;
    match(config, /^initial-cluster: n4=https:\/\/[\d.]+:2380$/m);
    match(config, /^initial-cluster-state: existing$/m);
  });

  let rebuilt: string;
  it('scale-out.yml adds n5 to the new cluster: two healthy voting members', async () => {
    rebuilt = inventoryVariant(lab.inventory, 'inventory-rebuilt', (parsed) => {
      const hosts = parsed.all.children.etcd.hosts;
      for (const lost of ['n1', 'n2', 'n3']) delete hosts[lost];
    });
    const result = await play('scale-out.yml', ['--output', 'plain'], rebuilt);
    strictEqual(result.code, 0, result.stdout + result.stderr);
    const cluster = await health(lab, rebuilt);
    deepStrictEqual(cluster.problems, []);
    deepStrictEqual(voters(cluster), ['n4', 'n5']);
    const access = await adminAccess(rebuilt, [address('n5')]);
    strictEqual(await withAnyEndpoint(access, (client) => client.getAll().prefix('failover/').count()), KEYS + 1);
  });

  it('a voting member left alone restarts once with force-new-cluster, keeping its cluster and its keys', async () => {
    const access = await adminAccess(rebuilt, [address('n4')]);
    const clusterId = await withAnyEndpoint(access, async (client) => (await client.maintenance.status()).header.cluster_id);
    lab = await labHostPowerOff(lab.name, 'n5', { graceful: false });
    const result = await etcdops(['play', playbook('promote-standby.yml'), '-i', rebuilt, '-e', 'member=n4', '-e', 'force_new_cluster=true', '--output', 'plain']);
    strictEqual(result.code, 0, result.stdout + result.stderr);
    match(result.stdout, /n4 is a\s+voting member: it restarts once with force-new-cluster/);
    const cluster = await health(lab, rebuilt);
    deepStrictEqual(cluster.problems, []);
    deepStrictEqual(voters(cluster), ['n4']);
    strictEqual(await withAnyEndpoint(access, async (client) => (await client.maintenance.status()).header.cluster_id), clusterId);
    strictEqual(await withAnyEndpoint(access, (client) => client.getAll().prefix('failover/').count()), KEYS + 1);
    const files = await sshRun(lab, 'n4', 'ls /run/systemd/system/etcd.service.d 2>/dev/null; grep -c force-new-cluster /run/etcd/etcd.conf.yml');
    strictEqual(files.stdout, '0\n');
  });
});
