// etcd_client_certificate: a client certificate kept on the control node beside the CA (the admin's for
// etcdctl, health gates and membership changes; Prometheus' for scraping through TLS). The CA is created
// on first use. Kept while valid; re-issued when missing, expiring, from another CA, tampered or mismatched.
import { join } from 'node:path';
import { certificateVerdict, DEFAULT_RENEW_BEFORE_DAYS } from '../etcd/pki/certificate-verdict.js';
import { inspectCertificate } from '../etcd/pki/inspect-certificate.js';
import { DEFAULT_CERT_VALIDITY_DAYS, issueCertificate } from '../etcd/pki/issue-certificate.js';
import { CERT_FILE_MODE, KEY_FILE_MODE, readFileIfExists, writeFileAtomic } from '../etcd/pki/pem-files.js';
import { ChangeAction, type TaskPlan, noop } from '../plan/change.js';
import { readCaCertificate, signingCa } from '../etcd/pki/cluster-ca.js';
import { localPkiDir } from '../etcd/cluster-spec.js';
import { defineModule } from './module.js';

export interface EtcdClientCertificateArgs {
  readonly name: string;
  readonly local_pki_dir?: string;
  readonly renew_before_days?: number;
  readonly validity_days?: number;
  readonly ca_passphrase?: string;
}

export interface EtcdClientCertificateFacts {
  readonly dir: string;
  readonly caPem?: string;
  readonly certPem?: string;
  readonly keyPem?: string;
  readonly now: string;
}

function problemOf(args: EtcdClientCertificateArgs, facts: EtcdClientCertificateFacts): string | undefined {
  if (facts.caPem === undefined) return 'missing (no CA yet)';
  if (facts.certPem === undefined) return 'missing';
  if (facts.keyPem === undefined) return 'its key is missing';
  try {
    const inspection = inspectCertificate(facts.certPem, { ca: facts.caPem, keyPem: facts.keyPem });
    const verdict = certificateVerdict(
      inspection,
      { kind: 'client', commonName: args.name, dnsNames: [], ipAddresses: [] },
      { now: new Date(facts.now), renewBeforeDays: args.renew_before_days ?? DEFAULT_RENEW_BEFORE_DAYS },
    );
    return verdict.action === 'keep' ? undefined : verdict.reason;
  } catch (error) {
    return `not a readable certificate: ${(error as Error).message}`;
  }
}

export const etcdClientCertificateModule = defineModule<EtcdClientCertificateArgs, EtcdClientCertificateFacts>({
  name: 'etcd_client_certificate',
  description: 'Issue a client certificate (e.g. admin, prometheus) on the control node from the cluster CA, created on first use.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$', description: 'Client user name: the common name and the file stem (NAME.crt, NAME.key).' },
      local_pki_dir: {
        type: 'string',
        description: 'Folder of the CA and client certificates on the control node (default: etcd_local_pki_dir, else .etcdops/pki beside the inventory).',
      },
      renew_before_days: { type: 'integer', minimum: 0, description: 'Re-issue when it expires within this many days (default 30).' },
      validity_days: { type: 'number', exclusiveMinimum: 0, description: 'Validity of a newly issued certificate, in days (default 365).' },
      ca_passphrase: { type: 'string', description: 'Passphrase of an encrypted CA key (also used to encrypt a newly created one).' },
    },
  },
  example: `- name: Admin client certificate for etcdctl and health checks
  etcd_client_certificate:
    name: admin
  run_once: true
`,
  idempotent: true,
  controlOnly: true,
  async gather(args, ctx) {
    const dir = localPkiDir(ctx, args.local_pki_dir);
    const [caPem, certPem, keyPem] = await Promise.all([
      readCaCertificate(dir),
      readFileIfExists(join(dir, `${args.name}.crt`)),
      readFileIfExists(join(dir, `${args.name}.key`)),
    ]);
    return { dir, caPem, certPem, keyPem, now: new Date().toISOString() };
  },
  plan(args, facts) {
    const cert = join(facts.dir, `${args.name}.crt`);
    const result = { cert, key: join(facts.dir, `${args.name}.key`), ca: join(facts.dir, 'ca.crt') };
    const problem = problemOf(args, facts);
    if (problem === undefined) return noop(`client certificate ${args.name} is valid and signed by the cluster CA`, result);
    const action = facts.certPem === undefined ? ChangeAction.CREATE : ChangeAction.REPLACE;
    const changes = [
      ...(facts.caPem === undefined ? [{ action: ChangeAction.CREATE, target: result.ca, reason: 'no cluster CA yet: created on first use' }] : []),
      { action, target: cert, reason: `client certificate ${args.name}: ${problem}` },
      { action, target: result.key, reason: `new key for ${cert}`, sensitive: true },
    ];
    return { changes, result } satisfies TaskPlan;
  },
  async apply(args, plan, ctx) {
    const dir = localPkiDir(ctx, args.local_pki_dir);
    const ca = await signingCa(dir, args.ca_passphrase);
    const issued = await issueCertificate(ca, {
      kind: 'client',
      commonName: args.name,
      validityDays: args.validity_days ?? DEFAULT_CERT_VALIDITY_DAYS,
    });
    await writeFileAtomic(join(dir, `${args.name}.key`), issued.keyPem, KEY_FILE_MODE);
    await writeFileAtomic(join(dir, `${args.name}.crt`), issued.certPem, CERT_FILE_MODE);
    return { changed: true, result: { ...plan.result, ca_created: ca.created } };
  },
});
