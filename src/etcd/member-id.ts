// etcd member IDs are unsigned 64-bit numbers: the API carries them as decimal strings, while etcdctl and
// the logs show them in hex. etcdops shows and accepts hex, and converts at the API boundary.
import { UserError } from '../errors/user-error.js';

export function memberIdToHex(decimal: string): string {
  return BigInt(decimal).toString(16);
}

/** Accepts hex as etcdctl prints it (with or without `0x`). */
export function memberIdToDecimal(hex: string): string {
  const digits = hex.startsWith('0x') ? hex.slice(2) : hex;
  if (!/^[0-9a-fA-F]{1,16}$/.test(digits)) throw new UserError(`"${hex}" is not an etcd member ID (hex digits, as etcdctl prints them)`);
  return BigInt(`0x${digits}`).toString(10);
}
