// site.yml on three fresh lab hosts, as a user checks it: a healthy TLS cluster that refuses clients
// without a certificate, metrics for Prometheus, a verified unit; a re-run that changes and restarts
// nothing; rolling restarts behind the health gate; certificates re-issued only where needed.
import { deepStrictEqual, match, notStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { ensureCa } from '../../src/etcd/pki/certificate-authority.js';
import { issueCertificate } from '../../src/etcd/pki/issue-certificate.js';
import { etcdops, recapOf } from './etcdops-cli.js';
import { etcdPid, health, pkiDigests, plainSteps } from './etcd-helpers.js';
import { sshRun, useLab } from './lab-fixture.js';

const SITE = fileURLToPath(new URL('../../playbooks/site.yml', import.meta.url));
const SNAPSHOT = fileURLToPath(new URL('./fixtures/snapshot-kind.yml', import.meta.url));
const HOSTS = ['n1', 'n2', 'n3'];

describe('etcd site.yml on the lab', function () {
  this.timeout(300_000);
  const lab = useLab('etcd2', 3);
  const address = (host: string) => lab().hosts.find((h) => h.name === host)!.address;
  const pids = () => Promise.all(HOSTS.map((h) => etcdPid(lab(), h)));
  const play = (args: string[] = [], inventory = lab().inventory) => etcdops(['play', SITE, '-i', inventory, ...args]);
  /** Puts a PEM file on a member with etcd's ownership, as a careless admin or an attacker would. */
  const putPem = (host: string, path: string, pem: string) =>
    sshRun(lab(), host, `cat > ${path} <<'PEM'\n${pem.trim()}\nPEM\nchown etcd:etcd ${path}`);

  it('builds a healthy 3-member TLS cluster on fresh hosts', async () => {
    const started = Date.now();
    const result = await play(['--output', 'plain', '--diff', '-vv']);
    strictEqual(result.code, 0, result.stdout + result.stderr);
    process.stderr.write(`      site.yml on 3 fresh hosts: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    strictEqual(/PRIVATE KEY/.test(result.stdout + result.stderr), false, 'no private key in the output, even with --diff -vv');
    match(result.stdout, /content hidden \(sensitive\)/);
    for (const host of HOSTS) {
      const modes = await sshRun(lab(), host, 'stat -c "%n %a %U" /etc/etcd/pki/*.key');
      for (const line of modes.stdout.trim().split('\n')) match(line, / 600 etcd$/);
    }
    const caKey = join(dirname(lab().inventory), '.etcdops/pki/ca.key');
    strictEqual(statSync(caKey).mode & 0o777, 0o600);
    const cluster = await health(lab());
    deepStrictEqual(cluster.problems, []);
    deepStrictEqual(cluster.members.filter((m) => !m.isLearner).map((m) => m.name).sort(), HOSTS);
    strictEqual(cluster.members.filter((m) => m.isLeader).length, 1);
  });

  it('serves etcdctl with the admin certificate and refuses a client without one', async () => {
    const put = await etcdops(['etcdctl', '-i', lab().inventory, '--', 'put', 'greeting', 'hello']);
    strictEqual(put.code, 0, put.stderr);
    const get = await etcdops(['etcdctl', '-i', lab().inventory, '--', 'get', 'greeting', '--print-value-only']);
    strictEqual(get.stdout.trim(), 'hello', get.stderr);
    const anonymous = await sshRun(
      lab(),
      'n2',
      `ETCDCTL_API=3 etcdctl --endpoints=https://${address('n1')}:2379 --cacert=/etc/etcd/pki/ca.crt --dial-timeout=3s --command-timeout=5s get greeting`,
    );
    notStrictEqual(anonymous.code, 0, 'a client without a certificate must be refused');
    match(anonymous.stderr, /certificate|tls|handshake|deadline/i);
  });

  it('answers GET /metrics on the plain metrics port and passes systemd-analyze verify', async () => {
    const response = await fetch(`http://${address('n3')}:2381/metrics`);
    strictEqual(response.status, 200);
    match(await response.text(), /^etcd_server_has_leader 1$/m);
    const verify = await sshRun(lab(), 'n1', 'systemd-analyze verify /etc/systemd/system/etcd.service');
    strictEqual(verify.code, 0, verify.stderr);
    strictEqual(verify.stderr.trim(), '');
  });

  it('changes nothing and restarts nothing when run again', async () => {
    const before = await pids();
    ok(before.every((pid) => pid > 0), `etcd runs everywhere: ${before}`);
    const started = Date.now();
    const result = await play(['--output', 'json']);
    strictEqual(result.code, 0, result.stderr);
    process.stderr.write(`      no-op re-run: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    for (const host of HOSTS) strictEqual(recapOf(result.stdout)[host]!.changed, 0, `${host} changed something`);
    deepStrictEqual(await pids(), before);
  });

  it('takes snapshots whose kind is data, never shell: an injected command runs nowhere', async () => {
    const injected = await etcdops(['play', SNAPSHOT, '-i', lab().inventory, '-e', 'etcd_snapshot_kind=x$(touch${IFS}/tmp/p)']);
    // The name holds a '/', so the snapshot cannot be saved under it: the run fails, and nothing else happens.
    notStrictEqual(injected.code, 0, injected.stdout);
    for (const host of HOSTS) {
      const probe = await sshRun(lab(), host, 'test -e /tmp/p && echo INJECTED || echo clean');
      strictEqual(probe.stdout.trim(), 'clean', `${host}: the injected command ran`);
    }
    const odd = await etcdops(['play', SNAPSHOT, '-i', lab().inventory, '-e', JSON.stringify({ etcd_snapshot_kind: "it's $HOME;" })]);
    strictEqual(odd.code, 0, odd.stdout + odd.stderr);
    const listed = await sshRun(lab(), 'n1', 'ls /var/lib/etcd-snapshots');
    match(listed.stdout, /^it's \$HOME;-\d{8}T\d{6}Z\.db$/m);
  });

  it('restarts members one at a time behind the health gate when the quota changes', async () => {
    const before = await pids();
    let leaderless = 0;
    let longest = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const h = await health(lab()).catch(() => undefined);
        const t = Date.now();
        if (h?.leaderId) leaderless = 0;
        else if (leaderless === 0) leaderless = t;
        else longest = Math.max(longest, t - leaderless);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const result = await play(['-e', 'etcd_quota_backend_bytes=4294967296', '--output', 'plain', '-v']);
    watching = false;
    await watcher;
    strictEqual(result.code, 0, result.stdout + result.stderr);
    const steps = plainSteps(result.stdout.slice(result.stdout.indexOf('members restarted one at a time')));
    for (const host of HOSTS) {
      const batch = steps.indexOf(steps.find((s) => s.startsWith('BATCH') && s.endsWith(`: ${host}`))!);
      ok(batch >= 0, `a batch of its own for ${host}`);
      const mine = steps.slice(batch + 1, batch + 11).join('\n');
      match(mine, new RegExp(`health gate before the restart[\\s\\S]*ok: \\[${host}\\] \\(3 voting members healthy[\\s\\S]*restarted[\\s\\S]*changed: \\[${host}\\][\\s\\S]*health gate after the restart[\\s\\S]*ok: \\[${host}\\] \\(3 voting members healthy`));
    }
    const after = await pids();
    HOSTS.forEach((host, i) => notStrictEqual(after[i], before[i], `${host} restarted`));
    ok(longest < 2000, `the cluster had no leader for ${longest} ms`);
    const config = await sshRun(lab(), 'n2', 'grep quota-backend-bytes /etc/etcd/etcd.conf.yml');
    match(config.stdout, /4294967296/);
  });

  it('re-issues only the certificates whose names changed', async () => {
    const before = await Promise.all(HOSTS.map((h) => pkiDigests(lab(), h)));
    const inventory = parse(readFileSync(lab().inventory, 'utf8'));
    inventory.all.children.etcd.hosts.n2.etcd_hostnames = ['n2.etcd.example'];
    inventory.all.vars.etcd_quota_backend_bytes = 4294967296;
    const file = join(dirname(lab().inventory), 'inventory-san.yml');
    writeFileSync(file, stringify(inventory));
    const result = await play(['--output', 'plain', '-v', '--diff'], file);
    strictEqual(result.code, 0, result.stdout + result.stderr);
    strictEqual(/PRIVATE KEY/.test(result.stdout), false, 'a re-issued key is never shown');
    match(result.stdout, /server certificate n2: subject alternative names changed \(DNS names: missing n2\.etcd\.example\)/);
    const after = await Promise.all(HOSTS.map((h) => pkiDigests(lab(), h)));
    deepStrictEqual(after[0], before[0]);
    deepStrictEqual(after[2], before[2]);
    for (const file of ['server.crt', 'server.key', 'peer.crt', 'peer.key']) notStrictEqual(after[1]![file], before[1]![file], file);
    strictEqual(after[1]!['backup.crt'], before[1]!['backup.crt']);
    strictEqual(after[1]!['ca.crt'], before[1]!['ca.crt']);
    deepStrictEqual((await health(lab())).problems, []);
  });

  it('reports a certificate from a second CA and a tampered one, then replaces them', async () => {
    const otherCa = await ensureCa(join(dirname(lab().inventory), 'other-ca'), { commonName: 'another CA' });
    const foreign = await issueCertificate(otherCa, { kind: 'client', commonName: 'backup' });
    await putPem('n1', '/etc/etcd/pki/backup.crt', foreign.certPem);
    await putPem('n1', '/etc/etcd/pki/backup.key', foreign.keyPem);
    const peer = (await sshRun(lab(), 'n3', 'cat /etc/etcd/pki/backup.crt')).stdout;
    const der = Buffer.from(peer.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    der[der.length - 5] ^= 0xff;
    await putPem('n3', '/etc/etcd/pki/backup.crt', `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----`);
    const planned = await play(['--check', '--output', 'plain', '-v', '-e', 'etcd_quota_backend_bytes=4294967296']);
    match(planned.stdout, /n1[\s\S]*backup\.crt: client certificate backup: issued by another CA \(CN=another CA\)/);
    match(planned.stdout, /backup\.crt: client certificate backup: names this cluster's CA but its signature does not verify/);
    const fixed = await play(['--output', 'json', '-e', 'etcd_quota_backend_bytes=4294967296']);
    strictEqual(fixed.code, 0, fixed.stderr);
    const again = await play(['--check', '--output', 'json', '-e', 'etcd_quota_backend_bytes=4294967296']);
    for (const host of HOSTS) strictEqual(recapOf(again.stdout)[host]!.changed, 0, `${host} still has something to change`);
  });

  it('renews certificates that have already expired, one member at a time', async () => {
    const pki = join(dirname(lab().inventory), '.etcdops', 'pki');
    const ca = await ensureCa(pki, { commonName: 'unused: the CA exists' });
    const past = new Date(Date.now() - 400 * 86_400_000);
    for (const host of HOSTS) {
      const names = { dnsNames: [host, 'localhost'], ipAddresses: [address(host), '127.0.0.1'] };
      for (const kind of ['server', 'peer'] as const) {
        const expired = await issueCertificate(ca, { kind, commonName: host, ...names, now: past, validityDays: 1 });
        await putPem(host, `/etc/etcd/pki/${kind}.key`, expired.keyPem);
        await putPem(host, `/etc/etcd/pki/${kind}.crt`, expired.certPem);
      }
    }
    const before = await pids();
    const result = await play(['--output', 'plain', '-v', '-e', 'etcd_quota_backend_bytes=4294967296']);
    strictEqual(result.code, 0, result.stdout + result.stderr);
    match(result.stdout, /server certificate n1: expired on/);
    const after = await pids();
    HOSTS.forEach((host, i) => notStrictEqual(after[i], before[i], `${host} restarted with its new certificates`));
    const status = await etcdops(['pki', 'status', '-i', lab().inventory, '--output', 'json']);
    strictEqual(status.code, 0, status.stdout);
    const certs = JSON.parse(status.stdout).certs as { days_left: number; signed_by_ca: boolean }[];
    ok(certs.every((c) => c.days_left > 300 && c.signed_by_ca !== false), status.stdout);
    deepStrictEqual((await health(lab())).problems, []);
  });
});
