// Each host's root filesystem: an overlay whose lower layer is the shared cached root, plus the
// host's own identity (SSH host key, machine-id, hostname), /etc/hosts naming every lab host,
// a resolv.conf without name server, apt pointed at the lab's own repository only, and the lab key
// authorised for root and the sudo user.
import { randomBytes } from 'node:crypto';
import { chown, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SUDO_USER } from './rootfs-cache.js';
import { runCommand } from './run-command.js';

export interface HostRootPaths {
  readonly upper: string;
  readonly work: string;
  /** The merged view the container boots from. */
  readonly root: string;
}

export function hostRootPaths(hostDir: string): HostRootPaths {
  return { upper: join(hostDir, 'upper'), work: join(hostDir, 'work'), root: join(hostDir, 'root') };
}

async function mountedAt(path: string): Promise<boolean> {
  const mounts = await readFile('/proc/self/mounts', 'utf8');
  return mounts.split('\n').some((line) => line.split(' ')[1] === path);
}

export async function mountHostRoot(lower: string, paths: HostRootPaths): Promise<void> {
  if (await mountedAt(paths.root)) return;
  for (const dir of [paths.upper, paths.work, paths.root]) await mkdir(dir, { recursive: true });
  await runCommand('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${paths.upper},workdir=${paths.work}`, paths.root]);
}

/** Unmounts and deletes a host's root; safe when parts are already gone. */
export async function removeHostRoot(hostDir: string): Promise<void> {
  const paths = hostRootPaths(hostDir);
  if (await mountedAt(paths.root)) {
    const result = await runCommand('umount', [paths.root], { allowFailure: true });
    if (result.code !== 0) await runCommand('umount', ['--lazy', paths.root]);
  }
  await rm(hostDir, { recursive: true, force: true });
}

/** Writes a file atomically inside a host's root (the container sees the same overlay). */
async function writeAtomic(path: string, content: string, mode: number): Promise<void> {
  await writeFile(`${path}.etcdops-tmp`, content, { mode });
  await rename(`${path}.etcdops-tmp`, path);
}

export function hostsFileContent(hosts: readonly { readonly name: string; readonly address: string }[]): string {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback'];
  for (const host of hosts) lines.push(`${host.address}\t${host.name}`);
  return `${lines.join('\n')}\n`;
}

export async function writeHostsFile(root: string, hosts: readonly { readonly name: string; readonly address: string }[]): Promise<void> {
  await writeAtomic(join(root, 'etc/hosts'), hostsFileContent(hosts), 0o644);
}

async function userIds(root: string, user: string): Promise<{ uid: number; gid: number }> {
  const line = (await readFile(join(root, 'etc/passwd'), 'utf8')).split('\n').find((entry) => entry.startsWith(`${user}:`));
  const fields = line?.split(':') ?? [];
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

async function authorise(root: string, home: string, publicKey: string, owner: { uid: number; gid: number }): Promise<void> {
  const dir = join(root, home, '.ssh');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeAtomic(join(dir, 'authorized_keys'), publicKey, 0o600);
  await chown(dir, owner.uid, owner.gid);
  await chown(join(dir, 'authorized_keys'), owner.uid, owner.gid);
}

export interface HostIdentity {
  readonly name: string;
  readonly labPublicKey: string;
  readonly hosts: readonly { readonly name: string; readonly address: string }[];
  /** The host's whole apt sources.list (the lab's repository on the mirror). */
  readonly aptSources: string;
}

/** Gives a fresh root its identity; returns the public SSH host key to pin. */
export async function personaliseHostRoot(root: string, identity: HostIdentity): Promise<string> {
  const hostKey = join(root, 'etc/ssh/ssh_host_ed25519_key');
  await rm(hostKey, { force: true });
  await rm(`${hostKey}.pub`, { force: true });
  await runCommand('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `root@${identity.name}`, '-f', hostKey]);
  await writeAtomic(join(root, 'etc/machine-id'), `${randomBytes(16).toString('hex')}\n`, 0o444);
  await writeAtomic(join(root, 'etc/hostname'), `${identity.name}\n`, 0o644);
  await writeHostsFile(root, identity.hosts);
  await rm(join(root, 'etc/resolv.conf'), { force: true });
  await writeAtomic(join(root, 'etc/resolv.conf'), '# lab hosts have no name server\n', 0o644);
  await rm(join(root, 'etc/apt/sources.list'), { force: true });
  await writeAtomic(join(root, 'etc/apt/sources.list'), identity.aptSources, 0o644);
  await authorise(root, 'root', identity.labPublicKey, { uid: 0, gid: 0 });
  await authorise(root, join('home', SUDO_USER), identity.labPublicKey, await userIds(root, SUDO_USER));
  return (await readFile(`${hostKey}.pub`, 'utf8')).trim();
}
