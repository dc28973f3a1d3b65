// Builds and signs one X.509 certificate with node-forge: the shared mechanics behind the CA and the
// member and client certificates (serial, validity window, subject, extensions, SHA-256 signature).
import { randomBytes } from 'node:crypto';
import type Forge from 'node-forge';
import { onFirstUse } from '../../startup/on-first-use.js';

const forge = onFirstUse<typeof Forge>('node-forge');

const DAY_MS = 24 * 60 * 60 * 1000;
/** Certificates start a little in the past so a host whose clock lags the control node accepts them at once. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

export interface CertificateSpec {
  readonly commonName: string;
  readonly publicKey: Forge.pki.rsa.PublicKey;
  /** Issue "as of" this time; tests use it for expired certificates. */
  readonly now: Date;
  readonly validityDays: number;
  readonly extensions: readonly object[];
  /** The issuer's certificate; omitted for a self-signed CA. */
  readonly issuer?: Forge.pki.Certificate;
  readonly signingKey: Forge.pki.rsa.PrivateKey;
}

/** A positive 128-bit serial: random so two certificates of one CA never share one. */
function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  if (bytes[0] === 0) bytes[0] = 1;
  return bytes.toString('hex');
}

export function buildCertificate(spec: CertificateSpec): string {
  const cert = forge().pki.createCertificate();
  cert.publicKey = spec.publicKey;
  cert.serialNumber = randomSerialHex();
  cert.validity.notBefore = new Date(spec.now.getTime() - CLOCK_SKEW_MS);
  cert.validity.notAfter = new Date(spec.now.getTime() + spec.validityDays * DAY_MS);
  const subject = [{ name: 'commonName', value: spec.commonName }];
  cert.setSubject(subject);
  cert.setIssuer(spec.issuer ? spec.issuer.subject.attributes : subject);
  cert.setExtensions(spec.extensions as unknown as Forge.pki.CertificateField[]);
  cert.sign(spec.signingKey, forge().md.sha256.create());
  return forge().pki.certificateToPem(cert);
}
