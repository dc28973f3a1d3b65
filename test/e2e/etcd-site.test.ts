// site.yml on three fresh lab hosts, as a user checks it: a healthy TLS cluster that refuses clients
// without a certificate, metrics for Prometheus, a verified unit; a re-run that changes and restarts
// nothing; rolling restarts behind the health gate; certificates re-issued only where needed.
import { deepStrictEqual, match, notStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { ensureCa } from '../../src/etcd/pki/certificate-authority.js';
import { issueCertificate } from '../../src/etcd/pki/issue-certificate.js';
import { ensurePeerCa } from '../../src/etcd/pki/peer-certificate-authority.js';
import { etcdops, jsonEvents, plainRecapOf, recapOf } from './etcdops-cli.js';
import { adminAccess, etcdPid, health, leaderName, pkiDigests, plainSteps, startEtcdctlWorkload, tlsProbe, voters, workloadSummary } from './etcd-helpers.js';
import { assertFreshHosts, sshRun, useLab } from './lab-fixture.js';

const run = promisify(execFile);
const SITE = fileURLToPath(new URL('../../playbooks/site.yml', import.meta.url));
const SNAPSHOT = fileURLToPath(new URL('./fixtures/snapshot-kind.yml', import.meta.url));
const HOSTS = ['n1', 'n2', 'n3'];

/**
 * The floor, from a JSON run's events: one SSH connection per host and at most one remote command per task
 * run on it (a loop's items count as tasks: the module runs once per item).
 */
function assertAtFloor(stdout: string): void {
  const events = jsonEvents(stdout);
  const recap = events.at(-1)!;
  for (const host of HOSTS) {
    const ran = events.filter((e) => e.event === 'host_result' && e.host === host && e.status !== 'SKIPPED').length;
    const { connections, commands } = recap.connections[host];
    strictEqual(connections, 1, `${host}: one SSH connection`);
    ok(commands <= ran, `${host}: ${commands} remote commands for ${ran} tasks run`);
  }
}

describe('etcd site.yml on the lab', function () {
  this.timeout(300_000);
  const lab = useLab('etcd2', 3);
  const address = (host: string) => lab().hosts.find((h) => h.name === host)!.address;
  const pids = () => Promise.all(HOSTS.map((h) => etcdPid(lab(), h)));
  const play = (args: string[] = [], inventory = lab().inventory) => etcdops(['play', SITE, '-i', inventory, ...args]);
  /** Puts a PEM file on a member with etcd's ownership, as a careless admin or an attacker would. */
  const putPem = (host: string, path: string, pem: string) =>
    sshRun(lab(), host, `cat > ${path} <<'PEM'\n${pem.trim()}\nPEM\nchown etcd:etcd ${path}`);

  /**
   * Each follower restarted in a batch of its own and then `leader` last (so leadership moved once), each
   * between a health gate before and one after.
   */
  const assertRestartedOneAtATime = (stdout: string, leader: string) => {
    const followersPlay = stdout.indexOf('followers restarted one at a time');
    const leaderPlay = stdout.indexOf('leader restarted last');
    ok(followersPlay >= 0 && leaderPlay > followersPlay, 'the followers\' restarts, then the leader\'s');
    const gated = (host: string) =>
      new RegExp(`health gate before the restart[\\s\\S]*ok: \\[${host}\\] \\(3 voting members healthy[\\s\\S]*restarted[\\s\\S]*changed: \\[${host}\\][\\s\\S]*health gate after the restart[\\s\\S]*ok: \\[${host}\\] \\(3 voting members healthy`);
    const steps = plainSteps(stdout.slice(followersPlay, leaderPlay));
    for (const host of HOSTS.filter((h) => h !== leader)) {
      const batch = steps.indexOf(steps.find((s) => s.startsWith('BATCH') && s.endsWith(`: ${host}`))!);
      ok(batch >= 0, `a batch of its own for ${host}:\n${steps.join('\n')}`);
      match(steps.slice(batch + 1, batch + 11).join('\n'), gated(host));
    }
    const last = plainSteps(stdout.slice(leaderPlay));
    match(last.join('\n'), gated(leader));
    deepStrictEqual(last.filter((s) => /^(changed|ok|fatal): \[/.test(s) && !s.includes(`[${leader}]`)), [], `only the leader ${leader} restarts last`);
  };

  it('builds a healthy 3-member TLS cluster on fresh hosts', async () => {
    await assertFreshHosts(lab());
    const started = Date.now();
    const result = await play(['--output', 'plain', '--diff', '-vv']);
    strictEqual(result.code, 0, result.stdout + result.stderr);
    const recap = plainRecapOf(result.stdout);
    for (const host of HOSTS) ok(recap[host]!.changed > 0, `${host} was built, not found ready: ${JSON.stringify(recap[host])}`);
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
    deepStrictEqual(voters(cluster), HOSTS);
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
    // etcdctl reports a refused handshake as a timeout, which a network fault would give too: the reason is
    // read from the TLS handshake itself, against the same request with the admin certificate.
    const access = await adminAccess(lab().inventory, [address('n1')]);
    // etcd 3.5 serves /health on the client HTTP port (2382), apart from gRPC on 2379: both need a certificate.
    const withCert = await tlsProbe(address('n1'), 2382, { ca: access.ca, cert: access.cert, key: access.key });
    strictEqual(withCert.status, 200, `the same request with a certificate is served: ${JSON.stringify(withCert)}`);
    for (const port of [2379, 2382]) {
      const withoutCert = await tlsProbe(address('n1'), port, { ca: access.ca });
      match(withoutCert.error ?? `served with HTTP ${withoutCert.status}`, /CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE|BAD_CERTIFICATE/, `port ${port}`);
    }
  });

  it('answers GET /metrics on the plain metrics port and passes systemd-analyze verify and security', async () => {
    const response = await fetch(`http://${address('n3')}:2381/metrics`);
    strictEqual(response.status, 200);
    match(await response.text(), /^etcd_server_has_leader 1$/m);
    const verify = await sshRun(lab(), 'n1', 'systemd-analyze verify /etc/systemd/system/etcd.service');
    strictEqual(verify.code, 0, verify.stderr);
    strictEqual(verify.stderr.trim(), '');
    const security = await sshRun(lab(), 'n1', 'systemd-analyze security --no-pager etcd.service');
    const score = /Overall exposure level for etcd\.service: ([\d.]+) (\w+)/.exec(security.stdout);
    ok(score, security.stdout + security.stderr);
    process.stderr.write(`      systemd-analyze security etcd.service: ${score[1]} ${score[2]}\n`);
    ok(['PERFECT', 'SAFE', 'OK'].includes(score[2]!), `exposure ${score[1]} ${score[2]}: the sandbox must score OK or better`);
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
    assertAtFloor(result.stdout);
  });

  it('applies a saved no-op plan reading each host once: planning and applying share connections and facts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'etcdops-site-plan-'));
    try {
      const saved = join(dir, 'plan.json');
      strictEqual((await etcdops(['plan', SITE, '-i', lab().inventory, '--out', saved])).code, 0);
      const result = await play(['--plan', saved, '--output', 'json']);
      strictEqual(result.code, 0, result.stderr);
      // The recap counts the whole command, planning included: a second gathering would double it.
      assertAtFloor(result.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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

  /** The control node's PKI folder beside the lab inventory (CA, admin, prometheus, added certificates). */
  const controlPki = () => join(dirname(lab().inventory), '.etcdops', 'pki');
  /** etcdctl (Go clientv3) from the control node with a given certificate, against every member. */
  const etcdctlAs = (pair: { cert: string; key: string }, args: string[]) =>
    run('etcdctl', [
      `--endpoints=${HOSTS.map((h) => `https://${address(h)}:2379`).join(',')}`,
      `--cacert=${join(controlPki(), 'ca.crt')}`,
      `--cert=${pair.cert}`,
      `--key=${pair.key}`,
      '--dial-timeout=3s',
      '--command-timeout=5s',
      ...args,
    ], { env: { ...process.env, ETCDCTL_API: '3' } }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
    );
  const controlPair = (stem: string) => ({ cert: join(controlPki(), `${stem}.crt`), key: join(controlPki(), `${stem}.key`) });

  it('refuses client, admin, backup, prometheus and server certificates on the peer port; a peer certificate works', async () => {
    // From n2 itself: etcd also checks a peer certificate's IP names against the caller's address.
    for (const stem of ['admin', 'prometheus']) {
      for (const ext of ['crt', 'key']) await putPem('n2', `/tmp/${stem}.${ext}`, readFileSync(join(controlPki(), `${stem}.${ext}`), 'utf8'));
    }
    const members = (cert: string, key: string) =>
      sshRun(lab(), 'n2', `curl -sS --http1.1 --max-time 5 --cacert /etc/etcd/pki/ca.crt --cert ${cert} --key ${key} https://${address('n1')}:2380/members`);
    const pki = '/etc/etcd/pki';
    for (const [name, cert, key] of [['admin', '/tmp/admin.crt', '/tmp/admin.key'], ['prometheus', '/tmp/prometheus.crt', '/tmp/prometheus.key'], ['backup', `${pki}/backup.crt`, `${pki}/backup.key`], ['server', `${pki}/server.crt`, `${pki}/server.key`]]) {
      const answer = await members(cert!, key!);
      notStrictEqual(answer.code, 0, `${name} certificate accepted on the peer port: ${answer.stdout}`);
      match(answer.stderr, /unknown ca/, `${name}: refused for its CA`);
    }
    await sshRun(lab(), 'n2', 'rm -f /tmp/admin.* /tmp/prometheus.*');
    const peer = await members(`${pki}/peer.crt`, `${pki}/peer.key`);
    strictEqual(peer.code, 0, peer.stderr);
    match(peer.stdout, /"name":"n1"/);
  });

  it('with auth on: prometheus can neither read nor write keys, backup takes snapshots, admin is root', async () => {
    const prometheus = controlPair('prometheus');
    for (const args of [['put', 'scraped', 'x'], ['get', 'greeting']]) {
      const denied = await etcdctlAs(prometheus, args);
      notStrictEqual(denied.code, 0, `prometheus ${args[0]}: ${denied.out}`);
      match(denied.out, /permission denied/);
    }
    const snapshot = await sshRun(lab(), 'n3', `ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/etcd/pki/ca.crt --cert=/etc/etcd/pki/backup.crt --key=/etc/etcd/pki/backup.key snapshot save /tmp/auth-check.db && rm -f /tmp/auth-check.db`);
    strictEqual(snapshot.code, 0, snapshot.stderr);
    const users = await etcdops(['etcdctl', '-i', lab().inventory, '--', 'user', 'get', 'admin']);
    strictEqual(users.code, 0, users.stderr);
    match(users.stdout, /Roles: root/);
  });

  it('limits a certificate the inventory adds to its declared prefixes; a re-run plans nothing', async () => {
    const added = ['-e', JSON.stringify({ etcd_client_certificates: [{ name: 'app1', permissions: [{ prefix: '/app1/', access: 'readwrite' }] }] })];
    const result = await play([...added, '--output', 'plain', '-v']);
    strictEqual(result.code, 0, result.stdout + result.stderr);
    match(result.stdout, /grant role app1 readwrite on keys \["\/app1\/", "\/app10"\)/);
    const app1 = controlPair('app1');
    strictEqual((await etcdctlAs(app1, ['put', '/app1/x', 'y'])).code, 0);
    match((await etcdctlAs(app1, ['get', '/app1/x', '--print-value-only'])).out, /^y$/m);
    match((await etcdctlAs(app1, ['put', '/app2/x', 'y'])).out, /permission denied/);
    match((await etcdctlAs(app1, ['get', 'greeting'])).out, /permission denied/);
    const again = await play([...added, '--output', 'json']);
    for (const host of HOSTS) strictEqual(recapOf(again.stdout)[host]!.changed, 0, `${host} changed something`);
  });

  /** Waits until every member is healthy again (after a restart by hand). */
  const healthy = async () => {
    for (let i = 0; i < 60; i++) {
      if ((await health(lab()).catch(() => undefined))?.problems.length === 0) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error('the cluster did not become healthy');
  };

  /** Puts the cluster back as etcdops left it before the peer CA: peers trusting, and issued by, the cluster CA. */
  const withoutPeerCa = async () => {
    for (const host of HOSTS) {
      await sshRun(lab(), host, "sed -i 's#/etc/etcd/pki/peer-ca.crt#/etc/etcd/pki/ca.crt#' /etc/etcd/etcd.conf.yml && systemctl restart etcd");
      await healthy();
    }
    const ca = await ensureCa(controlPki(), { commonName: 'unused: the CA exists' });
    for (const host of HOSTS) {
      const peer = await issueCertificate(ca, { kind: 'peer', commonName: host, dnsNames: [host, 'localhost'], ipAddresses: [address(host), '127.0.0.1'] });
      await putPem(host, '/etc/etcd/pki/peer.key', peer.keyPem);
      await putPem(host, '/etc/etcd/pki/peer.crt', peer.certPem);
      await sshRun(lab(), host, 'rm -f /etc/etcd/pki/peer-ca.crt');
    }
    rmSync(join(controlPki(), 'peer-ca.crt'));
    rmSync(join(controlPki(), 'peer-ca.key'));
    const backup = await sshRun(lab(), 'n2', `curl -sS --http1.1 --max-time 5 --cacert /etc/etcd/pki/ca.crt --cert /etc/etcd/pki/backup.crt --key /etc/etcd/pki/backup.key https://${address('n1')}:2380/members`);
    strictEqual(backup.code, 0, `before: the backup certificate is accepted on the peer port (${backup.stderr})`);
  };

  it('moves a cluster from before the peer CA and without auth to both in one run; a writer with the admin certificate sees no error', async () => {
    const off = await play(['-e', 'etcd_auth=false', '--output', 'plain', '-v']);
    strictEqual(off.code, 0, off.stdout + off.stderr);
    strictEqual((await etcdctlAs(controlPair('prometheus'), ['put', 'scraped', 'x'])).code, 0, 'auth is off');
    await withoutPeerCa();
    const planned = await etcdops(['plan', SITE, '-i', lab().inventory]);
    match(planned.stdout, /peer certificate n1: issued by the cluster CA, which also issues client certificates: re-issued by a peer CA/);
    match(planned.stdout, /etcd authentication[\s\S]*enable authentication/);
    const writer = startEtcdctlWorkload(lab());
    await new Promise((r) => setTimeout(r, 1000));
    const on = await play(['--output', 'plain', '-v']);
    await new Promise((r) => setTimeout(r, 1000));
    const seen = await writer.stop();
    strictEqual(on.code, 0, on.stdout + on.stderr);
    match(on.stdout, /enable authentication/);
    process.stderr.write(workloadSummary('the peer CA move and auth enable', seen));
    ok(seen.succeeded > 10, `too few writes to judge: ${seen.succeeded}`);
    deepStrictEqual(seen.failed, [], 'every write with the admin certificate succeeded');
    match((await etcdctlAs(controlPair('prometheus'), ['put', 'scraped', 'x'])).out, /permission denied/);
    const backup = await sshRun(lab(), 'n2', `curl -sS --http1.1 --max-time 5 --cacert /etc/etcd/pki/ca.crt --cert /etc/etcd/pki/backup.crt --key /etc/etcd/pki/backup.key https://${address('n1')}:2380/members`);
    match(backup.stderr, /unknown ca/, 'after: the backup certificate is refused on the peer port');
    const again = await play(['--output', 'json']);
    for (const host of HOSTS) strictEqual(recapOf(again.stdout)[host]!.changed, 0, `${host} changed something`);
  });

  it('refuses a value etcd would misread before any host changes', async () => {
    const configs = () => Promise.all(HOSTS.map(async (h) => (await sshRun(lab(), h, 'sha256sum /etc/etcd/etcd.conf.yml')).stdout));
    const [before, pidsBefore] = await Promise.all([configs(), pids()]);
    const hostile = [
      [JSON.stringify({ etcd_auto_compaction_retention: "1h'x" }), /auto-compaction-retention \(from etcd_auto_compaction_retention\): "1h'x" is not a duration/],
      [JSON.stringify({ etcd_auto_compaction_retention: '1h\nclient-cert-auth: false' }), /auto-compaction-retention \(from etcd_auto_compaction_retention\): .* contains a control character/],
    ] as const;
    for (const [extra, error] of hostile) {
      const result = await play(['-e', extra, '--output', 'plain']);
      notStrictEqual(result.code, 0, `${extra} must be refused`);
      match(result.stdout + result.stderr, error);
      match(result.stdout, /etcd member configuration renders to valid values/);
      strictEqual(/TASK \[etcd system group\]/.test(result.stdout), false, 'no task after the check ran');
    }
    deepStrictEqual(await configs(), before);
    deepStrictEqual(await pids(), pidsBefore);
  });

  it('restarts members one at a time behind the health gate when the quota changes, with no failed write', async () => {
    const before = await pids();
    const leader = leaderName(await health(lab()));
    const workload = startEtcdctlWorkload(lab());
    const result = await play(['-e', 'etcd_quota_backend_bytes=4294967296', '--output', 'plain', '-v']);
    const seen = await workload.stop();
    process.stderr.write(workloadSummary('the rolling restart', seen));
    strictEqual(result.code, 0, result.stdout + result.stderr);
    // etcd 3.5 with its HTTP endpoints on their own port drains gRPC when it stops: no write may fail but
    // for etcd's own refusal during the leader's handover.
    deepStrictEqual(seen.failed, [], 'every write through etcdctl (all endpoints) succeeded');
    ok(seen.succeeded >= 20, `the client kept writing through the whole rollout (${seen.succeeded} writes)`);
    ok(seen.longestGapMs < 2000, `writes stalled for ${seen.longestGapMs} ms`);
    assertRestartedOneAtATime(result.stdout, leader);
    const after = await pids();
    HOSTS.forEach((host, i) => notStrictEqual(after[i], before[i], `${host} restarted`));
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
    const peerCa = await ensurePeerCa(pki, ca);
    const past = new Date(Date.now() - 400 * 86_400_000);
    // Read while the members still serve valid certificates: etcd loads its files again for each new client.
    const leader = leaderName(await health(lab()));
    for (const host of HOSTS) {
      const names = { dnsNames: [host, 'localhost'], ipAddresses: [address(host), '127.0.0.1'] };
      // Each from its own CA, as etcdops issues them, so that expiry is the one reason to re-issue.
      for (const [kind, issuer, chain] of [['server', ca, ''], ['peer', peerCa, peerCa.certPem]] as const) {
        const expired = await issueCertificate(issuer, { kind, commonName: host, ...names, now: past, validityDays: 1 });
        await putPem(host, `/etc/etcd/pki/${kind}.key`, expired.keyPem);
        await putPem(host, `/etc/etcd/pki/${kind}.crt`, `${expired.certPem.trim()}\n${chain}`);
      }
    }
    const before = await pids();
    const result = await play(['--output', 'plain', '-v', '-e', 'etcd_quota_backend_bytes=4294967296']);
    strictEqual(result.code, 0, result.stdout + result.stderr);
    for (const host of HOSTS) for (const kind of ['server', 'peer']) match(result.stdout, new RegExp(`${kind} certificate ${host}: expired on`));
    assertRestartedOneAtATime(result.stdout, leader);
    const after = await pids();
    HOSTS.forEach((host, i) => notStrictEqual(after[i], before[i], `${host} restarted with its new certificates`));
    const status = await etcdops(['pki', 'status', '-i', lab().inventory, '--output', 'json']);
    strictEqual(status.code, 0, status.stdout);
    const certs = JSON.parse(status.stdout).certs as { location: string; path: string; days_left: number | null; signed_by_ca: boolean | null }[];
    for (const host of HOSTS) {
      for (const file of ['server.crt', 'peer.crt']) {
        const cert = certs.find((c) => c.location === host && c.path.endsWith(`/${file}`));
        ok(cert && cert.days_left !== null && cert.days_left > 300 && cert.signed_by_ca === true, `${host} ${file} renewed: ${JSON.stringify(cert)}`);
      }
    }
    ok(certs.every((c) => c.days_left !== null && c.days_left > 300 && c.signed_by_ca !== false), status.stdout);
    deepStrictEqual((await health(lab())).problems, []);
  });
});
