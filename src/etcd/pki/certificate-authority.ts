// The cluster CA, kept only on the control node: created once in the PKI folder (key 0600, optionally
// passphrase-encrypted) and reused on every later run so existing certificates stay valid.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../errors/user-error.js';
import { buildCertificate } from './build-certificate.js';
import { exportPrivateKeyPem, forgePublicKeyOf, generatePrivateKeyPem, readPrivateKey } from './key-pair.js';
import {
  CERT_FILE_MODE,
  KEY_FILE_MODE,
  ensurePkiDir,
  fileMode,
  readFileIfExists,
  writeFileAtomic,
} from './pem-files.js';

export const CA_CERT_FILE = 'ca.crt';
export const CA_KEY_FILE = 'ca.key';

export interface EnsureCaOptions {
  /** Encrypts the key on disk (AES-256); required again to reuse an encrypted CA. */
  readonly passphrase?: string;
  /** Validity of a newly created CA. */
  readonly validityDays?: number;
  /** Subject CN of a newly created CA. */
  readonly commonName: string;
  /** Issue "as of" this time (tests); defaults to the current time. */
  readonly now?: Date;
}

export interface CertificateAuthority {
  readonly certPem: string;
  /** The decrypted key, in memory only, for signing. */
  readonly keyPem: string;
  readonly certPath: string;
  readonly keyPath: string;
  /** True when this call created the CA. */
  readonly created: boolean;
  /** True when an existing key file was readable by others and was narrowed to 0600. */
  readonly keyModeTightened: boolean;
  readonly notAfter: string;
}

export const DEFAULT_CA_VALIDITY_DAYS = 3650;

export async function ensureCa(dir: string, options: EnsureCaOptions): Promise<CertificateAuthority> {
  const certPath = join(dir, CA_CERT_FILE);
  const keyPath = join(dir, CA_KEY_FILE);
  await ensurePkiDir(dir);
  const [existingCert, existingKey] = await Promise.all([readFileIfExists(certPath), readFileIfExists(keyPath)]);
  if (existingCert !== undefined && existingKey !== undefined) {
    return loadCa(certPath, keyPath, existingCert, existingKey, options.passphrase);
  }
  if (existingCert !== undefined || existingKey !== undefined) {
    const present = existingCert !== undefined ? certPath : keyPath;
    const missing = existingCert !== undefined ? keyPath : certPath;
    throw new UserError(
      `the CA is incomplete: ${present} exists but ${missing} does not. Restore the missing file from a backup; ` +
        `only if no certificate of this CA is in use anywhere, delete ${present} to create a new CA`,
      undefined,
      { file: missing },
    );
  }
  return createCa(certPath, keyPath, options);
}

async function createCa(certPath: string, keyPath: string, options: EnsureCaOptions): Promise<CertificateAuthority> {
  const keyPem = await generatePrivateKeyPem();
  const key = createPrivateKey(keyPem);
  const certPem = buildCertificate({
    commonName: options.commonName,
    publicKey: forgePublicKeyOf(keyPem),
    now: options.now ?? new Date(),
    validityDays: options.validityDays ?? DEFAULT_CA_VALIDITY_DAYS,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ],
    signingKey: key,
  });
  // Key first: a cert without its key would be an unusable half CA, the reverse is caught by ensureCa.
  await writeFileAtomic(keyPath, exportPrivateKeyPem(key, options.passphrase), KEY_FILE_MODE);
  await writeFileAtomic(certPath, certPem, CERT_FILE_MODE);
  return {
    certPem,
    keyPem,
    certPath,
    keyPath,
    created: true,
    keyModeTightened: false,
    notAfter: new Date(new X509Certificate(certPem).validTo).toISOString(),
  };
}

async function loadCa(
  certPath: string,
  keyPath: string,
  certPem: string,
  storedKeyPem: string,
  passphrase: string | undefined,
): Promise<CertificateAuthority> {
  const key = readPrivateKey(storedKeyPem, passphrase, keyPath);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch (error) {
    throw new UserError(`the CA certificate is not readable: ${(error as Error).message}`, undefined, { file: certPath });
  }
  if (!cert.checkPrivateKey(key)) {
    throw new UserError(`the CA key ${keyPath} does not belong to the CA certificate; restore the matching pair`, undefined, {
      file: certPath,
    });
  }
  if (!cert.ca) {
    throw new UserError('this certificate is not a CA (basicConstraints CA:FALSE)', undefined, { file: certPath });
  }
  const keyModeTightened = (await fileMode(keyPath)) !== KEY_FILE_MODE;
  if (keyModeTightened) await chmod(keyPath, KEY_FILE_MODE);
  return {
    certPem,
    keyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certPath,
    keyPath,
    created: false,
    keyModeTightened,
    notAfter: new Date(cert.validTo).toISOString(),
  };
}
