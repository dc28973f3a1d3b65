// Test support: real etcd members on 127.0.0.1, configured from the shipped template, with a PKI made by
// etcdops' own code. Every member gets its own ports and a data dir in a temp folder; stop() kills it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderEtcdConfig } from '../../../src/etcd/etcd-config-document.js';
import { ensureCa, type CertificateAuthority } from '../../../src/etcd/pki/certificate-authority.js';
import { issueCertificate } from '../../../src/etcd/pki/issue-certificate.js';
import { ensurePeerCa, type PeerCertificateAuthority } from '../../../src/etcd/pki/peer-certificate-authority.js';
import { renderTemplateFile } from '../../../src/playbook/templating.js';

/** The etcd binary under test; ETCD_BINARY selects another version (e.g. 3.5). */
export const ETCD_BINARY = process.env['ETCD_BINARY'] ?? '/usr/bin/etcd';
export const ETCDCTL_BINARY = process.env['ETCDCTL_BINARY'] ?? '/usr/bin/etcdctl';
/** The version of ETCD_BINARY, for the config keys it reads (the Debian bookworm binary is 3.4). */
export const ETCD_VERSION = process.env['ETCD_VERSION'] ?? '3.4';

const TEMPLATES = new URL('../../../templates/', import.meta.url);

export async function renderTemplate(name: string, vars: Record<string, unknown>): Promise<string> {
  const source = fileURLToPath(new URL(name, TEMPLATES));
  // The project's renderer (strict, with its helpers): a variable the test forgot fails loudly.
  return renderTemplateFile(await readFile(source, 'utf8'), vars, source);
}

/** A port nobody listens on right now, chosen by the kernel from its ephemeral (high) range. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface MemberPorts {
  readonly client: number;
  readonly peer: number;
  readonly metrics: number;
  /** etcd 3.5+: /health, /version and the JSON gateway, apart from gRPC on `client`. */
  readonly clientHttp: number;
}

export async function freeMemberPorts(): Promise<MemberPorts> {
  return { client: await freePort(), peer: await freePort(), metrics: await freePort(), clientHttp: await freePort() };
}

export interface TestPki {
  readonly ca: CertificateAuthority;
  /** Issues the peer certificates, as etcd_certificates does. */
  readonly peerCa: PeerCertificateAuthority;
  readonly admin: { readonly certPem: string; readonly keyPem: string };
  readonly adminFiles: { readonly ca: string; readonly cert: string; readonly key: string };
}

/** A CA, its peer CA and an admin client certificate in `dir`. */
export async function makeTestPki(dir: string): Promise<TestPki> {
  const ca = await ensureCa(join(dir, 'ca'), { commonName: 'etcdops test CA' });
  const admin = await issueCertificate(ca, { commonName: 'admin', kind: 'client' });
  const adminFiles = { ca: ca.certPath, cert: join(dir, 'admin.crt'), key: join(dir, 'admin.key') };
  await writeFile(adminFiles.cert, admin.certPem);
  await writeFile(adminFiles.key, admin.keyPem, { mode: 0o600 });
  const peerCa = await ensurePeerCa(join(dir, 'ca'), ca);
  return { ca, peerCa, admin, adminFiles };
}

export interface MemberSpec {
  readonly name: string;
  readonly ports: MemberPorts;
}

export function peerUrl(member: MemberSpec): string {
  return `https://127.0.0.1:${member.ports.peer}`;
}

export function clientUrl(member: MemberSpec): string {
  return `https://127.0.0.1:${member.ports.client}`;
}

/** Writes the member's certificates and rendered config under `dir/<name>/`; returns the config path. */
export async function prepareMember(
  dir: string,
  pki: TestPki,
  member: MemberSpec,
  cluster: { readonly initialCluster: string; readonly state: 'new' | 'existing'; readonly token: string },
): Promise<string> {
  const home = join(dir, member.name);
  const pkiDir = join(home, 'pki');
  await mkdir(pkiDir, { recursive: true });
  const names = { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] };
  const [server, peer] = await Promise.all([
    issueCertificate(pki.ca, { commonName: member.name, kind: 'server', ...names }),
    issueCertificate(pki.peerCa, { commonName: member.name, kind: 'peer', ...names }),
  ]);
  await Promise.all([
    writeFile(join(pkiDir, 'ca.crt'), pki.ca.certPem),
    writeFile(join(pkiDir, 'server.crt'), server.certPem),
    writeFile(join(pkiDir, 'server.key'), server.keyPem, { mode: 0o600 }),
    writeFile(join(pkiDir, 'peer-ca.crt'), pki.peerCa.certPem),
    writeFile(join(pkiDir, 'peer.crt'), `${peer.certPem.trim()}\n${pki.peerCa.certPem.trim()}\n`),
    writeFile(join(pkiDir, 'peer.key'), peer.keyPem, { mode: 0o600 }),
  ]);
  const vars: Record<string, unknown> = {
    etcd_name: member.name,
    etcd_address: '127.0.0.1',
    etcd_url_host: '127.0.0.1',
    etcd_discovery_srv: '',
    etcd_data_dir: join(home, 'data'),
    etcd_pki_dir: pkiDir,
    etcd_initial_cluster: cluster.initialCluster,
    etcd_initial_cluster_state: cluster.state,
    etcd_cluster_token: cluster.token,
    etcd_quota_backend_bytes: 268435456,
    etcd_auto_compaction_mode: 'periodic',
    etcd_auto_compaction_retention: '1h',
    // Short timers keep elections quick on a busy 2-core test machine without flapping.
    etcd_heartbeat_interval: 100,
    etcd_election_timeout: 1000,
    etcd_client_port: member.ports.client,
    etcd_peer_port: member.ports.peer,
    etcd_metrics_port: member.ports.metrics,
    etcd_client_http_port: member.ports.clientHttp,
    // The corruption checks on, as the role defaults have them: the real binary must accept the keys.
    etcd_corrupt_check: true,
    etcd_corrupt_check_time_ns: 3600000000000,
  };
  // Rendered as etcd_config does: each value checked, the file written by the YAML serializer.
  const source = fileURLToPath(new URL('etcd.conf.yml.hbs', TEMPLATES));
  const config = renderEtcdConfig(await readFile(source, 'utf8'), source, (value) => renderTemplateFile(value, vars, source), ETCD_VERSION);
  const configPath = join(home, 'etcd.conf.yml');
  await writeFile(configPath, config);
  return configPath;
}

export interface RunningEtcd {
  readonly child: ChildProcess;
  /** Everything etcd logged so far (zap JSON lines on stderr). */
  log(): string;
  stop(): Promise<void>;
}

export function startEtcd(configPath: string): RunningEtcd {
  const child = spawn(ETCD_BINARY, ['--config-file', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    log: () => log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
