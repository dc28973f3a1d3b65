// Reads the extensions etcd depends on straight from a certificate's DER (node:crypto's X509Certificate does
// not expose the key identifiers): a small DER reader that walks only the structure it needs, so it also
// reads certificates whose key is not RSA (a foreign CA's), and a run that only checks certificates does
// not load a crypto library for it. Every length is checked against its enclosing element.
import { canonicalIp, ipFromBytes } from './ip-address.js';

const SUBJECT_ALT_NAME_OID = '2.5.29.17';
const EXT_KEY_USAGE_OID = '2.5.29.37';
const SUBJECT_KEY_ID_OID = '2.5.29.14';
const AUTHORITY_KEY_ID_OID = '2.5.29.35';

const CONTEXT_SPECIFIC = 2;
const DNS_NAME_TAG = 2;
const IP_ADDRESS_TAG = 7;
const EXTENSIONS_TAG = 3;
const KEY_ID_TAG = 0;

export interface CertificateExtensions {
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
  /** Extended key usage OIDs. */
  readonly extKeyUsageOids: readonly string[];
  /** Hex, lower case. */
  readonly subjectKeyId?: string;
  /** Hex, lower case: the subject key id of the CA that claims to have signed this certificate. */
  readonly authorityKeyId?: string;
}

/** One DER element: its tag and where its content lies in the buffer. */
interface Element {
  /** 0 universal, 1 application, 2 context-specific, 3 private. */
  readonly tagClass: number;
  readonly tagNumber: number;
  readonly start: number;
  readonly end: number;
}

class DerError extends Error {}

/** The element starting at `at`, which must end by `limit`. */
function elementAt(der: Uint8Array, at: number, limit: number): Element {
  if (at + 2 > limit) throw new DerError(`truncated element at byte ${at}`);
  const tag = der[at]!;
  // High tag numbers (31 and up) never occur in the parts read here.
  if ((tag & 0x1f) === 0x1f) throw new DerError(`unsupported tag at byte ${at}`);
  let length = der[at + 1]!;
  let start = at + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4 || start + bytes > limit) throw new DerError(`bad length at byte ${at}`);
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[start + i]!;
    start += bytes;
  }
  const end = start + length;
  if (end > limit) throw new DerError(`element at byte ${at} runs past its container`);
  return { tagClass: tag >> 6, tagNumber: tag & 0x1f, start, end };
}

function childrenOf(der: Uint8Array, parent: Element): Element[] {
  const children: Element[] = [];
  for (let at = parent.start; at < parent.end; ) {
    const child = elementAt(der, at, parent.end);
    children.push(child);
    at = child.end;
  }
  return children;
}

const bytesOf = (der: Uint8Array, element: Element): Uint8Array => der.subarray(element.start, element.end);
const hexOf = (der: Uint8Array, element: Element): string => Buffer.from(bytesOf(der, element)).toString('hex');

function oidOf(der: Uint8Array, element: Element): string {
  const bytes = bytesOf(der, element);
  if (bytes.length === 0) throw new DerError('empty object identifier');
  const parts = [Math.floor(bytes[0]! / 40), bytes[0]! % 40];
  let value = 0;
  for (const byte of bytes.subarray(1)) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

export function readCertificateExtensions(der: Uint8Array): CertificateExtensions {
  const result = {
    dnsNames: [] as string[],
    ipAddresses: [] as string[],
    extKeyUsageOids: [] as string[],
    subjectKeyId: undefined as string | undefined,
    authorityKeyId: undefined as string | undefined,
  };
  const certificate = elementAt(der, 0, der.length);
  const tbs = childrenOf(der, certificate)[0];
  if (!tbs) throw new DerError('no certificate body');
  const wrapper = childrenOf(der, tbs).find((e) => e.tagClass === CONTEXT_SPECIFIC && e.tagNumber === EXTENSIONS_TAG);
  if (!wrapper) return result;
  const list = childrenOf(der, wrapper)[0];
  if (!list) return result;
  for (const extension of childrenOf(der, list)) {
    const parts = childrenOf(der, extension);
    if (parts.length < 2) throw new DerError('extension without a value');
    const oid = oidOf(der, parts[0]!);
    // The value is the last part, an OCTET STRING holding DER; an optional "critical" BOOLEAN may sit between.
    const holder = parts[parts.length - 1]!;
    const value = elementAt(der, holder.start, holder.end);
    if (oid === SUBJECT_ALT_NAME_OID) {
      for (const name of childrenOf(der, value)) {
        if (name.tagNumber === DNS_NAME_TAG) result.dnsNames.push(Buffer.from(bytesOf(der, name)).toString('latin1'));
        if (name.tagNumber === IP_ADDRESS_TAG) result.ipAddresses.push(canonicalIp(ipFromBytes(bytesOf(der, name))));
      }
    } else if (oid === EXT_KEY_USAGE_OID) {
      result.extKeyUsageOids = childrenOf(der, value).map((usage) => oidOf(der, usage));
    } else if (oid === SUBJECT_KEY_ID_OID) {
      result.subjectKeyId = hexOf(der, value);
    } else if (oid === AUTHORITY_KEY_ID_OID) {
      const keyId = childrenOf(der, value).find((e) => e.tagClass === CONTEXT_SPECIFIC && e.tagNumber === KEY_ID_TAG);
      if (keyId) result.authorityKeyId = hexOf(der, keyId);
    }
  }
  return result;
}
