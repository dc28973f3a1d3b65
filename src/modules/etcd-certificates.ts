// etcd_certificates: a member's TLS files (CA, server, peer and client certificates such as `backup`),
// issued by the cluster CA kept on the control node; peer certificates by its peer CA (an intermediate the
// peer port trusts alone, so no client certificate is accepted there). One remote command reads every file; each certificate
// is kept or re-issued with the reason (missing, expiring, SANs changed, another CA, tampered, key mismatch).
import { X509Certificate } from 'node:crypto';
import type { CertificateKind } from '../etcd/pki/certificate-kind.js';
import { certificateVerdict, DEFAULT_RENEW_BEFORE_DAYS, type WantedCertificate } from '../etcd/pki/certificate-verdict.js';
import { inspectCertificate } from '../etcd/pki/inspect-certificate.js';
import { DEFAULT_CERT_VALIDITY_DAYS, issueCertificate } from '../etcd/pki/issue-certificate.js';
import { memberSubjectAltNames } from '../etcd/pki/member-certificate-plan.js';
import { sh } from '../connection/shell-quote.js';
import { type Change, ChangeAction, type TaskPlan, noop } from '../plan/change.js';
import { readCaCertificate, readPeerCaCertificate, signingCa, signingPeerCa } from '../etcd/pki/cluster-ca.js';
import { PEER_CA_CERT_FILE } from '../etcd/pki/peer-certificate-authority.js';
import { clusterSpecOf, localPkiDir, memberAddress, memberHostnames } from '../etcd/cluster-spec.js';
import { defineModule, type ModuleContext } from './module.js';
import { TaskFailure } from './task-failure.js';

export interface EtcdCertificatesArgs {
  readonly name?: string;
  readonly pki_dir?: string;
  readonly local_pki_dir?: string;
  readonly owner?: string;
  readonly group?: string;
  readonly clients?: readonly string[];
  readonly renew_before_days?: number;
  readonly validity_days?: number;
  readonly ca_passphrase?: string;
}

/** One file as found on the host. */
export interface RemotePemFile {
  readonly content?: string;
  /** `owner:group:mode` (mode in octal without a leading 0). */
  readonly attributes?: string;
}

export interface EtcdCertificatesFacts {
  /** Our CA certificate, or undefined when the control node has no CA yet. */
  readonly caPem?: string;
  /** Our peer CA certificate, or undefined when the control node has none yet (a cluster from before it). */
  readonly peerCaPem?: string;
  /** Keyed by file name (`server.crt`, `server.key`, ...). */
  readonly files: Readonly<Record<string, RemotePemFile>>;
  /** When the facts were read: expiry is judged against it. */
  readonly now: string;
}

/** One certificate the member carries: its file stem, kind and wanted names. */
interface WantedFile {
  readonly stem: string;
  readonly wanted: WantedCertificate & { readonly commonName: string };
}

const CERT_MODE = '644';
const KEY_MODE = '600';

function settings(args: EtcdCertificatesArgs, ctx: ModuleContext) {
  const name = args.name ?? ctx.host;
  return {
    name,
    dir: args.pki_dir ?? clusterSpecOf(ctx).memberPkiDir,
    owner: args.owner ?? 'etcd',
    group: args.group ?? args.owner ?? 'etcd',
    clients: args.clients ?? ['backup'],
    renewBeforeDays: args.renew_before_days ?? DEFAULT_RENEW_BEFORE_DAYS,
    validityDays: args.validity_days ?? DEFAULT_CERT_VALIDITY_DAYS,
  };
}

function wantedFiles(args: EtcdCertificatesArgs, ctx: ModuleContext): WantedFile[] {
  const s = settings(args, ctx);
  const sans = memberSubjectAltNames({ name: s.name, addresses: [memberAddress(ctx, ctx.host)], hostnames: memberHostnames(ctx, ctx.host) });
  const member = (kind: CertificateKind): WantedFile => ({ stem: kind, wanted: { kind, commonName: s.name, ...sans } });
  return [
    member('server'),
    member('peer'),
    ...s.clients.map((user) => ({ stem: user, wanted: { kind: 'client' as const, commonName: user, dnsNames: [], ipAddresses: [] } })),
  ];
}

/** Every file name the member has: the CA certificates, then a certificate and key per wanted certificate. */
function fileNames(wanted: readonly WantedFile[]): string[] {
  return ['ca.crt', PEER_CA_CERT_FILE, ...wanted.flatMap((w) => [`${w.stem}.crt`, `${w.stem}.key`])];
}

/** One command prints every file behind a header line `### NAME OWNER:GROUP:MODE` (or `### NAME -`). */
export function readCommand(dir: string, names: readonly string[]): string {
  return sh`d=${dir}
for f in ${names}; do
  if [ -f "$d/$f" ]; then printf '### %s %s\\n' "$f" "$(stat -c '%U:%G:%a' -- "$d/$f")"; cat -- "$d/$f"; printf '\\n'
  else printf '### %s -\\n' "$f"; fi
done`.text;
}

export function parseRemoteFiles(stdout: string): Record<string, RemotePemFile> {
  const files: Record<string, RemotePemFile> = {};
  const parts = stdout.split(/^### /m).slice(1);
  for (const part of parts) {
    const newline = part.indexOf('\n');
    const [name, attributes] = part.slice(0, newline).trim().split(' ');
    if (!name) continue;
    files[name] = attributes === '-' ? {} : { attributes, content: part.slice(newline + 1).trim() + '\n' };
  }
  return files;
}

/** How a foreign CA certificate is named in a reason: its subject and the start of its fingerprint. */
function describeCa(pem: string): string {
  try {
    const cert = new X509Certificate(pem);
    return `${cert.subject.replace(/\n/g, ', ')}, SHA-256 ${cert.fingerprint256.slice(0, 23)}...`;
  } catch {
    return 'an unreadable certificate';
  }
}

/** Why a present certificate must be re-issued, or undefined when it is kept. */
function certificateProblem(facts: EtcdCertificatesFacts, file: WantedFile, renewBeforeDays: number): string | undefined {
  const cert = facts.files[`${file.stem}.crt`]?.content;
  const key = facts.files[`${file.stem}.key`]?.content;
  if (cert === undefined) return 'missing';
  if (key === undefined) return 'its key is missing';
  const peer = file.wanted.kind === 'peer';
  if (peer && facts.peerCaPem === undefined) {
    return 'issued by the cluster CA, which also issues client certificates: re-issued by a peer CA so the peer port accepts peers only';
  }
  try {
    const inspection = inspectCertificate(cert, { ca: peer ? facts.peerCaPem! : facts.caPem!, keyPem: key });
    if (peer && !inspection.issuerMatchesCa) {
      return 'not issued by the peer CA (a certificate from the cluster CA would let any client certificate act as a peer)';
    }
    // Members that still trust only the cluster CA verify a peer through the peer CA sent with it.
    if (peer && !cert.includes(facts.peerCaPem!.trim())) return 'the peer CA certificate is missing from its chain';
    const verdict = certificateVerdict(inspection, file.wanted, { now: new Date(facts.now), renewBeforeDays });
    return verdict.action === 'keep' ? undefined : verdict.reason;
  } catch (error) {
    return `not a readable certificate: ${(error as Error).message}`;
  }
}

function attributeChange(path: string, found: RemotePemFile, owner: string, group: string, mode: string): Change | undefined {
  const wanted = `${owner}:${group}:${mode}`;
  if (found.attributes === wanted) return undefined;
  return { action: ChangeAction.UPDATE, target: path, reason: `owner:group:mode is ${found.attributes}, wanted ${wanted}`, before: `${found.attributes}\n`, after: `${wanted}\n` };
}

export function planCertificates(args: EtcdCertificatesArgs, facts: EtcdCertificatesFacts, ctx: ModuleContext): TaskPlan {
  const s = settings(args, ctx);
  const wanted = wantedFiles(args, ctx);
  const changes: Change[] = [];
  const path = (name: string) => `${s.dir}/${name}`;
  const certificates: Record<string, unknown>[] = [];
  if (facts.caPem === undefined) {
    changes.push({ action: ChangeAction.CREATE, target: `${localPkiDir(ctx, args.local_pki_dir)}/ca.crt (control node)`, reason: 'no cluster CA yet: it is created on first use' });
  }
  if (facts.caPem !== undefined && facts.peerCaPem === undefined) {
    changes.push({
      action: ChangeAction.CREATE,
      target: `${localPkiDir(ctx, args.local_pki_dir)}/${PEER_CA_CERT_FILE} (control node)`,
      reason: 'no peer CA yet: issued by the cluster CA on first use',
    });
  }
  for (const [name, ours, what] of [['ca.crt', facts.caPem, "this cluster's CA"], [PEER_CA_CERT_FILE, facts.peerCaPem, "this cluster's peer CA"]] as const) {
    const onHost = facts.files[name]?.content;
    if (onHost === undefined) {
      changes.push({ action: ChangeAction.CREATE, target: path(name), reason: 'missing' });
    } else if (ours !== undefined && onHost.trim() !== ours.trim()) {
      changes.push({
        action: ChangeAction.REPLACE,
        target: path(name),
        reason: `the host trusts another CA (${describeCa(onHost)}), not ${what}: replaced`,
        before: onHost,
        after: ours,
      });
    } else {
      const attrs = attributeChange(path(name), facts.files[name]!, s.owner, s.group, CERT_MODE);
      if (attrs) changes.push(attrs);
    }
  }
  for (const file of wanted) {
    const crt = path(`${file.stem}.crt`);
    const key = path(`${file.stem}.key`);
    const problem = facts.caPem === undefined ? 'missing (no CA yet)' : certificateProblem(facts, file, s.renewBeforeDays);
    certificates.push({ file: crt, kind: file.wanted.kind, action: problem === undefined ? 'keep' : 'issue', reason: problem ?? 'valid' });
    if (problem !== undefined) {
      const present = facts.files[`${file.stem}.crt`]?.content !== undefined;
      const action = present ? ChangeAction.REPLACE : ChangeAction.CREATE;
      changes.push({ action, target: crt, reason: `${file.wanted.kind} certificate ${file.wanted.commonName}: ${problem}` });
      changes.push({ action, target: key, reason: `new key for ${crt}`, sensitive: true });
      continue;
    }
    for (const [p, found, mode] of [[crt, facts.files[`${file.stem}.crt`]!, CERT_MODE], [key, facts.files[`${file.stem}.key`]!, KEY_MODE]] as const) {
      const attrs = attributeChange(p, found, s.owner, s.group, mode);
      if (attrs) changes.push(attrs);
    }
  }
  const result = { certificates };
  if (changes.length === 0) return noop(`${wanted.length} certificates valid, signed by the cluster CA, names as wanted`, result);
  return { changes, result };
}

export const etcdCertificatesModule = defineModule<EtcdCertificatesArgs, EtcdCertificatesFacts>({
  name: 'etcd_certificates',
  description:
    "Issue a member's TLS files from the control node's cluster CA (created on first use, never copied to hosts): CA, server, peer (from the peer CA, an intermediate of the cluster CA) and client certificates; re-issue only those that are missing, expiring, for other names, from another CA, tampered or with a mismatched key.",
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      name: { type: 'string', description: 'Member name, the certificates\' common name (default: the inventory host name).' },
      pki_dir: { type: 'string', description: 'Folder of the TLS files on the host (default: etcd_pki_dir, else /etc/etcd/pki).' },
      local_pki_dir: {
        type: 'string',
        description: 'Folder of the CA on the control node (default: etcd_local_pki_dir, else .etcdops/pki beside the inventory).',
      },
      owner: { type: 'string', description: 'Owner of the files on the host (default etcd); keys are 0600, certificates 0644.' },
      group: { type: 'string', description: 'Group of the files on the host (default: the owner).' },
      clients: {
        type: 'array',
        items: { type: 'string', description: 'A client user name, the certificate\'s common name and file stem.' },
        description: 'Client certificates to keep on the member, e.g. for its backup job (default [backup]).',
      },
      renew_before_days: { type: 'integer', minimum: 0, description: 'Re-issue certificates that expire within this many days (default 30).' },
      validity_days: { type: 'number', exclusiveMinimum: 0, description: 'Validity of newly issued certificates, in days (default 365).' },
      ca_passphrase: { type: 'string', description: 'Passphrase of an encrypted CA key (also used to encrypt a newly created one).' },
    },
  },
  example: `- name: Member certificates
  etcd_certificates:
    pki_dir: /etc/etcd/pki
    clients: [backup]
    renew_before_days: 30
  register: etcd_certs
`,
  idempotent: true,
  async gather(args, ctx) {
    const s = settings(args, ctx);
    const names = fileNames(wantedFiles(args, ctx));
    const [caPem, peerCaPem, out] = await Promise.all([
      readCaCertificate(localPkiDir(ctx, args.local_pki_dir)),
      readPeerCaCertificate(localPkiDir(ctx, args.local_pki_dir)),
      ctx.connection.exec(readCommand(s.dir, names), { become: ctx.become }),
    ]);
    if (out.code !== 0) throw new TaskFailure(`cannot read ${s.dir}: ${out.stderr.trim()}`);
    return { caPem, peerCaPem, files: parseRemoteFiles(out.stdout), now: new Date().toISOString() };
  },
  plan: (args, facts, ctx) => planCertificates(args, facts, ctx),
  async apply(args, plan, ctx) {
    const s = settings(args, ctx);
    const ca = await signingCa(localPkiDir(ctx, args.local_pki_dir), args.ca_passphrase);
    const peerCa = await signingPeerCa(localPkiDir(ctx, args.local_pki_dir), args.ca_passphrase);
    const targets = new Set(plan.changes.filter((c) => c.action !== ChangeAction.UPDATE).map((c) => c.target));
    const put = (content: string, path: string, mode: string) =>
      ctx.connection.putFile(content, path, { mode: `0${mode}`, owner: s.owner, group: s.group, become: ctx.become });
    const mkdir = await ctx.connection.exec(sh`install -d -m 0750 -o ${s.owner} -g ${s.group} -- ${s.dir}`.text, { become: ctx.become });
    if (mkdir.code !== 0) return { changed: false, failed: true, msg: `cannot create ${s.dir}: ${mkdir.stderr.trim()}` };
    if (targets.has(`${s.dir}/ca.crt`)) await put(ca.certPem, `${s.dir}/ca.crt`, CERT_MODE);
    if (targets.has(`${s.dir}/${PEER_CA_CERT_FILE}`)) await put(peerCa.certPem, `${s.dir}/${PEER_CA_CERT_FILE}`, CERT_MODE);
    const issued: string[] = [];
    for (const file of wantedFiles(args, ctx)) {
      const crt = `${s.dir}/${file.stem}.crt`;
      if (!targets.has(crt)) continue;
      const { kind, commonName, dnsNames, ipAddresses } = file.wanted;
      const peer = kind === 'peer';
      const cert = await issueCertificate(peer ? peerCa : ca, { kind, commonName, dnsNames, ipAddresses, validityDays: s.validityDays });
      // Key first: etcd reads the pair per TLS handshake, and a new key with the old certificate fails
      // only that handshake, while the reverse order would do the same; the window is one rename.
      await put(cert.keyPem, `${s.dir}/${file.stem}.key`, KEY_MODE);
      await put(peer ? `${cert.certPem.trim()}\n${peerCa.certPem.trim()}\n` : cert.certPem, crt, CERT_MODE);
      issued.push(file.stem);
    }
    const modes = plan.changes.filter((c) => c.action === ChangeAction.UPDATE);
    for (const change of modes) {
      const mode = change.target.endsWith('.key') ? KEY_MODE : CERT_MODE;
      const out = await ctx.connection.exec(sh`chown ${s.owner}:${s.group} -- ${change.target} && chmod 0${mode} -- ${change.target}`.text, { become: ctx.become });
      if (out.code !== 0) return { changed: true, failed: true, msg: `cannot set owner and mode of ${change.target}: ${out.stderr.trim()}` };
    }
    return { changed: true, result: { ...plan.result, issued, ca_created: ca.created, peer_ca_created: peerCa.created } };
  },
});
