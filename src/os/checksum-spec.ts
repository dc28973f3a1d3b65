// get_url's `checksum` argument: `sha256:HEX`, or `sha256:URL` of a checksum list such as etcd's SHA256SUMS.
import { basename } from 'node:path';
import { TaskFailure } from '../modules/task-failure.js';

export type ChecksumSpec =
  | { readonly kind: 'none' }
  | { readonly kind: 'hex'; readonly sha256: string }
  | { readonly kind: 'list'; readonly url: string };

export function parseChecksum(checksum: string | undefined): ChecksumSpec {
  if (checksum === undefined || checksum === '') return { kind: 'none' };
  const match = /^sha256:(.+)$/i.exec(checksum.trim());
  if (!match) throw new TaskFailure(`checksum ${JSON.stringify(checksum)}: only sha256:HEX or sha256:URL is supported`);
  const value = match[1];
  if (/^[0-9a-f]{64}$/i.test(value)) return { kind: 'hex', sha256: value.toLowerCase() };
  if (/^https?:\/\//.test(value)) return { kind: 'list', url: value };
  throw new TaskFailure(`checksum ${JSON.stringify(checksum)}: expected 64 hex digits or an http(s) URL after "sha256:"`);
}

/** Finds the digest of the file `url` names in a `HEX  NAME` list (names may start with "*" or "./"). */
export function checksumFromList(list: string, url: string): string {
  const name = basename(new URL(url).pathname);
  for (const line of list.split('\n')) {
    const m = /^([0-9a-fA-F]{64})\s+\*?(?:\.\/)?(.+?)\s*$/.exec(line);
    if (m && basename(m[2]) === name) return m[1].toLowerCase();
  }
  throw new TaskFailure(`the checksum list has no line for ${name}`);
}
