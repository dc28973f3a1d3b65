// Plans, purely, which certificates of the cluster to create, keep or re-issue: a server and a peer
// certificate per member and one client certificate per user, each judged by certificateVerdict.
import { CertificateProblem, certificateVerdict, type WantedCertificate } from './certificate-verdict.js';
import type { CertificateKind } from './certificate-kind.js';
import type { CertificateInspection } from './inspect-certificate.js';
import { canonicalIp } from './ip-address.js';

export interface MemberIdentity {
  /** etcd member name (the inventory host name). */
  readonly name: string;
  /** IP addresses the member is reached at. */
  readonly addresses: readonly string[];
  /** DNS names the member is reached at. */
  readonly hostnames: readonly string[];
}

/** What was found for one certificate: nothing, something unreadable, or an inspection. */
export type FoundCertificate =
  | { readonly state: 'missing' }
  | { readonly state: 'unreadable'; readonly error: string }
  | { readonly state: 'present'; readonly inspection: CertificateInspection };

export interface PlannedCertificate {
  /** Member name for server and peer certificates, user name for client certificates. */
  readonly owner: string;
  readonly kind: CertificateKind;
  readonly action: 'create' | 'keep' | 'reissue';
  readonly problem: CertificateProblem | 'MISSING' | 'UNREADABLE';
  readonly reason: string;
  readonly wanted: WantedCertificate & { readonly commonName: string };
}

export interface CertificatePlanInput {
  readonly members: readonly MemberIdentity[];
  /** Client certificate users, e.g. `admin`, `prometheus`, `backup`. */
  readonly clients: readonly string[];
  /** Keyed by `certificateKey(owner, kind)`; absent keys count as missing. */
  readonly found: Readonly<Record<string, FoundCertificate>>;
  readonly now: Date;
  readonly renewBeforeDays?: number;
}

export function certificateKey(owner: string, kind: CertificateKind): string {
  return `${owner}/${kind}`;
}

/** A member's SANs: its addresses and names plus the loopback forms local clients use. */
export function memberSubjectAltNames(member: MemberIdentity): { dnsNames: string[]; ipAddresses: string[] } {
  return {
    dnsNames: [...new Set([...member.hostnames, 'localhost'])],
    ipAddresses: [...new Set([...member.addresses, '127.0.0.1'].map(canonicalIp))],
  };
}

function planOne(
  owner: string,
  wanted: WantedCertificate & { readonly commonName: string },
  input: CertificatePlanInput,
): PlannedCertificate {
  const found = input.found[certificateKey(owner, wanted.kind)] ?? { state: 'missing' };
  const base = { owner, kind: wanted.kind, wanted };
  if (found.state === 'missing') return { ...base, action: 'create', problem: 'MISSING', reason: 'no certificate yet' };
  if (found.state === 'unreadable') {
    return { ...base, action: 'reissue', problem: 'UNREADABLE', reason: `not a readable certificate: ${found.error}` };
  }
  const verdict = certificateVerdict(found.inspection, wanted, {
    now: input.now,
    renewBeforeDays: input.renewBeforeDays,
  });
  return { ...base, action: verdict.action, problem: verdict.problem, reason: verdict.reason };
}

export function planMemberCertificates(input: CertificatePlanInput): PlannedCertificate[] {
  const planned: PlannedCertificate[] = [];
  for (const member of input.members) {
    const names = memberSubjectAltNames(member);
    for (const kind of ['server', 'peer'] as const) {
      planned.push(planOne(member.name, { kind, commonName: member.name, ...names }, input));
    }
  }
  for (const user of input.clients) {
    planned.push(planOne(user, { kind: 'client', commonName: user, dnsNames: [], ipAddresses: [] }, input));
  }
  return planned;
}
