// The cluster CA (and its peer CA) as the etcd certificate modules use it: read without side effects while planning, and
// created or loaded for signing with one caller at a time per folder, so members issued in parallel
// never create two different CAs.
import { join } from 'node:path';
import { CA_CERT_FILE, ensureCa, type CertificateAuthority } from './certificate-authority.js';
import { readFileIfExists } from './pem-files.js';
import { PEER_CA_CERT_FILE, ensurePeerCa, type PeerCertificateAuthority } from './peer-certificate-authority.js';

/** Subject common name of a CA created by etcdops. */
export const CA_COMMON_NAME = 'etcd cluster CA (etcdops)';

const pending = new Map<string, Promise<CertificateAuthority>>();
const peerPending = new Map<string, Promise<PeerCertificateAuthority>>();

/** The CA certificate (PEM) in `dir`, or undefined when there is no CA yet. */
export function readCaCertificate(dir: string): Promise<string | undefined> {
  return readFileIfExists(join(dir, CA_CERT_FILE));
}

/** Loads the CA in `dir`, creating it on first use; concurrent callers share one load. */
export function signingCa(dir: string, passphrase?: string): Promise<CertificateAuthority> {
  const previous = pending.get(dir) ?? Promise.resolve(undefined);
  const next = previous.catch(() => undefined).then(() => ensureCa(dir, { commonName: CA_COMMON_NAME, passphrase: passphrase || undefined }));
  pending.set(dir, next);
  return next;
}

/** The peer CA certificate (PEM) in `dir`, or undefined when there is none yet. */
export function readPeerCaCertificate(dir: string): Promise<string | undefined> {
  return readFileIfExists(join(dir, PEER_CA_CERT_FILE));
}

/** Loads the peer CA in `dir`, issuing it from the cluster CA on first use; concurrent callers share one load. */
export function signingPeerCa(dir: string, passphrase?: string): Promise<PeerCertificateAuthority> {
  const key = `${dir}\0peer`;
  const previous = peerPending.get(key) ?? Promise.resolve(undefined);
  const next = previous
    .catch(() => undefined)
    .then(async () => ensurePeerCa(dir, await signingCa(dir, passphrase), passphrase || undefined));
  peerPending.set(key, next);
  return next;
}
