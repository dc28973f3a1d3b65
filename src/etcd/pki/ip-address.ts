// One spelling per IP address, so SANs compare equal however the inventory or the certificate wrote them.
import { isIP } from 'node:net';

export function canonicalIp(ip: string): string {
  const version = isIP(ip);
  if (version === 6) return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  if (version === 4) return ip.split('.').map((octet) => String(Number(octet))).join('.');
  return ip;
}

/** Dotted or colon form of the raw bytes of an iPAddress SAN (4 or 16 bytes). */
export function ipFromBytes(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  const groups: string[] = [];
  for (let i = 0; i + 1 < bytes.length; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return canonicalIp(groups.join(':'));
}
