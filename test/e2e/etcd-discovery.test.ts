// A cluster formed by DNS SRV discovery on fresh lab hosts: the lab's DNS server (dnsmasq on the lab
// bridge only) holds one _etcd-server-ssl._tcp SRV record per host; site.yml with etcd_formation:
// discovery-srv starts the members with discovery-srv instead of a member list, so the members know each
// other by their SRV targets. Healthy, certificates carrying the names etcd checks, and a re-run changes nothing.
// The same cluster then serves `etcdops etcdctl` on a control node without etcdctl, and grows: a standby
// learner n4 joins by the live member list; with it holding etcd's one learner place, scale-out.yml of n5
// and replace-member.yml are refused before anything changes, naming the learner.
import { deepStrictEqual, match, ok, strictEqual } from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { LabInfo } from '../../src/lab/lab.js';
import { labAddHosts } from '../../src/lab/lab.js';
import { labDnsDown, labDnsUp } from '../../src/lab/lab-dns.js';
import { etcdops, recapOf } from './etcdops-cli.js';
import { checkClusterHealth } from '../../src/etcd/cluster-health.js';
import { adminAccess, health } from './etcd-helpers.js';
import { sshRun, useLab } from './lab-fixture.js';
import { inventoryVariant } from './inventory-variant.js';

const playbook = (name: string) => fileURLToPath(new URL(`../../playbooks/${name}`, import.meta.url));
const SITE = playbook('site.yml');
const DOMAIN = 'etcd.lab';

describe('etcd cluster formed by DNS SRV discovery on the lab', function () {
  this.timeout(300_000);
  const fixture = useLab('dsc', 3);
  let lab: LabInfo;
  let inventory: string;
  before(async () => {
    lab = fixture();
    await labDnsUp(lab, DOMAIN);
    inventory = inventoryVariant(lab.inventory, 'inventory-discovery', (parsed) => {
      Object.assign(parsed.all.vars, { etcd_formation: 'discovery-srv', etcd_discovery_domain: DOMAIN });
    });
  });
  after(async () => {
    if (lab) await labDnsDown(lab);
  });

  it('the hosts resolve the SRV records from the lab DNS server', async () => {
    const answer = await sshRun(lab, 'n1', `getent hosts n3.${DOMAIN}`);
    strictEqual(answer.code, 0, answer.stderr);
    match(answer.stdout, new RegExp(`^${lab.hosts[2]!.address.replace(/\./g, '\\.')}\\s+n3\\.etcd\\.lab`));
  });

  it('site.yml forms the cluster from the SRV records: every member healthy, known by its SRV target', async () => {
    const result = await etcdops(['play', SITE, '-i', inventory, '--output', 'json']);
    strictEqual(result.code, 0, result.stdout.slice(-3000) + result.stderr);
    const cluster = await health(lab, inventory);
    deepStrictEqual(cluster.problems, []);
    // Peer URLs come from the SRV targets only when etcd bootstrapped from DNS (a member list gives addresses).
    deepStrictEqual(
      cluster.members.map((m) => [m.name, [...m.peerURLs]]).sort(),
      ['n1', 'n2', 'n3'].map((h) => [h, [`https://${h}.${DOMAIN}:2380`]]),
    );
    const config = await sshRun(lab, 'n2', 'cat /etc/etcd/etcd.conf.yml');
    const settings = parse(config.stdout) as Record<string, unknown>;
    strictEqual(settings['discovery-srv'], DOMAIN);
    ok(!('initial-cluster' in settings), 'etcd refuses initial-cluster beside discovery-srv');
    const sans = await sshRun(lab, 'n2', 'openssl x509 -in /etc/etcd/pki/peer.crt -noout -ext subjectAltName');
    match(sans.stdout, /DNS:n2\.etcd\.lab/);
    match(sans.stdout, /DNS:etcd\.lab(,|\s|$)/);
  });

  // Sharing this suite's cluster: the control node's PATH has tar and gzip, no etcdctl.
  it('etcdops etcdctl works without an etcdctl on the control node, with the release the cluster runs', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'etcdops-no-etcdctl-'));
    try {
      for (const tool of ['tar', 'gzip']) symlinkSync(execFileSync('sh', ['-c', `command -v ${tool}`]).toString().trim(), join(bin, tool));
      const result = await etcdops(['etcdctl', '-i', inventory, '--', 'member', 'list'], { env: { PATH: bin } });
      strictEqual(result.code, 0, result.stdout + result.stderr);
      match(result.stderr, /no etcdctl on the PATH; using etcdctl 3\.5\.30 \(the release the cluster runs\) from \S+\/etcdctl\/v3\.5\.30\/etcdctl/);
      deepStrictEqual(result.stdout.trim().split('\n').map((line) => line.split(', ')[2]).sort(), ['n1', 'n2', 'n3']);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('a second site.yml run changes nothing', async () => {
    const result = await etcdops(['play', SITE, '-i', inventory, '--output', 'json']);
    strictEqual(result.code, 0, result.stdout.slice(-3000) + result.stderr);
    for (const [host, counts] of Object.entries(recapOf(result.stdout))) strictEqual(counts.changed, 0, `${host} changed on the second run`);
  });

  describe('with a standby learner holding etcd\'s one learner place', () => {
    let before: string[];
    // n5 runs no etcd: asked only of the four members.
    const members = async () => checkClusterHealth(await adminAccess(inventory, lab.hosts.filter((h) => h.name !== 'n5').map((h) => h.address)));
    const memberIds = async (): Promise<string[]> => (await members()).members.map((m) => `${m.name}:${m.id}:${m.isLearner}`).sort();
    it('a standby n4 joins the discovery-formed cluster by the live member list', async () => {
      lab = await labAddHosts(lab.name, 2);
      await labDnsUp(lab, DOMAIN);
      const n4 = lab.hosts.find((h) => h.name === 'n4')!;
      inventoryVariant(inventory, 'inventory-discovery', (parsed) => {
        parsed.all.children.etcd.hosts.n4 = { ansible_host: n4.address, etcd_learner: true };
      });
      const result = await etcdops(['play', SITE, '-i', inventory, '--output', 'json']);
      strictEqual(result.code, 0, result.stdout.slice(-3000) + result.stderr);
      const cluster = await members();
      deepStrictEqual(cluster.members.filter((m) => m.isLearner).map((m) => m.name), ['n4']);
      deepStrictEqual(cluster.problems, []);
    });

    it('scale-out.yml of n5 is refused up front, naming the learner and the way out', async () => {
      const grown = inventoryVariant(inventory, 'inventory-grown', (parsed) => {
        parsed.all.children.etcd.hosts.n5 = { ansible_host: lab.hosts.find((h) => h.name === 'n5')!.address };
      });
      before = await memberIds();
      const result = await etcdops(['play', playbook('scale-out.yml'), '-i', grown, '--output', 'plain']);
      strictEqual(result.code, 2, result.stdout.slice(-3000) + result.stderr);
      match(result.stdout, /refusing to add members, nothing was changed: cannot add n5 while the standby learner n4 is a member: etcd admits 1 learner at a time.*promote-standby\.yml -e member=n4/);
      deepStrictEqual(await memberIds(), before);
      strictEqual((await sshRun(lab, 'n5', 'test -e /etc/etcd || echo untouched')).stdout.trim(), 'untouched');
    });

    it('replace-member.yml of a voter is refused before the old member is removed', async () => {
      const result = await etcdops(['play', playbook('replace-member.yml'), '-i', inventory, '-e', 'member=n2', '--output', 'plain']);
      strictEqual(result.code, 2, result.stdout.slice(-3000) + result.stderr);
      match(result.stdout, /refusing to replace n2, nothing was changed: cannot add n2 while the standby learner n4 is a member/);
      deepStrictEqual(await memberIds(), before);
    });
  });
});
