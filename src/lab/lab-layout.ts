// Names and addresses of one lab, all derived from its index (its /24 in 10.213.0.0/16), so that
// labs with different names never share a subnet, bridge, network namespace or veth.
import { createHash } from 'node:crypto';
import { UserError } from '../errors/user-error.js';

export const DEFAULT_LAB = 'default';
export const MIRROR_PORT = 8080;
/** Host addresses start at .11; keep below .255. */
export const MAX_HOSTS = 200;
const NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;

export function checkLabName(name: string): string {
  if (!NAME_PATTERN.test(name)) {
    throw new UserError(`invalid lab name "${name}": use 1-32 lower-case letters, digits and dashes`);
  }
  return name;
}

/** The index a name asks for: `default` gets 0, others a stable hash in 1..254. */
export function preferredIndex(name: string): number {
  if (name === DEFAULT_LAB) return 0;
  return 1 + (createHash('sha256').update(name).digest().readUInt32BE(0) % 254);
}

/** The first free index from the preferred one on, wrapping; fails when all 255 are taken. */
export function allocateIndex(name: string, taken: ReadonlySet<number>): number {
  const start = preferredIndex(name);
  for (let step = 0; step < 255; step += 1) {
    const index = (start + step) % 255;
    if (!taken.has(index)) return index;
  }
  throw new UserError('every lab subnet 10.213.0.0/24 .. 10.213.254.0/24 is in use; run `etcdops lab down --name NAME` on some');
}

export function subnetOf(index: number): string {
  return `10.213.${index}.0/24`;
}

export function bridgeAddressOf(index: number): string {
  return `10.213.${index}.1`;
}

export function bridgeNameOf(index: number): string {
  return `etcdlab${index}`;
}

/** Host number n (1-based) of a lab. */
export function hostLayout(index: number, n: number) {
  return {
    name: `n${n}`,
    address: `10.213.${index}.${10 + n}`,
    netns: `etcdlab${index}-n${n}`,
    veth: `etl${index}n${n}`,
    machine: `etcdlab${index}-n${n}`,
  } as const;
}
