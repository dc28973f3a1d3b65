// One real etcd member on 127.0.0.1, configured from the shipped template, checked by the health gate
// over TLS with the admin certificate; etcdctl and plain HTTP are the independent oracles.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { checkClusterHealth } from '../../src/etcd/cluster-health.js';
import { initialClusterString } from '../../src/etcd/initial-cluster.js';
import { ensureCa } from '../../src/etcd/pki/certificate-authority.js';
import { issueCertificate } from '../../src/etcd/pki/issue-certificate.js';
import { waitForHealthy } from '../../src/etcd/wait-for-healthy.js';
import {
  ETCDCTL_BINARY,
  ETCD_BINARY,
  clientUrl,
  freeMemberPorts,
  makeTestPki,
  prepareMember,
  startEtcd,
  type MemberSpec,
  type RunningEtcd,
  type TestPki,
} from './support/local-etcd.js';

const run = promisify(execFile);

describe('a single real etcd member from the config template', function () {
  this.timeout(60000);
  let dir: string;
  let pki: TestPki;
  let member: MemberSpec;
  let configPath: string;
  let etcd: RunningEtcd;
  let version: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'etcdops-etcd1-'));
    pki = await makeTestPki(dir);
    member = { name: 'solo', ports: await freeMemberPorts() };
    configPath = await prepareMember(dir, pki, member, {
      initialCluster: initialClusterString([{ name: 'solo', address: '127.0.0.1' }], member.ports.peer),
      state: 'new',
      token: 'etcdops-test',
    });
    version = (await run(ETCD_BINARY, ['--version'])).stdout.match(/etcd Version: (\S+)/)![1]!;
    etcd = startEtcd(configPath);
  });
  after(async () => {
    await etcd?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const access = () => ({
    endpoints: [clientUrl(member)],
    ca: pki.ca.certPem,
    cert: pki.admin.certPem,
    key: pki.admin.keyPem,
    timeoutMs: 2000,
  });

  it('renders YAML with the keys etcd reads', async () => {
    const config = parse(await readFile(configPath, 'utf8')) as Record<string, unknown>;
    assert.equal(config['name'], 'solo');
    assert.equal(config['initial-cluster'], `solo=https://127.0.0.1:${member.ports.peer}`);
    assert.equal(config['listen-client-urls'], `https://127.0.0.1:${member.ports.client},https://127.0.0.1:${member.ports.client}`);
    assert.equal(config['listen-metrics-urls'], `http://127.0.0.1:${member.ports.metrics}`);
    assert.deepEqual(config['client-transport-security'], {
      'cert-file': join(dir, 'solo/pki/server.crt'),
      'key-file': join(dir, 'solo/pki/server.key'),
      'trusted-ca-file': join(dir, 'solo/pki/ca.crt'),
      'client-cert-auth': true,
    });
    assert.equal(config['quota-backend-bytes'], 268435456);
    assert.equal(config['auto-compaction-retention'], '1h');
    assert.deepEqual(config['log-outputs'], ['stderr']);
  });

  it('starts and the health gate sees one healthy leader over TLS', async () => {
    const health = await waitForHealthy(access(), { timeoutMs: 20000, intervalMs: 200 });
    assert.deepEqual(health.problems, []);
    assert.equal(health.members.length, 1);
    const [solo] = health.members;
    assert.equal(solo!.name, 'solo');
    assert.equal(solo!.isLeader, true);
    assert.equal(health.leaderId, solo!.id);
    assert.equal(solo!.version, version);
    assert.ok(solo!.raftIndex! > 0);
    assert.deepEqual(solo!.clientURLs, [clientUrl(member)]);
    assert.deepEqual(health.pendingLearners, []);
  });

  it('etcdctl with the admin certificate writes and reads', async () => {
    const tls = ['--endpoints', clientUrl(member), '--cacert', pki.adminFiles.ca, '--cert', pki.adminFiles.cert, '--key', pki.adminFiles.key];
    const env = { ...process.env, ETCDCTL_API: '3' };
    await run(ETCDCTL_BINARY, [...tls, 'put', 'greeting', 'hello'], { env });
    const { stdout } = await run(ETCDCTL_BINARY, [...tls, 'get', 'greeting', '--print-value-only'], { env });
    assert.equal(stdout.trim(), 'hello');
  });

  it('a client without a certificate is refused', async () => {
    const env = { ...process.env, ETCDCTL_API: '3' };
    const attempt = run(
      ETCDCTL_BINARY,
      ['--endpoints', clientUrl(member), '--cacert', pki.adminFiles.ca, '--dial-timeout', '1s', '--command-timeout', '2s', 'get', 'greeting'],
      { env },
    );
    await assert.rejects(attempt);
    assert.match(etcd.log(), /rejected connection.*client didn't provide a certificate/);
  });

  it('a client certificate from another CA is refused, and the gate says so', async () => {
    const rogueCa = await ensureCa(join(dir, 'rogue'), { commonName: 'etcdops test CA' });
    const rogue = await issueCertificate(rogueCa, { commonName: 'admin', kind: 'client' });
    const health = await checkClusterHealth({ ...access(), cert: rogue.certPem, key: rogue.keyPem });
    assert.equal(health.healthy, false);
    assert.equal(health.members.length, 0);
    assert.match(health.problems[0]!, /no endpoint answered/);
  });

  it('serves Prometheus metrics over plain HTTP on the metrics port', async () => {
    const response = await fetch(`http://127.0.0.1:${member.ports.metrics}/metrics`);
    assert.equal(response.status, 200);
    assert.match(await response.text(), /^etcd_server_has_leader 1$/m);
  });

  it('etcd logged structured (zap JSON) lines only, and never rejected its own gateway certificate', () => {
    // A server certificate etcd cannot use for its own gateway shows up here as "bad certificate" lines.
    const lines = etcd.log().trim().split('\n');
    assert.deepEqual(lines.filter((line) => !line.startsWith('{')), []);
    assert.doesNotMatch(etcd.log(), /bad certificate|incompatible key usage/);
  });

  it('after the member is killed the gate reports it unreachable instead of hanging', async () => {
    await etcd.stop();
    const started = Date.now();
    const health = await checkClusterHealth(access());
    assert.equal(health.healthy, false);
    assert.match(health.problems.join('\n'), /no endpoint answered/);
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });
});
