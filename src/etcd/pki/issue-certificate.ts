// Issues a member (server or peer) or client certificate signed by the cluster CA, with a fresh key.
import { createPrivateKey } from 'node:crypto';
import { isIP } from 'node:net';
import type Forge from 'node-forge';
import { onFirstUse } from '../../startup/on-first-use.js';
import { UserError } from '../../errors/user-error.js';
import { buildCertificate } from './build-certificate.js';
import { EXT_KEY_USAGE_BY_KIND, type CertificateKind } from './certificate-kind.js';
import { forgePublicKeyOf, generatePrivateKeyPem, rsaSigningKey } from './key-pair.js';

const forge = onFirstUse<typeof Forge>('node-forge');

export interface CertificateRequest {
  readonly commonName: string;
  readonly kind: CertificateKind;
  /** DNS subject alternative names (server and peer certificates). */
  readonly dnsNames?: readonly string[];
  /** IP subject alternative names (server and peer certificates). */
  readonly ipAddresses?: readonly string[];
  readonly validityDays?: number;
  /** Issue "as of" this time (tests); defaults to the current time. */
  readonly now?: Date;
}

export interface IssuedCertificate {
  readonly certPem: string;
  /** Unencrypted PKCS#8: etcd reads it at start-up without a passphrase. */
  readonly keyPem: string;
}

/** The CA as issueCertificate needs it: its certificate and decrypted key. */
export interface SigningCa {
  readonly certPem: string;
  readonly keyPem: string;
}

export const DEFAULT_CERT_VALIDITY_DAYS = 365;

export async function issueCertificate(ca: SigningCa, request: CertificateRequest): Promise<IssuedCertificate> {
  const dnsNames = request.dnsNames ?? [];
  const ipAddresses = request.ipAddresses ?? [];
  for (const ip of ipAddresses) {
    if (isIP(ip) === 0) throw new UserError(`"${ip}" is not an IP address (certificate ${request.commonName}, ipAddresses)`);
  }
  if (request.kind !== 'client' && dnsNames.length + ipAddresses.length === 0) {
    throw new UserError(`a ${request.kind} certificate needs at least one DNS name or IP address (${request.commonName})`);
  }
  const caCert = forge().pki.certificateFromPem(ca.certPem);
  const caKeyId = (caCert.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | null)
    ?.subjectKeyIdentifier;
  const keyPem = await generatePrivateKeyPem();
  const usages = EXT_KEY_USAGE_BY_KIND[request.kind];
  const altNames = [
    ...dnsNames.map((value) => ({ type: 2, value })),
    ...ipAddresses.map((ip) => ({ type: 7, ip })),
  ];
  const extensions: object[] = [
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    {
      name: 'extKeyUsage',
      serverAuth: usages.includes('serverAuth'),
      clientAuth: usages.includes('clientAuth'),
    },
    { name: 'subjectKeyIdentifier' },
  ];
  if (caKeyId) extensions.push({ name: 'authorityKeyIdentifier', keyIdentifier: forge().util.hexToBytes(caKeyId) });
  if (altNames.length > 0) extensions.push({ name: 'subjectAltName', altNames });
  const certPem = buildCertificate({
    commonName: request.commonName,
    publicKey: forgePublicKeyOf(keyPem),
    now: request.now ?? new Date(),
    validityDays: request.validityDays ?? DEFAULT_CERT_VALIDITY_DAYS,
    extensions,
    issuer: caCert,
    signingKey: rsaSigningKey(createPrivateKey(ca.keyPem)),
  });
  return { certPem, keyPem };
}
