// Adopting a cluster etcdops did not build: three lab hosts run etcd laid out as Debian's etcd-server
// package does (settings as ETCD_* variables in /etc/default/etcd, `ExecStart=... $DAEMON_ARGS`, data in
// /var/lib/etcd/default) with TLS from a CA of their own. adopt.yml writes what it finds as host
// variables and takes etcdops' client certificates from that CA; then inspect, backup.yml and a backup
// work, `plan site.yml` lists what a take-over would change, and no member was restarted throughout.
import { deepStrictEqual, match, ok, strictEqual } from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { LabInfo } from '../../src/lab/lab.js';
import { etcdops } from './etcdops-cli.js';
import { sshRun, useLab } from './lab-fixture.js';

const playbook = (name: string) => fileURLToPath(new URL(`../../playbooks/${name}`, import.meta.url));
const VERSION = '3.5.30';
const TLS = '/etc/etcd-tls';

/** A CA and, per host, one certificate for both TLS ends (as many hand-made setups do), made with openssl. */
function makeCertificates(dir: string, hosts: LabInfo['hosts']): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl('genrsa', '-out', 'ca.key', '2048');
  openssl('req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=hand-made etcd CA', '-days', '30', '-out', 'ca.crt');
  for (const host of hosts) {
    openssl('genrsa', '-out', `${host.name}.key`, '2048');
    openssl('req', '-new', '-key', `${host.name}.key`, '-subj', `/CN=${host.name}`, '-out', `${host.name}.csr`);
    writeFileSync(join(dir, `${host.name}.ext`), `subjectAltName=IP:${host.address},IP:127.0.0.1,DNS:${host.name},DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n`);
    openssl('x509', '-req', '-in', `${host.name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '30', '-extfile', `${host.name}.ext`, '-out', `${host.name}.crt`);
  }
}

describe('adopting an etcd cluster etcdops did not build (lab)', function () {
  this.timeout(300_000);
  const fixture = useLab('adp', 3);
  let lab: LabInfo;
  let inventory: string;
  let work: string;
  const run = async (host: string, cmd: string) => {
    const result = await sshRun(lab, host, cmd);
    strictEqual(result.code, 0, `${host}: ${cmd.slice(0, 200)}\n${result.stdout}${result.stderr}`);
    return result.stdout;
  };
  /** What would show a restart: systemd's restart count, the start time, the main PID. */
  const lifetimes = () => Promise.all(lab.hosts.map((h) => run(h.name, 'systemctl show -p NRestarts,ActiveEnterTimestamp,MainPID etcd')));
  let lifetimesBefore: string[];

  before(async function () {
    this.timeout(300_000);
    lab = fixture();
    work = mkdtempSync(join(tmpdir(), 'etcdops-adopt-'));
    makeCertificates(work, lab.hosts);
    const cluster = lab.hosts.map((h) => `${h.name}=https://${h.address}:2380`).join(',');
    await Promise.all(
      lab.hosts.map(async (host) => {
        const file = (name: string) => readFileSync(join(work, name)).toString('base64');
        const env = [
          `ETCD_NAME=${host.name}`,
          'ETCD_DATA_DIR=/var/lib/etcd/default',
          `ETCD_LISTEN_PEER_URLS=https://${host.address}:2380`,
          `ETCD_LISTEN_CLIENT_URLS=https://${host.address}:2379,https://127.0.0.1:2379`,
          `ETCD_INITIAL_ADVERTISE_PEER_URLS=https://${host.address}:2380`,
          `ETCD_ADVERTISE_CLIENT_URLS=https://${host.address}:2379`,
          `ETCD_INITIAL_CLUSTER=${cluster}`,
          'ETCD_INITIAL_CLUSTER_STATE=new',
          `ETCD_TRUSTED_CA_FILE=${TLS}/ca.crt`,
          `ETCD_PEER_TRUSTED_CA_FILE=${TLS}/ca.crt`,
          'ETCD_PEER_CLIENT_CERT_AUTH=true',
          'DAEMON_ARGS="--cert-file=/etc/etcd-tls/member.crt --key-file=/etc/etcd-tls/member.key --peer-cert-file=/etc/etcd-tls/member.crt --peer-key-file=/etc/etcd-tls/member.key --client-cert-auth"',
        ].join('\n');
        const unit = ['[Unit]', 'Description=etcd (hand-made, Debian package layout)', '[Service]', 'Type=notify', 'EnvironmentFile=-/etc/default/etcd', 'ExecStart=/usr/local/bin/etcd $DAEMON_ARGS', 'Restart=on-abnormal', '[Install]', 'WantedBy=multi-user.target', ''].join('\n');
        await run(
          host.name,
          `set -e
curl -fsS ${lab.mirrorUrl}/v${VERSION}/etcd-v${VERSION}-linux-amd64.tar.gz | tar -xz -C /usr/local/bin --strip-components=1 etcd-v${VERSION}-linux-amd64/etcd etcd-v${VERSION}-linux-amd64/etcdctl
mkdir -p ${TLS} /var/lib/etcd && chmod 700 /var/lib/etcd
echo ${file('ca.crt')} | base64 -d > ${TLS}/ca.crt
echo ${file('ca.key')} | base64 -d > ${TLS}/ca.key && chmod 600 ${TLS}/ca.key
echo ${file(`${host.name}.crt`)} | base64 -d > ${TLS}/member.crt
echo ${file(`${host.name}.key`)} | base64 -d > ${TLS}/member.key && chmod 600 ${TLS}/member.key
echo ${Buffer.from(`${env}\n`).toString('base64')} | base64 -d > /etc/default/etcd
echo ${Buffer.from(unit).toString('base64')} | base64 -d > /etc/systemd/system/etcd.service
systemctl daemon-reload`,
        );
      }),
    );
    // Type=notify: each start returns once a quorum exists, so the three start together.
    await Promise.all(lab.hosts.map((h) => run(h.name, 'systemctl start etcd')));
    // A cluster in use: some keys (a snapshot of revision 0 is refused by the backup job as empty).
    await run('n1', `for i in 1 2 3; do ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379 --cacert=${TLS}/ca.crt --cert=${TLS}/member.crt --key=${TLS}/member.key put app/$i v$i >/dev/null; done`);
    const dir = join(work, 'inventory');
    mkdirSync(dir);
    inventory = join(dir, 'inventory.yml');
    writeFileSync(inventory, readFileSync(lab.inventory, 'utf8'));
    lifetimesBefore = await lifetimes();
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('adopt.yml reads each member as it runs and writes it down as host variables', async () => {
    const result = await etcdops(['play', playbook('adopt.yml'), '-i', inventory, '--output', 'plain']);
    strictEqual(result.code, 0, result.stdout.slice(-4000) + result.stderr);
    const vars = parse(readFileSync(join(dirname(inventory), 'host_vars', 'n2.yml'), 'utf8')) as Record<string, any>;
    strictEqual(vars.etcd_address, lab.hosts[1]!.address);
    strictEqual(vars.etcd_client_port, 2379);
    strictEqual(vars.etcd_data_dir, '/var/lib/etcd/default');
    deepStrictEqual(
      [vars.etcd_adopted.source, vars.etcd_adopted.name, vars.etcd_adopted.cert_file, vars.etcd_adopted.trusted_ca_file, vars.etcd_adopted.client_cert_auth],
      ['flags and environment', 'n2', `${TLS}/member.crt`, `${TLS}/ca.crt`, true],
    );
  });

  it('etcdops inspect works on the adopted cluster', async () => {
    // The checks of the data and the members; the test's own certificates are short-lived and no backup
    // was taken yet, which the certificates and backups checks rightly report.
    const result = await etcdops(['inspect', '-i', inventory, '--check', 'consistency,spread,quota,versions,learners,alarms'], { timeoutMs: 60_000 });
    strictEqual(result.code, 0, result.stdout + result.stderr);
    match(result.stdout, /OK +consistency +3 of 3 members agree/);
    match(result.stdout, /OK +spread +spread across 3 of 3 members/);
  });

  it('backup.yml installs the backup job, and a backup is taken', async () => {
    const install = await etcdops(['play', playbook('backup.yml'), '-i', inventory, '--output', 'plain']);
    strictEqual(install.code, 0, install.stdout.slice(-4000) + install.stderr);
    const now = await etcdops(['backup', 'now', '-i', inventory, '--output', 'plain']);
    strictEqual(now.code, 0, now.stdout.slice(-4000) + now.stderr);
    match(await run('n1', 'ls -1 /var/lib/etcd-backups'), /-rev\d+\.db/);
  });

  it('a site.yml plan lists what a take-over would change', async () => {
    const result = await etcdops(['plan', playbook('site.yml'), '-i', inventory, '--detailed-exitcode']);
    strictEqual(result.code, 2, result.stdout.slice(-4000) + result.stderr);
    // Every difference from etcdops' own layout: the config file, the unit, the binaries, auth, and the restart.
    match(result.stdout, /\/etc\/etcd\/etcd\.conf\.yml/);
    match(result.stdout, /etcd systemd unit/);
    match(result.stdout, /\/usr\/local\/bin\/etcd/);
    match(result.stdout, /enable authentication/);
    match(result.stdout, /etcd restarted\n\s+~ update etcd\.service: restart owed/);
  });

  it('no member was restarted by any of it', async () => {
    deepStrictEqual(await lifetimes(), lifetimesBefore);
    ok(lifetimesBefore.every((l) => /NRestarts=0/.test(l)));
  });
});
