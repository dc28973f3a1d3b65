// The three roles an etcd certificate plays and the extended key usages each one needs.

/** `server`: a member's client-facing TLS; `peer`: member-to-member TLS (both ends); `client`: a caller of the API. */
export type CertificateKind = 'server' | 'peer' | 'client';

export const CERTIFICATE_KINDS: readonly CertificateKind[] = ['server', 'peer', 'client'];

/** Extended key usage OIDs (RFC 5280 section 4.2.1.12). */
export const SERVER_AUTH_OID = '1.3.6.1.5.5.7.3.1';
export const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2';

/** Readable names for the usages etcd cares about; anything else is shown as its OID. */
export const EXT_KEY_USAGE_NAMES: Readonly<Record<string, string>> = {
  [SERVER_AUTH_OID]: 'serverAuth',
  [CLIENT_AUTH_OID]: 'clientAuth',
};

/**
 * The exact set of extended key usages a certificate of each kind carries, by name. Server certificates
 * need clientAuth too: with client-cert-auth on, etcd's built-in gRPC gateway dials its own client port
 * presenting the server certificate, and etcd 3.5 rejects it ("incompatible key usage") without clientAuth.
 */
export const EXT_KEY_USAGE_BY_KIND: Readonly<Record<CertificateKind, readonly string[]>> = {
  server: ['serverAuth', 'clientAuth'],
  peer: ['serverAuth', 'clientAuth'],
  client: ['clientAuth'],
};
