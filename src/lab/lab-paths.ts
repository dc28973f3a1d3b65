// Where the lab keeps its caches and per-lab state: under $ETCDOPS_CACHE, else ~/.cache/etcdops.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function cacheRoot(): string {
  const fromEnv = process.env.ETCDOPS_CACHE;
  return resolve(fromEnv && fromEnv.length > 0 ? fromEnv : join(homedir(), '.cache', 'etcdops'));
}

export function labsDir(): string {
  return join(cacheRoot(), 'lab');
}

export function labStateDir(name: string): string {
  return join(labsDir(), name);
}

export function rootfsCacheDir(): string {
  return join(cacheRoot(), 'rootfs');
}

export function artifactsDir(): string {
  return join(cacheRoot(), 'artifacts');
}
