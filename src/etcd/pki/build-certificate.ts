// Builds one X.509 certificate with node-forge and signs it with OpenSSL: the shared mechanics behind the CA
// and the member and client certificates (serial, validity window, subject, extensions, SHA-256 signature).
import { constants, privateEncrypt, randomBytes, type KeyObject } from 'node:crypto';
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
  /** The issuer's RSA private key (see `rsaSigningKey`). */
  readonly signingKey: KeyObject;
}

/** The DER prefix of a PKCS#1 v1.5 DigestInfo for SHA-256 (RFC 8017, section 9.2, note 1). */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * The signer node-forge's `cert.sign` calls with the digest of the to-be-signed certificate: the RSA
 * operation runs in OpenSSL. node-forge's JavaScript big integers took about 1.4 s of CPU per run that issues
 * a cluster's certificates, and more before V8 had optimised them.
 */
function opensslSigner(key: KeyObject): Forge.pki.rsa.PrivateKey {
  const sign = (md: Forge.md.MessageDigest): string => {
    if (md.algorithm !== 'sha256') throw new Error(`certificates are signed with SHA-256, not ${md.algorithm}`);
    const digestInfo = Buffer.concat([SHA256_DIGEST_INFO, Buffer.from(md.digest().getBytes(), 'binary')]);
    return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo).toString('binary');
  };
  return { sign } as unknown as Forge.pki.rsa.PrivateKey;
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
  cert.sign(opensslSigner(spec.signingKey), forge().md.sha256.create());
  return forge().pki.certificateToPem(cert);
}
