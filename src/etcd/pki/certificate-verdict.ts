// Decides, purely from an inspection, whether a certificate on a host is kept or re-issued, and says why.
import { EXT_KEY_USAGE_BY_KIND, type CertificateKind } from './certificate-kind.js';
import type { CertificateInspection } from './inspect-certificate.js';
import { canonicalIp } from './ip-address.js';

/** Why a certificate must be re-issued; `NONE` when it is kept. */
export enum CertificateProblem {
  /** Valid, ours, and as wanted. */
  NONE = 'NONE',
  /** Another CA issued it: it is not trusted, whatever it claims. */
  FOREIGN_CA = 'FOREIGN_CA',
  /** It names our CA but its signature does not verify: altered after issuance. */
  TAMPERED = 'TAMPERED',
  /** The key beside it is not its key. */
  KEY_MISMATCH = 'KEY_MISMATCH',
  /** Past its notAfter. */
  EXPIRED = 'EXPIRED',
  /** Expires within the renewal threshold. */
  EXPIRES_SOON = 'EXPIRES_SOON',
  /** Extended key usage differs from what its kind needs. */
  WRONG_USAGE = 'WRONG_USAGE',
  /** Subject alternative names differ from the member's current names. */
  SANS_CHANGED = 'SANS_CHANGED',
  /** Subject common name differs (for client certificates it is the user name). */
  SUBJECT_CHANGED = 'SUBJECT_CHANGED',
}

export interface WantedCertificate {
  readonly kind: CertificateKind;
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  /** When given, the subject must be exactly `CN=<commonName>`. */
  readonly commonName?: string;
}

export interface VerdictOptions {
  readonly now: Date;
  /** Re-issue when fewer than this many days of validity remain. */
  readonly renewBeforeDays?: number;
}

export interface CertificateVerdict {
  readonly action: 'keep' | 'reissue';
  readonly problem: CertificateProblem;
  readonly reason: string;
}

export const DEFAULT_RENEW_BEFORE_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

function setDifference(a: readonly string[], b: readonly string[]): string[] {
  const other = new Set(b);
  return [...new Set(a)].filter((item) => !other.has(item)).sort();
}

function describeSanChange(actual: readonly string[], wanted: readonly string[]): string | undefined {
  const missing = setDifference(wanted, actual);
  const extra = setDifference(actual, wanted);
  if (missing.length === 0 && extra.length === 0) return undefined;
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`missing ${missing.join(', ')}`);
  if (extra.length > 0) parts.push(`no longer wanted ${extra.join(', ')}`);
  return parts.join('; ');
}

function reissue(problem: CertificateProblem, reason: string): CertificateVerdict {
  return { action: 'reissue', problem, reason };
}

export function certificateVerdict(
  inspection: CertificateInspection,
  wanted: WantedCertificate,
  options: VerdictOptions,
): CertificateVerdict {
  if (!inspection.issuerMatchesCa) {
    return reissue(
      CertificateProblem.FOREIGN_CA,
      `issued by another CA (${inspection.issuer}), not by this cluster's CA: not trusted`,
    );
  }
  if (!inspection.signedByCa) {
    return reissue(
      CertificateProblem.TAMPERED,
      "names this cluster's CA but its signature does not verify: the certificate was altered",
    );
  }
  if (inspection.keyMatches === false) {
    return reissue(CertificateProblem.KEY_MISMATCH, 'the key beside it does not belong to the certificate');
  }
  const notAfter = new Date(inspection.notAfter);
  const remainingMs = notAfter.getTime() - options.now.getTime();
  if (remainingMs <= 0) return reissue(CertificateProblem.EXPIRED, `expired on ${inspection.notAfter}`);
  const renewBeforeDays = options.renewBeforeDays ?? DEFAULT_RENEW_BEFORE_DAYS;
  if (remainingMs < renewBeforeDays * DAY_MS) {
    const days = Math.floor(remainingMs / DAY_MS);
    return reissue(
      CertificateProblem.EXPIRES_SOON,
      `expires on ${inspection.notAfter} (in ${days} days, renewal threshold ${renewBeforeDays} days)`,
    );
  }
  const wantedUsage = EXT_KEY_USAGE_BY_KIND[wanted.kind];
  if (describeSanChange(inspection.extKeyUsage, wantedUsage) !== undefined) {
    return reissue(
      CertificateProblem.WRONG_USAGE,
      `extended key usage is [${inspection.extKeyUsage.join(', ')}]; a ${wanted.kind} certificate needs [${wantedUsage.join(', ')}]`,
    );
  }
  if (wanted.commonName !== undefined && inspection.subject !== `CN=${wanted.commonName}`) {
    return reissue(CertificateProblem.SUBJECT_CHANGED, `subject is ${inspection.subject}, wanted CN=${wanted.commonName}`);
  }
  const dnsChange = describeSanChange(
    inspection.dnsNames.map((name) => name.toLowerCase()),
    wanted.dnsNames.map((name) => name.toLowerCase()),
  );
  const ipChange = describeSanChange(inspection.ipAddresses.map(canonicalIp), wanted.ipAddresses.map(canonicalIp));
  if (dnsChange !== undefined || ipChange !== undefined) {
    const parts = [dnsChange && `DNS names: ${dnsChange}`, ipChange && `IP addresses: ${ipChange}`].filter(Boolean);
    return reissue(CertificateProblem.SANS_CHANGED, `subject alternative names changed (${parts.join('; ')})`);
  }
  return { action: 'keep', problem: CertificateProblem.NONE, reason: `valid until ${inspection.notAfter}, names and usage as wanted` };
}
