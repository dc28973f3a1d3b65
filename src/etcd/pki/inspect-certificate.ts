// Reads a certificate as found on a host and checks it against our CA (and, when given, its key), without
// trusting anything it claims: the signature is verified, not just the issuer name.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { UserError } from '../../errors/user-error.js';
import { readCertificateExtensions } from './certificate-extensions.js';
import { EXT_KEY_USAGE_NAMES } from './certificate-kind.js';

export interface CertificateInspection {
  /** Distinguished name, e.g. `CN=etcd1`. */
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly fingerprint256: string;
  /** ISO 8601. */
  readonly notBefore: string;
  /** ISO 8601. */
  readonly notAfter: string;
  readonly dnsNames: readonly string[];
  /** Canonical spelling (see canonicalIp). */
  readonly ipAddresses: readonly string[];
  /** `serverAuth`, `clientAuth`, or the OID of any other usage. */
  readonly extKeyUsage: readonly string[];
  /** The signature verifies with our CA's key and the issuer fields name our CA. */
  readonly signedByCa: boolean;
  /** The issuer name (and authority key id, when present) are our CA's: false means another CA issued it. */
  readonly issuerMatchesCa: boolean;
  /** Whether the given key is the certificate's; null when no key was given. */
  readonly keyMatches: boolean | null;
}

export interface InspectOptions {
  /** Our CA certificate (PEM). */
  readonly ca: string;
  /** The private key found beside the certificate (PEM), to check that the pair matches. */
  readonly keyPem?: string;
}

function parseCertificate(pem: string, what: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (error) {
    throw new UserError(`the ${what} is not a readable PEM certificate: ${(error as Error).message}`);
  }
}

function keyMatchesCertificate(cert: X509Certificate, keyPem: string): boolean {
  try {
    return cert.checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}

export function inspectCertificate(certPem: string, options: InspectOptions): CertificateInspection {
  const cert = parseCertificate(certPem, 'certificate');
  const ca = parseCertificate(options.ca, 'CA certificate');
  const extensions = readCertificateExtensions(cert.raw);
  const caKeyId = readCertificateExtensions(ca.raw).subjectKeyId;
  const keyIdsAgree =
    extensions.authorityKeyId === undefined || caKeyId === undefined || extensions.authorityKeyId === caKeyId;
  const issuerMatchesCa = cert.issuer === ca.subject && keyIdsAgree;
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    serialNumber: cert.serialNumber,
    fingerprint256: cert.fingerprint256,
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    dnsNames: extensions.dnsNames,
    ipAddresses: extensions.ipAddresses,
    extKeyUsage: extensions.extKeyUsageOids.map((oid) => EXT_KEY_USAGE_NAMES[oid] ?? oid),
    signedByCa: issuerMatchesCa && cert.checkIssued(ca) && cert.verify(ca.publicKey),
    issuerMatchesCa,
    keyMatches: options.keyPem === undefined ? null : keyMatchesCertificate(cert, options.keyPem),
  };
}
