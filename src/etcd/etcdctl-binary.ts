// The etcdctl `etcdops etcdctl` runs: one on the PATH, else the etcdctl of the release the cluster runs,
// taken from that release's tarball (the same download and SHA256SUMS the members install from) and kept
// in the control node's cache (CACHE/etcdctl/vX.Y.Z/etcdctl), so a control node needs no etcd package.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, chmod, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { UserError } from '../errors/user-error.js';
import { runCommand } from '../lab/run-command.js';

export interface ReleaseSource {
  /** e.g. `3.5.30`. */
  readonly version: string;
  /** The tarball URL. */
  readonly tarballUrl: string;
  /** A sha256sum-format list naming the tarball. */
  readonly checksumsUrl: string;
}

/** Where a release's tarball and checksums are: etcd's GitHub releases, or the inventory's mirror. */
export function releaseSource(version: string, baseUrl: string | undefined, checksumsUrl: string | undefined): ReleaseSource {
  const base = (baseUrl ?? 'https://github.com/etcd-io/etcd/releases/download').replace(/\/+$/, '');
  return {
    version,
    tarballUrl: `${base}/v${version}/etcd-v${version}-linux-amd64.tar.gz`,
    checksumsUrl: checksumsUrl ?? `${base}/v${version}/SHA256SUMS`,
  };
}

/** The sha256 the checksums list gives for `file`, or undefined. */
export function checksumFor(list: string, file: string): string | undefined {
  for (const line of list.split('\n')) {
    const match = /^([0-9a-f]{64})\s+\*?(\S+)$/.exec(line.trim());
    if (match && (match[2] === file || match[2]!.endsWith(`/${file}`))) return match[1];
  }
  return undefined;
}

/** An executable `etcdctl` in one of the PATH's folders, or undefined. */
export async function etcdctlOnPath(path = process.env.PATH ?? ''): Promise<string | undefined> {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'etcdctl');
    if (await access(candidate, constants.X_OK).then(() => true, () => false)) return candidate;
  }
  return undefined;
}

async function download(url: string): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(120_000) });
  } catch (error) {
    throw new UserError(`cannot download ${url}: ${(error as Error).message}`);
  }
  if (!response.ok) throw new UserError(`cannot download ${url}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/** The cached etcdctl of `source.version`, fetched and checked first when it is not cached yet. */
export async function cachedEtcdctl(source: ReleaseSource, cacheDir: string): Promise<string> {
  const dir = join(cacheDir, 'etcdctl', `v${source.version}`);
  const binary = join(dir, 'etcdctl');
  if (await access(binary, constants.X_OK).then(() => true, () => false)) return binary;
  const tarball = `etcd-v${source.version}-linux-amd64.tar.gz`;
  const [data, list] = await Promise.all([download(source.tarballUrl), download(source.checksumsUrl)]);
  const wanted = checksumFor(list.toString('utf8'), tarball);
  if (!wanted) throw new UserError(`${source.checksumsUrl} lists no checksum for ${tarball}: not using an unchecked etcdctl`);
  const actual = createHash('sha256').update(data).digest('hex');
  if (actual !== wanted) throw new UserError(`${source.tarballUrl} has sha256 ${actual}, but ${source.checksumsUrl} says ${wanted}: not using it`);
  await mkdir(dir, { recursive: true });
  const work = await mkdtemp(join(dir, '.fetch-'));
  try {
    await writeFile(join(work, tarball), data);
    await runCommand('tar', ['-xzf', join(work, tarball), '-C', work, '--strip-components=1', `etcd-v${source.version}-linux-amd64/etcdctl`]);
    await chmod(join(work, 'etcdctl'), 0o755);
    // Renamed into place last: a cached etcdctl is always a whole, checked one.
    await rename(join(work, 'etcdctl'), binary);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return binary;
}
