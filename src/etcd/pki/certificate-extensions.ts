// Reads the extensions etcd depends on straight from a certificate's DER with node-forge's ASN.1 parser,
// which, unlike forge's certificate parser, also reads certificates whose key is not RSA (a foreign CA's).
import type Forge from 'node-forge';
import { onFirstUse } from '../../startup/on-first-use.js';
import { canonicalIp, ipFromBytes } from './ip-address.js';

const forge = onFirstUse<typeof Forge>('node-forge');

const SUBJECT_ALT_NAME_OID = '2.5.29.17';
const EXT_KEY_USAGE_OID = '2.5.29.37';
const SUBJECT_KEY_ID_OID = '2.5.29.14';
const AUTHORITY_KEY_ID_OID = '2.5.29.35';

const DNS_NAME_TAG = 2;
const IP_ADDRESS_TAG = 7;
const EXTENSIONS_TAG = 3;

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

function bytesOf(binary: string): Uint8Array {
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function childrenOf(node: Forge.asn1.Asn1): Forge.asn1.Asn1[] {
  return Array.isArray(node.value) ? node.value : [];
}

export function readCertificateExtensions(der: Uint8Array): CertificateExtensions {
  const certificate = forge().asn1.fromDer(forge().util.createBuffer(Buffer.from(der).toString('binary')));
  const tbs = childrenOf(certificate)[0]!;
  const wrapper = childrenOf(tbs).find(
    (node) => node.tagClass === forge().asn1.Class.CONTEXT_SPECIFIC && node.type === EXTENSIONS_TAG,
  );
  const result = {
    dnsNames: [] as string[],
    ipAddresses: [] as string[],
    extKeyUsageOids: [] as string[],
    subjectKeyId: undefined as string | undefined,
    authorityKeyId: undefined as string | undefined,
  };
  if (!wrapper) return result;
  for (const extension of childrenOf(childrenOf(wrapper)[0]!)) {
    const parts = childrenOf(extension);
    const oid = forge().asn1.derToOid(parts[0]!.value as string);
    // The value is the last part; an optional "critical" BOOLEAN may sit between.
    const value = forge().asn1.fromDer(parts[parts.length - 1]!.value as string);
    if (oid === SUBJECT_ALT_NAME_OID) {
      for (const name of childrenOf(value)) {
        if (name.type === DNS_NAME_TAG) result.dnsNames.push(name.value as string);
        if (name.type === IP_ADDRESS_TAG) result.ipAddresses.push(canonicalIp(ipFromBytes(bytesOf(name.value as string))));
      }
    } else if (oid === EXT_KEY_USAGE_OID) {
      result.extKeyUsageOids = childrenOf(value).map((node) => forge().asn1.derToOid(node.value as string));
    } else if (oid === SUBJECT_KEY_ID_OID) {
      result.subjectKeyId = forge().util.bytesToHex(value.value as string);
    } else if (oid === AUTHORITY_KEY_ID_OID) {
      const keyId = childrenOf(value).find((node) => node.tagClass === forge().asn1.Class.CONTEXT_SPECIFIC && node.type === 0);
      if (keyId) result.authorityKeyId = forge().util.bytesToHex(keyId.value as string);
    }
  }
  return result;
}
