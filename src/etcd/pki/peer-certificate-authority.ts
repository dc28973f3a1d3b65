// The peer CA: an intermediate CA, signed by the cluster CA, that issues nothing but peer certificates.
// Members trust it alone on the peer port, so client and server certificates (signed by the cluster CA
// directly) are refused there. Members still trusting the cluster CA accept the new peer certificates
// through the chain in peer.crt, which lets a running cluster move over in one rolling restart.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { join } from 'node:path';
import type Forge from 'node-forge';
import { onFirstUse } from '../../startup/on-first-use.js';
import { UserError } from '../../errors/user-error.js';
import { buildCertificate } from './build-certificate.js';
import type { CertificateAuthority } from './certificate-authority.js';
import { DEFAULT_CA_VALIDITY_DAYS } from './certificate-authority.js';
import { inspectCertificate } from './inspect-certificate.js';
import { exportPrivateKeyPem, forgePublicKeyOf, generatePrivateKeyPem, readPrivateKey, rsaSigningKey } from './key-pair.js';
import { CERT_FILE_MODE, KEY_FILE_MODE, readFileIfExists, writeFileAtomic } from './pem-files.js';

const forge = onFirstUse<typeof Forge>('node-forge');

export const PEER_CA_CERT_FILE = 'peer-ca.crt';
export const PEER_CA_KEY_FILE = 'peer-ca.key';
export const PEER_CA_COMMON_NAME = 'etcd peer CA (etcdops)';

export interface PeerCertificateAuthority {
  readonly certPem: string;
  /** The decrypted key, in memory only, for signing. */
  readonly keyPem: string;
  /** True when this call created the peer CA. */
  readonly created: boolean;
}

/** Loads the peer CA in `dir` or creates it, signed by `clusterCa`; its key is stored like the cluster CA's. */
export async function ensurePeerCa(dir: string, clusterCa: CertificateAuthority, passphrase?: string): Promise<PeerCertificateAuthority> {
  const certPath = join(dir, PEER_CA_CERT_FILE);
  const keyPath = join(dir, PEER_CA_KEY_FILE);
  const [certPem, storedKey] = await Promise.all([readFileIfExists(certPath), readFileIfExists(keyPath)]);
  if (certPem !== undefined && storedKey !== undefined) {
    const key = readPrivateKey(storedKey, passphrase, keyPath);
    if (!new X509Certificate(certPem).checkPrivateKey(key)) {
      throw new UserError(`the peer CA key ${keyPath} does not belong to ${certPath}; restore the matching pair`, undefined, { file: certPath });
    }
    if (!inspectCertificate(certPem, { ca: clusterCa.certPem }).signedByCa) {
      throw new UserError(
        `the peer CA was not issued by this cluster's CA (${clusterCa.certPath}): restore the matching files, or delete ` +
          `${certPath} and ${keyPath} to issue a new peer CA (every peer certificate is then re-issued)`,
        undefined,
        { file: certPath },
      );
    }
    return { certPem, keyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(), created: false };
  }
  if (certPem !== undefined || storedKey !== undefined) {
    const present = certPem !== undefined ? certPath : keyPath;
    throw new UserError(`the peer CA is incomplete: only ${present} exists. Restore the other file, or delete ${present} to issue a new peer CA`, undefined, {
      file: present,
    });
  }
  const keyPem = await generatePrivateKeyPem();
  const issuer = forge().pki.certificateFromPem(clusterCa.certPem);
  const issuerKeyId = (issuer.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | null)?.subjectKeyIdentifier;
  const newCertPem = buildCertificate({
    commonName: PEER_CA_COMMON_NAME,
    publicKey: forgePublicKeyOf(keyPem),
    now: new Date(),
    validityDays: DEFAULT_CA_VALIDITY_DAYS,
    extensions: [
      // pathLen 0: the peer CA signs peer certificates, never another CA.
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      { name: 'subjectKeyIdentifier' },
      ...(issuerKeyId ? [{ name: 'authorityKeyIdentifier', keyIdentifier: forge().util.hexToBytes(issuerKeyId) }] : []),
    ],
    issuer,
    signingKey: rsaSigningKey(createPrivateKey(clusterCa.keyPem)),
  });
  await writeFileAtomic(keyPath, exportPrivateKeyPem(createPrivateKey(keyPem), passphrase), KEY_FILE_MODE);
  await writeFileAtomic(certPath, newCertPem, CERT_FILE_MODE);
  return { certPem: newCertPem, keyPem, created: true };
}
