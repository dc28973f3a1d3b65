// Whether a certificate file (a leaf, optionally followed by the intermediates sent with it, as peer.crt
// carries the peer CA) leads to our CA: each certificate signed by the next, the last by the CA.
import { inspectCertificate } from './inspect-certificate.js';

export function chainSignedByCa(pem: string, caPem: string): boolean {
  const certificates = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (certificates.length === 0) return false;
  const issuers = [...certificates.slice(1), caPem];
  return certificates.every((cert, i) => inspectCertificate(cert, { ca: issuers[i]! }).signedByCa);
}
