// Certificate expiry: each member's server certificate (client port) and peer certificate (peer port) as
// the member presents them over TLS, which is what clients and peers will check, and the admin client
// certificate this inspection uses. An expired server or peer certificate stops the member.
import { X509Certificate } from 'node:crypto';
import { connect } from 'node:tls';
import { checkReport, type CheckReport, type Finding } from './check-report.js';
import { Severity } from './severity.js';

export const DEFAULT_CERT_WARN_DAYS = 30;
/** Within this many days a renewal is urgent. */
export const CERT_CRITICAL_DAYS = 7;
const DAY_SECONDS = 86_400;

export type CertificateKind = 'server' | 'peer' | 'client';

export interface CertificateExpiry {
  /** Inventory name of the member, or `control` for the admin client certificate. */
  readonly member: string;
  readonly certificate: CertificateKind;
  /** Where it was read: an address or a file. */
  readonly source: string;
  readonly notAfter: string | null;
  /** Seconds from the inspection until it expires (negative once expired). */
  readonly expiresInSeconds: number | null;
  readonly error: string | null;
}

export interface CertificatesData {
  readonly warnDays: number;
  readonly certificates: readonly CertificateExpiry[];
}

/** Pure: expired or within 7 days is critical, within the warning days a warning, unreadable a warning. */
export function judgeCertificates(certificates: readonly CertificateExpiry[], warnDays: number): CheckReport<CertificatesData> {
  const findings: Finding[] = [];
  for (const c of certificates) {
    const what = `${c.certificate} certificate of ${c.member}`;
    if (c.expiresInSeconds === null) {
      findings.push({ severity: Severity.WARNING, member: c.member, message: `${what} could not be read from ${c.source}: ${c.error ?? 'no answer'}` });
      continue;
    }
    const days = Math.floor(c.expiresInSeconds / DAY_SECONDS);
    if (c.expiresInSeconds <= 0) findings.push({ severity: Severity.CRITICAL, member: c.member, message: `${what} expired on ${c.notAfter}: renew it now (site.yml reissues member certificates)` });
    else if (days < CERT_CRITICAL_DAYS) findings.push({ severity: Severity.CRITICAL, member: c.member, message: `${what} expires in ${days} days (${c.notAfter}): renew it now` });
    else if (days < warnDays) findings.push({ severity: Severity.WARNING, member: c.member, message: `${what} expires in ${days} days (${c.notAfter}), within ${warnDays}: plan its renewal` });
  }
  const read = certificates.filter((c) => c.expiresInSeconds !== null);
  const soonest = read.reduce<CertificateExpiry | undefined>((s, c) => (s === undefined || c.expiresInSeconds! < s.expiresInSeconds! ? c : s), undefined);
  const summary = soonest
    ? `${read.length} of ${certificates.length} certificates read; the first to expire: ${soonest.certificate} of ${soonest.member} in ${Math.floor(soonest.expiresInSeconds! / DAY_SECONDS)} days`
    : 'no certificate could be read';
  return checkReport(summary, findings, { warnDays, certificates });
}

function expiryOf(member: string, certificate: CertificateKind, source: string, notAfter: Date, now: Date): CertificateExpiry {
  return { member, certificate, source, notAfter: notAfter.toISOString(), expiresInSeconds: Math.round((notAfter.getTime() - now.getTime()) / 1000), error: null };
}

/** The certificate a TLS server presents, read during the handshake; the admin identity is offered, since members ask for one. */
function presented(host: string, port: number, tls: { ca: string; cert: string; key: string }, timeoutMs: number): Promise<Date> {
  return new Promise((resolve, reject) => {
    // Only the certificate's dates are read here, so an untrusted one is still reported rather than refused.
    const socket = connect({ host, port, ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: false, ALPNProtocols: ['h2', 'http/1.1'] });
    const timer = setTimeout(() => socket.destroy(new Error(`no TLS answer within ${timeoutMs} ms`)), timeoutMs);
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      clearTimeout(timer);
      socket.destroy();
      if (!cert || !cert.valid_to) reject(new Error('no certificate presented'));
      else resolve(new Date(cert.valid_to));
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

export interface CertificateTargets {
  readonly members: readonly { readonly name: string; readonly endpoint: string; readonly peerEndpoint: string }[];
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
  readonly timeoutMs: number;
}

/** Reads every member's server and peer certificate over TLS, and the admin client certificate from its PEM. */
export async function collectCertificates(targets: CertificateTargets, now = new Date()): Promise<CertificateExpiry[]> {
  const read = async (member: string, certificate: CertificateKind, url: string): Promise<CertificateExpiry> => {
    try {
      const { hostname, port } = new URL(url);
      const notAfter = await presented(hostname.replace(/^\[|\]$/g, ''), Number(port), targets, targets.timeoutMs);
      return expiryOf(member, certificate, url, notAfter, now);
    } catch (error) {
      return { member, certificate, source: url, notAfter: null, expiresInSeconds: null, error: (error as Error).message };
    }
  };
  const remote = await Promise.all(targets.members.flatMap((m) => [read(m.name, 'server', m.endpoint), read(m.name, 'peer', m.peerEndpoint)]));
  let client: CertificateExpiry;
  try {
    client = expiryOf('control', 'client', 'the admin client certificate', new Date(new X509Certificate(targets.cert).validTo), now);
  } catch (error) {
    client = { member: 'control', certificate: 'client', source: 'the admin client certificate', notAfter: null, expiresInSeconds: null, error: (error as Error).message };
  }
  return [...remote, client];
}
