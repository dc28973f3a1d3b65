// The lab's own apt repository, served by the artifact mirror at /apt/ as a flat repository, so `apt` and
// `package` tasks run real apt on lab hosts with no traffic leaving the lab. It holds a few small Debian
// packages (fetched once on the control node) and two versions of a tiny package built here, so that
// `state: latest` has something to upgrade to. Hosts trust it with `[trusted=yes]`: it is unsigned.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { aptDownload } from './artifact-cache.js';
import { withFileLock } from './file-lock.js';
import { artifactsDir, cacheRoot } from './lab-paths.js';
import { runCommand } from './run-command.js';

/** Folder of the repository under the mirror's root (and its URL path). */
export const APT_REPOSITORY_PATH = 'apt';

/**
 * Debian bookworm packages whose dependencies a lab host already has (or that are listed here):
 * `sl` pulls in `libncurses6`; `python3-apt` and its two data packages let real Ansible's apt module,
 * which installs python3-apt when missing, run against the lab as the oracle.
 */
const DEBIAN_PACKAGES = ['hello', 'sl', 'libncurses6', 'python3-apt', 'python-apt-common', 'distro-info-data'] as const;

/** The package built here, in two versions. */
export const PROBE_PACKAGE = 'etcdops-lab-probe';
export const PROBE_VERSIONS = ['1.0', '1.1'] as const;

/** Bumped whenever the index format changes, so an older cached repository is rebuilt. */
const INDEX_FORMAT = 2;

const RECIPE = createHash('sha256').update(JSON.stringify({ DEBIAN_PACKAGES, PROBE_PACKAGE, PROBE_VERSIONS, INDEX_FORMAT })).digest('hex').slice(0, 12);

/** The sources.list line a lab host uses: only this repository, so apt never looks outside the lab. */
export function aptSourceLine(mirrorUrl: string): string {
  return `deb [trusted=yes] ${mirrorUrl} ${APT_REPOSITORY_PATH}/\n`;
}

async function fileHash(path: string, algorithm: 'md5' | 'sha256'): Promise<string> {
  return createHash(algorithm).update(await readFile(path)).digest('hex');
}

async function buildProbe(version: string, work: string, outDir: string): Promise<void> {
  const root = join(work, `probe-${version}`);
  await mkdir(join(root, 'DEBIAN'), { recursive: true });
  await mkdir(join(root, 'usr/share', PROBE_PACKAGE), { recursive: true });
  await writeFile(join(root, 'usr/share', PROBE_PACKAGE, 'VERSION'), `${version}\n`);
  await writeFile(
    join(root, 'DEBIAN/control'),
    [
      `Package: ${PROBE_PACKAGE}`,
      `Version: ${version}`,
      'Architecture: all',
      'Maintainer: etcdops lab <lab@etcdops.invalid>',
      'Section: misc',
      'Priority: optional',
      'Description: marker package of the etcdops lab',
      ' Installs one file naming its version, so package upgrades can be tested.',
      '',
    ].join('\n'),
  );
  await runCommand('dpkg-deb', ['--root-owner-group', '-Zgzip', '--build', root, join(outDir, `${PROBE_PACKAGE}_${version}_all.deb`)], {
    env: { ...process.env, SOURCE_DATE_EPOCH: '0' },
  });
}

/** One stanza of the Packages index: the package's control fields, then where and what the file is. */
async function packagesStanza(dir: string, file: string): Promise<string> {
  const path = join(dir, file);
  const control = (await runCommand('dpkg-deb', ['-f', path])).stdout.trimEnd();
  const { size } = await stat(path);
  return `${control}\nFilename: ${APT_REPOSITORY_PATH}/${file}\nSize: ${size}\nMD5sum: ${await fileHash(path, 'md5')}\nSHA256: ${await fileHash(path, 'sha256')}\n\n`;
}

async function isComplete(dir: string): Promise<boolean> {
  const release = await readFile(join(dir, 'Release'), 'utf8').catch(() => '');
  return release.includes(`recipe ${RECIPE}`);
}

async function build(dir: string): Promise<void> {
  const work = await mkdtemp(join(cacheRoot(), 'apt', 'lab-repository-'));
  try {
    const debs = join(work, 'debs');
    await mkdir(debs);
    await aptDownload('bookworm', DEBIAN_PACKAGES, debs);
    for (const version of PROBE_VERSIONS) await buildProbe(version, work, debs);
    const files = (await readdir(debs)).filter((file) => file.endsWith('.deb')).sort();
    const packages = (await Promise.all(files.map((file) => packagesStanza(debs, file)))).join('');
    await writeFile(join(debs, 'Packages'), packages);
    const release = [
      'Origin: etcdops lab',
      'Label: etcdops lab',
      // A flat repository's suite is its path; without it apt warns of a conflicting distribution.
      `Suite: ${APT_REPOSITORY_PATH}/`,
      `Description: the etcdops lab's packages, recipe ${RECIPE}`,
      `Date: ${new Date().toUTCString()}`,
      'SHA256:',
      ` ${createHash('sha256').update(packages).digest('hex')} ${Buffer.byteLength(packages)} Packages`,
      '',
    ].join('\n');
    await writeFile(join(debs, 'Release'), release);
    await rm(dir, { recursive: true, force: true });
    await rename(debs, dir);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Builds the repository under the artifacts folder unless it is there for this recipe; returns its folder. */
export async function ensureAptRepository(log: (line: string) => void = () => undefined): Promise<string> {
  const dir = join(artifactsDir(), APT_REPOSITORY_PATH);
  if (await isComplete(dir)) return dir;
  await mkdir(join(cacheRoot(), 'apt'), { recursive: true });
  return withFileLock(join(cacheRoot(), 'apt', 'lab-repository.lock'), 15 * 60_000, async () => {
    if (await isComplete(dir)) return dir;
    log(`building the lab's apt repository (${DEBIAN_PACKAGES.join(', ')}, ${PROBE_PACKAGE} ${PROBE_VERSIONS.join(', ')})`);
    await mkdir(artifactsDir(), { recursive: true });
    await build(dir);
    return dir;
  });
}
