// The cached Debian root filesystem every lab host starts from: debootstrap'd once (under a lock,
// since two labs may start at once), prepared for the lab, then shared read-only by all hosts.
import { createHash } from 'node:crypto';
import { chmod, mkdir, rename, rm, stat, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { withFileLock } from './file-lock.js';
import { rootfsCacheDir } from './lab-paths.js';
import { runCommand } from './run-command.js';

const SUITE = 'bookworm';
const MIRROR = 'http://deb.debian.org/debian';
/** What a host needs: systemd as PID 1, sshd, the tools playbooks use, and sudo for `become`. */
const PACKAGES = [
  'systemd', 'systemd-sysv', 'openssh-server', 'dbus', 'iproute2', 'iptables', 'curl', 'ca-certificates',
  'sudo', 'procps', 'tar', 'gzip', 'stress-ng',
  // Real ansible, the yardstick etcdops is compared against, runs its modules with python3.
  'python3',
  // Backups copy snapshots off-site with rclone (sftp to another lab host in the tests).
  'rclone',
] as const;
/** Bumped whenever `prepareRoot` changes, so old caches are not reused. */
const PREPARATION_VERSION = 1;

/** The user that logs in with the lab key and becomes root through passwordless sudo. */
export const SUDO_USER = 'ops';

function cacheKey(): string {
  const recipe = JSON.stringify({ SUITE, MIRROR, PACKAGES, PREPARATION_VERSION });
  return `${SUITE}-${createHash('sha256').update(recipe).digest('hex').slice(0, 12)}`;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** Settings shared by every host; per-host identity (keys, machine-id, names) is added at boot. */
async function prepareRoot(root: string): Promise<void> {
  await runCommand('chroot', [root, 'useradd', '--create-home', '--shell', '/bin/bash', SUDO_USER]);
  await writeFile(join(root, 'etc/sudoers.d', SUDO_USER), `${SUDO_USER} ALL=(ALL:ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
  await writeFile(
    join(root, 'etc/ssh/sshd_config.d/etcdops-lab.conf'),
    [
      '# Lab hosts: key authentication only, one ed25519 host key generated per host.',
      'HostKey /etc/ssh/ssh_host_ed25519_key',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'UseDNS no',
      '',
    ].join('\n'),
  );
  for (const entry of await readdir(join(root, 'etc/ssh'))) {
    if (entry.startsWith('ssh_host_')) await rm(join(root, 'etc/ssh', entry));
  }
  await writeFile(join(root, 'etc/machine-id'), '');
  await rm(join(root, 'var/lib/dbus/machine-id'), { force: true });
  await writeFile(join(root, 'etc/resolv.conf'), '# lab hosts have no name server\n');
  await runCommand('chroot', [root, 'apt-get', 'clean']);
  await chmod(root, 0o755);
}

export interface RootfsBuild {
  readonly path: string;
  /** Seconds spent building; 0 when the cache was used. */
  readonly builtSeconds: number;
}

/** Returns the cached root, building it first when missing. */
export async function ensureRootfs(log: (line: string) => void = () => undefined): Promise<RootfsBuild> {
  const dir = rootfsCacheDir();
  const path = join(dir, cacheKey());
  if (await exists(path)) return { path, builtSeconds: 0 };
  await mkdir(dir, { recursive: true });
  return withFileLock(join(dir, `${cacheKey()}.lock`), 15 * 60_000, async () => {
    if (await exists(path)) return { path, builtSeconds: 0 };
    const started = Date.now();
    log(`building the lab root filesystem (Debian ${SUITE}, once) into ${path}`);
    const building = `${path}.building`;
    await rm(building, { recursive: true, force: true });
    await runCommand('debootstrap', ['--variant=minbase', `--include=${PACKAGES.join(',')}`, SUITE, building, MIRROR]);
    await prepareRoot(building);
    await rename(building, path);
    return { path, builtSeconds: (Date.now() - started) / 1000 };
  });
}
