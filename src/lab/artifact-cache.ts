// Release-style etcd tarballs (`etcd-vX.Y.Z-linux-amd64/` holding the binaries) and a SHA256SUMS file,
// packed once from Debian's etcd packages so lab hosts install etcd the way real users do; the same for
// Prometheus, Alertmanager and node_exporter (`prometheus-X.Y.Z.linux-amd64/` as upstream releases them).
// A cache made before a release joined the lists gets the missing tarball packed and SHA256SUMS rewritten.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors/user-error.js';
import { withFileLock } from './file-lock.js';
import { artifactsDir, cacheRoot } from './lab-paths.js';
import { runCommand } from './run-command.js';

export interface EtcdRelease {
  readonly version: string;
  /**
   * Debian suites whose etcd-server/etcd-client packages carry this version, tried in order: a suite
   * that moves on to a newer version (testing, unstable) is passed over for the next one.
   */
  readonly suites: readonly string[];
  readonly binaries: readonly string[];
}

export const ETCD_RELEASES: readonly EtcdRelease[] = [
  { version: '3.4.23', suites: ['bookworm'], binaries: ['etcd', 'etcdctl'] },
  { version: '3.5.16', suites: ['trixie'], binaries: ['etcd', 'etcdctl', 'etcdutl'] },
  { version: '3.5.30', suites: ['forky', 'sid'], binaries: ['etcd', 'etcdctl', 'etcdutl'] },
];

export const CHECKSUMS_FILE = 'SHA256SUMS';

/** A Prometheus-project release, packed from Debian's binaries under the names upstream's tarball uses. */
export interface MonitoringRelease {
  /** Upstream's name: the tarball is `NAME-VERSION.linux-amd64.tar.gz`. */
  readonly name: 'prometheus' | 'alertmanager' | 'node_exporter';
  readonly version: string;
  readonly suite: string;
  readonly packages: readonly string[];
  /** Upstream's binary name → Debian's path inside the package. */
  readonly binaries: Readonly<Record<string, string>>;
  /**
   * Data files Debian's build reads from a fixed path instead of embedding them as upstream's does
   * (Alertmanager's notification templates, under /usr/share/prometheus/alertmanager/), packed beside the
   * binaries for the lab to place there.
   */
  readonly debianDataFiles?: Readonly<Record<string, string>>;
}

export const MONITORING_RELEASES: readonly MonitoringRelease[] = [
  { name: 'prometheus', version: '2.42.0', suite: 'bookworm', packages: ['prometheus'], binaries: { prometheus: 'usr/bin/prometheus', promtool: 'usr/bin/promtool' } },
  {
    name: 'alertmanager', version: '0.25.0', suite: 'bookworm', packages: ['prometheus-alertmanager'],
    binaries: { alertmanager: 'usr/bin/prometheus-alertmanager', amtool: 'usr/bin/amtool' },
    debianDataFiles: { 'default.tmpl': 'usr/share/prometheus/alertmanager/default.tmpl', 'email.tmpl': 'usr/share/prometheus/alertmanager/email.tmpl' },
  },
  { name: 'node_exporter', version: '1.5.0', suite: 'bookworm', packages: ['prometheus-node-exporter'], binaries: { node_exporter: 'usr/bin/prometheus-node-exporter' } },
];

/** Upstream's tarball name and top folder (`prometheus-2.42.0.linux-amd64`). */
export function monitoringReleaseName(release: Pick<MonitoringRelease, 'name' | 'version'>): string {
  return `${release.name}-${release.version}.linux-amd64`;
}

/** Path relative to the artifacts folder, as below github.com/prometheus: NAME/releases/download/vVERSION/NAME-VERSION.linux-amd64.tar.gz. */
export function monitoringTarballPath(release: Pick<MonitoringRelease, 'name' | 'version'>): string {
  return `${release.name}/releases/download/v${release.version}/${monitoringReleaseName(release)}.tar.gz`;
}

/** The tarball's name, as upstream releases name it. */
export function tarballName(version: string): string {
  return `etcd-v${version}-linux-amd64.tar.gz`;
}

/** Path of a tarball relative to the artifacts folder (and to the mirror's root URL). */
export function tarballPath(version: string): string {
  return `v${version}/${tarballName(version)}`;
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Downloads Debian packages of `suite` into `into`, with apt's own sources, lists and cache, so the machine's
 * apt setup is never touched. One suite's lists are updated by one caller at a time: apt refuses a second
 * update of the same lists, and a lab builds its tarballs and its apt repository at once.
 */
export async function aptDownload(suite: string, packages: readonly string[], into: string, options: { allowFailure?: boolean } = {}): Promise<void> {
  const base = join(cacheRoot(), 'apt', suite);
  await mkdir(join(base, 'lists/partial'), { recursive: true });
  await mkdir(join(base, 'cache/archives/partial'), { recursive: true });
  await withFileLock(`${base}.lock`, 15 * 60_000, async () => {
    const sources = join(base, 'sources.list');
    await writeFile(sources, `deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian ${suite} main\n`);
    const apt = [
      '-o', `Dir::Etc::sourcelist=${sources}`, '-o', 'Dir::Etc::sourceparts=-',
      '-o', `Dir::State::Lists=${join(base, 'lists')}`, '-o', `Dir::Cache=${join(base, 'cache')}`,
      '-o', 'Dir::Etc::preferencesparts=-', '-o', 'APT::Sandbox::User=root', '-q',
    ];
    await runCommand('apt-get', [...apt, 'update']);
    await runCommand('apt-get', [...apt, 'download', ...packages], { cwd: into, allowFailure: options.allowFailure });
  });
}

/** Whether a Debian package version (`3.5.30-1`, `3.5.16+dfsg-2`) is the upstream release `version`. */
function carriesRelease(debianVersion: string, version: string): boolean {
  return debianVersion.startsWith(`${version}-`) || debianVersion.startsWith(`${version}+`);
}

/** Downloads the release's etcd-server and etcd-client .debs into `work` from the first suite that has them. */
async function downloadDebs(release: EtcdRelease, work: string): Promise<readonly string[]> {
  const found: string[] = [];
  for (const suite of release.suites) {
    const dir = join(work, suite);
    await mkdir(dir, { recursive: true });
    // A suite without the packages makes apt-get fail: that suite is reported, the next one tried.
    await aptDownload(suite, ['etcd-server', 'etcd-client'], dir, { allowFailure: true });
    const debs = (await readdir(dir)).filter((file) => file.endsWith('.deb')).map((file) => join(dir, file));
    const versions = await Promise.all(debs.map(async (deb) => (await runCommand('dpkg-deb', ['-f', deb, 'Version'])).stdout.trim()));
    if (debs.length === 2 && versions.every((v) => carriesRelease(v, release.version))) return debs;
    found.push(`${suite} ships ${[...new Set(versions)].join(', ') || 'no etcd package'}`);
  }
  throw new UserError(
    `no Debian suite tried ships etcd ${release.version} any more (${found.join('; ')}): add a suite that does to ETCD_RELEASES in src/lab/artifact-cache.ts, or move the release to a version one of them ships`,
  );
}

/** Writes `top` (a folder under `packDir`) as a reproducible tar.gz at `target`, atomically. */
async function writeTarball(packDir: string, top: string, target: string): Promise<void> {
  await runCommand('tar', ['-C', packDir, '--owner=0', '--group=0', '--numeric-owner', '--sort=name', '--mtime=@0', '-czf', `${target}.partial`, top]);
  await rename(`${target}.partial`, target);
}

async function packMonitoringRelease(release: MonitoringRelease, outDir: string): Promise<void> {
  const work = await mkdtemp(join(cacheRoot(), 'apt', `pack-${release.name}-`));
  try {
    await aptDownload(release.suite, release.packages, work);
    for (const deb of (await readdir(work)).filter((file) => file.endsWith('.deb'))) {
      const version = (await runCommand('dpkg-deb', ['-f', join(work, deb), 'Version'])).stdout.trim();
      if (!carriesRelease(version, release.version)) {
        throw new UserError(`Debian ${release.suite} ships ${deb} ${version}, not ${release.name} ${release.version}: update MONITORING_RELEASES in src/lab/artifact-cache.ts`);
      }
      await runCommand('dpkg-deb', ['-x', join(work, deb), join(work, 'root')]);
    }
    const top = monitoringReleaseName(release);
    await mkdir(join(work, 'pack', top), { recursive: true });
    for (const [name, path] of Object.entries(release.binaries)) {
      await copyFile(join(work, 'root', path), join(work, 'pack', top, name));
      await chmod(join(work, 'pack', top, name), 0o755);
    }
    for (const [name, path] of Object.entries(release.debianDataFiles ?? {})) await copyFile(join(work, 'root', path), join(work, 'pack', top, name));
    const target = join(outDir, monitoringTarballPath(release));
    await mkdir(join(target, '..'), { recursive: true });
    await writeTarball(join(work, 'pack'), top, target);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Puts the data files the Debian-built monitoring binaries read from fixed paths into a lab host's root,
 * where Debian's package would have put them, so the packed releases run as upstream's do.
 */
export async function placeDebianDataFiles(root: string): Promise<void> {
  for (const release of MONITORING_RELEASES) {
    for (const [name, path] of Object.entries(release.debianDataFiles ?? {})) {
      const content = await runCommand('tar', ['-xzOf', join(artifactsDir(), monitoringTarballPath(release)), `${monitoringReleaseName(release)}/${name}`]);
      await mkdir(join(root, path, '..'), { recursive: true });
      await writeFile(join(root, path), content.stdout, { mode: 0o644 });
    }
  }
}

async function packRelease(release: EtcdRelease, outDir: string): Promise<void> {
  const work = await mkdtemp(join(cacheRoot(), 'apt', `pack-${release.version}-`));
  try {
    for (const deb of await downloadDebs(release, work)) await runCommand('dpkg-deb', ['-x', deb, join(work, 'root')]);
    const top = `etcd-v${release.version}-linux-amd64`;
    await mkdir(join(work, 'pack', top), { recursive: true });
    for (const binary of release.binaries) {
      await copyFile(join(work, 'root/usr/bin', binary), join(work, 'pack', top, binary));
      await chmod(join(work, 'pack', top, binary), 0o755);
    }
    await mkdir(join(outDir, `v${release.version}`), { recursive: true });
    await writeTarball(join(work, 'pack'), top, join(outDir, tarballPath(release.version)));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Whether SHA256SUMS exists and lists every release of both lists (a cache from before a release was added does not). */
async function checksumsComplete(sums: string): Promise<boolean> {
  const text = await readFile(sums, 'utf8').catch(() => null);
  if (text === null) return false;
  const listed = new Set(text.split('\n').map((line) => line.split(/\s+/)[1]));
  return (
    ETCD_RELEASES.every((release) => listed.has(tarballName(release.version))) &&
    MONITORING_RELEASES.every((release) => listed.has(`${monitoringReleaseName(release)}.tar.gz`))
  );
}

/** Builds any missing tarball, then (re)writes SHA256SUMS; returns the artifacts folder. */
export async function ensureArtifacts(log: (line: string) => void = () => undefined): Promise<string> {
  const dir = artifactsDir();
  const sums = join(dir, CHECKSUMS_FILE);
  if (await checksumsComplete(sums)) return dir;
  await mkdir(join(cacheRoot(), 'apt'), { recursive: true });
  return withFileLock(join(cacheRoot(), 'apt', 'artifacts.lock'), 15 * 60_000, async () => {
    if (await checksumsComplete(sums)) return dir;
    await mkdir(dir, { recursive: true });
    const lines: string[] = [];
    for (const release of ETCD_RELEASES) {
      const path = join(dir, tarballPath(release.version));
      if (!(await stat(path).then(() => true, () => false))) {
        log(`packing etcd ${release.version} from Debian (${release.suites.join(' or ')})`);
        await packRelease(release, dir);
      }
      lines.push(`${await sha256(path)}  ${tarballName(release.version)}\n`);
    }
    for (const release of MONITORING_RELEASES) {
      const path = join(dir, monitoringTarballPath(release));
      if (!(await stat(path).then(() => true, () => false))) {
        log(`packing ${release.name} ${release.version} from Debian ${release.suite}`);
        await packMonitoringRelease(release, dir);
      }
      lines.push(`${await sha256(path)}  ${monitoringReleaseName(release)}.tar.gz\n`);
    }
    await writeFile(`${sums}.partial`, lines.join(''));
    await rename(`${sums}.partial`, sums);
    return dir;
  });
}
