// Checks what the lab needs on this machine and names the Debian packages that provide what is missing.
import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { inotifyInstanceLimit, LAB_INOTIFY_INSTANCES } from './inotify-limit.js';

/** Each tool the lab runs, and the Debian package that ships it. */
export const REQUIRED_TOOLS: readonly { readonly command: string; readonly pkg: string }[] = [
  { command: 'systemd-nspawn', pkg: 'systemd-container' },
  { command: 'debootstrap', pkg: 'debootstrap' },
  { command: 'ip', pkg: 'iproute2' },
  { command: 'ssh', pkg: 'openssh-client' },
  { command: 'ssh-keygen', pkg: 'openssh-client' },
  { command: 'ssh-keyscan', pkg: 'openssh-client' },
  { command: 'apt-get', pkg: 'apt' },
  { command: 'dpkg-deb', pkg: 'dpkg' },
  { command: 'tar', pkg: 'tar' },
  { command: 'mount', pkg: 'mount' },
  { command: 'chroot', pkg: 'coreutils' },
];

const REQUIRED_FILES: readonly { readonly path: string; readonly pkg: string }[] = [
  { path: '/usr/share/keyrings/debian-archive-keyring.gpg', pkg: 'debian-archive-keyring' },
];

export interface DoctorReport {
  /** One line per problem found; empty when the lab can run. */
  readonly problems: readonly string[];
  /** Debian packages to install, sorted, without duplicates. */
  readonly packages: readonly string[];
  /** The exact command that installs them, when any are missing. */
  readonly installCommand?: string;
  /** What `lab up` will change on this machine by itself. */
  readonly notes: readonly string[];
}

async function onPath(command: string, path: string): Promise<boolean> {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    if (await access(join(dir, command), constants.X_OK).then(() => true, () => false)) return true;
  }
  return false;
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export const NOT_ROOT_MESSAGE =
  'the lab must run as root (it creates network namespaces, a bridge and containers); run it with sudo or as root';

export async function labDoctor(path = process.env.PATH ?? ''): Promise<DoctorReport> {
  const problems: string[] = [];
  const packages = new Set<string>();
  for (const tool of REQUIRED_TOOLS) {
    if (!(await onPath(tool.command, path))) {
      problems.push(`${tool.command} not found on PATH (package ${tool.pkg})`);
      packages.add(tool.pkg);
    }
  }
  for (const file of REQUIRED_FILES) {
    if (!(await access(file.path).then(() => true, () => false))) {
      problems.push(`${file.path} is missing (package ${file.pkg})`);
      packages.add(file.pkg);
    }
  }
  const filesystems = await readFile('/proc/filesystems', 'utf8').catch(() => '');
  if (!/\boverlay\b/.test(filesystems)) problems.push('the kernel has no overlay filesystem (try `modprobe overlay`)');
  if (!isRoot()) problems.push(NOT_ROOT_MESSAGE);
  const notes: string[] = [];
  const inotify = await inotifyInstanceLimit();
  if (inotify !== undefined && inotify < LAB_INOTIFY_INSTANCES) {
    notes.push(`fs.inotify.max_user_instances is ${inotify}: hosts past ~20 would boot degraded, so lab up raises it to ${LAB_INOTIFY_INSTANCES}`);
  }
  const sorted = [...packages].sort();
  return {
    problems,
    notes,
    packages: sorted,
    ...(sorted.length > 0 ? { installCommand: `apt-get install -y ${sorted.join(' ')}` } : {}),
  };
}
