// The lab's life cycle: up, down, status, growing it, and powering single hosts off and on.
// Every step records what it created in the state file first, so `down` can always undo it.
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors/user-error.js';
import { aptSourceLine, ensureAptRepository } from './apt-repository.js';
import { ensureArtifacts, placeDebianDataFiles } from './artifact-cache.js';
import { isMirrorProcess, mirrorUrlOf, startMirror, waitForMirror } from './artifact-mirror.js';
import { withFileLock } from './file-lock.js';
import { removeHostCgroup, killHostCgroup } from './host-cgroup.js';
import { hostRootPaths, mountHostRoot, personaliseHostRoot, removeHostRoot, writeHostsFile } from './host-root.js';
import { labDnsDown } from './lab-dns.js';
import { isRoot, labDoctor, NOT_ROOT_MESSAGE } from './lab-doctor.js';
import { LAB_INOTIFY_INSTANCES, raiseInotifyInstanceLimit } from './inotify-limit.js';
import { labFiles, labInfoOf, type LabInfo } from './lab-info.js';
import { renderLabInventory } from './lab-inventory.js';
import { allocateIndex, bridgeAddressOf, checkLabName, hostLayout, MAX_HOSTS } from './lab-layout.js';
import { ensureBridge, ensureHostLink, findLabLinks, removeBridge, removeHostLink } from './lab-network.js';
import { labsDir } from './lab-paths.js';
import { readAllLabStates, readLabState, writeLabState, type LabHostState, type LabState } from './lab-state.js';
import { waitForHost } from './lab-ssh.js';
import { bootHost, ensureNspawnRuntime, findHostProcesses, isHostProcess, stopHostProcess } from './nspawn-host.js';
import { ensureRootfs } from './rootfs-cache.js';
import { runCommand } from './run-command.js';

export type { LabInfo, LabHostInfo } from './lab-info.js';

export interface LabUpOptions {
  readonly name: string;
  /** How many hosts; default 3 for a new lab, and for a running lab whatever it has. */
  readonly hosts?: number;
  /** Progress lines for the user (the CLI prints them on stderr). */
  readonly log?: (line: string) => void;
}

export interface LabUpResult extends LabInfo {
  /** True when the lab was already running and nothing was done. */
  readonly alreadyRunning: boolean;
}

const BOOT_TIMEOUT_MS = 90_000;
const POWER_OFF_GRACE_MS = 20_000;

async function requireRoot(): Promise<void> {
  if (!isRoot()) throw new UserError(NOT_ROOT_MESSAGE);
}

async function requirePrerequisites(): Promise<void> {
  await requireRoot();
  const report = await labDoctor();
  if (report.installCommand) throw new UserError(`missing prerequisites: ${report.problems.join('; ')}\ninstall them with: ${report.installCommand}`);
  if (report.problems.length > 0) throw new UserError(`the lab cannot run here: ${report.problems.join('; ')}`);
}

function withLabLock<T>(name: string, work: () => Promise<T>): Promise<T> {
  return mkdir(labsDir(), { recursive: true }).then(() => withFileLock(join(labsDir(), `${name}.lock`), 10 * 60_000, work));
}

async function runningHosts(state: LabState): Promise<ReadonlySet<string>> {
  const checks = await Promise.all(state.hosts.map(async (host) => [host.name, await isHostProcess(host.pid, host.machine)] as const));
  return new Set(checks.filter(([, up]) => up).map(([name]) => name));
}

/** Indexes used by other labs' state files, or by addresses and bridges already on this machine. */
async function takenIndexes(name: string): Promise<ReadonlySet<number>> {
  const taken = new Set<number>();
  for (const state of await readAllLabStates()) if (state.name !== name) taken.add(state.index);
  const addresses = (await runCommand('ip', ['-o', '-4', 'addr', 'show'])).stdout;
  for (const match of addresses.matchAll(/inet 10\.213\.(\d+)\./g)) taken.add(Number(match[1]));
  const links = (await runCommand('ip', ['-o', 'link', 'show'])).stdout;
  for (const match of links.matchAll(/^\d+: etcdlab(\d+)[:@]/gm)) taken.add(Number(match[1]));
  return taken;
}

async function ensureLabKey(keyFile: string): Promise<string> {
  const exists = await readFile(`${keyFile}.pub`, 'utf8').catch(() => undefined);
  if (exists) return exists;
  await rm(keyFile, { force: true });
  await runCommand('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'etcdops-lab', '-f', keyFile]);
  await chmod(keyFile, 0o600);
  return readFile(`${keyFile}.pub`, 'utf8');
}

function newHosts(index: number, from: number, count: number): LabHostState[] {
  return Array.from({ length: count }, (_, i) => ({ ...hostLayout(index, from + i), number: from + i, pid: null }));
}

/** Prepares and boots hosts (network, root, identity); returns them with PIDs and their host keys. */
async function bootHosts(
  state: LabState,
  hosts: readonly LabHostState[],
  allHosts: readonly LabHostState[],
  lower: string,
  publicKey: string,
): Promise<{ readonly booted: readonly LabHostState[]; readonly hostKeys: ReadonlyMap<string, string> }> {
  const files = labFiles(state.name);
  const hostKeys = new Map<string, string>();
  const booted = await Promise.all(
    hosts.map(async (host) => {
      await ensureHostLink(state.index, host);
      const paths = hostRootPaths(join(files.hostsDir, host.name));
      await mountHostRoot(lower, paths);
      await placeDebianDataFiles(paths.root);
      const aptSources = aptSourceLine(mirrorUrlOf(bridgeAddressOf(state.index)));
      hostKeys.set(host.name, await personaliseHostRoot(paths.root, { name: host.name, labPublicKey: publicKey, hosts: allHosts, aptSources }));
      const pid = await bootHost({ root: paths.root, machine: host.machine, netns: host.netns, logFile: join(files.logsDir, `${host.name}.log`) });
      return { ...host, pid };
    }),
  );
  return { booted, hostKeys };
}

function knownHostsLine(host: { readonly name: string; readonly address: string }, key: string): string {
  return `${host.name},${host.address} ${key.split(' ').slice(0, 2).join(' ')}\n`;
}

async function writeLabFiles(state: LabState, knownHosts: string): Promise<void> {
  const files = labFiles(state.name);
  await writeFile(files.knownHostsFile, knownHosts, { mode: 0o600 });
  const inventory = renderLabInventory({
    keyFile: files.keyFile,
    knownHostsFile: files.knownHostsFile,
    mirrorUrl: labInfoOf(state, new Set()).mirrorUrl,
    hosts: state.hosts,
  });
  await writeFile(`${files.inventory}.tmp`, inventory, { mode: 0o644 });
  await runCommand('mv', ['-f', `${files.inventory}.tmp`, files.inventory]);
}

async function waitForHosts(state: LabState, hosts: readonly LabHostState[], hostKeys: ReadonlyMap<string, string>): Promise<void> {
  const files = labFiles(state.name);
  await Promise.all(
    hosts.map((host) =>
      waitForHost({ keyFile: files.keyFile, knownHostsFile: files.knownHostsFile, address: host.address }, host.name, hostKeys.get(host.name) ?? '', BOOT_TIMEOUT_MS),
    ),
  );
}

/** Brings a lab up, or reports it is already running. */
export async function labUp(options: LabUpOptions): Promise<LabUpResult> {
  const name = checkLabName(options.name);
  const count = options.hosts ?? 3;
  if (!Number.isInteger(count) || count < 1 || count > MAX_HOSTS) throw new UserError(`--hosts must be between 1 and ${MAX_HOSTS}, got ${count}`);
  const log = options.log ?? (() => undefined);
  await requirePrerequisites();
  return withLabLock(name, async () => {
    const existing = await readLabState(name);
    if (existing) {
      const running = await runningHosts(existing);
      if (running.size === existing.hosts.length && (await isMirrorProcess(existing.mirrorPid, bridgeAddressOf(existing.index)))) {
        // A caller that asked for another size would otherwise go on with a lab it did not ask for.
        if (options.hosts !== undefined && options.hosts !== existing.hosts.length) {
          throw new UserError(
            `lab ${name} already runs ${existing.hosts.length} hosts, not ${options.hosts}: take it down first (etcdops lab down --name ${name}) or ask for ${existing.hosts.length}`,
          );
        }
        return { ...labInfoOf(existing, running), alreadyRunning: true };
      }
      log(`lab ${name} is partly up (a previous run stopped early); cleaning it up first`);
      await teardown(existing);
    }
    const index = await withFileLock(join(labsDir(), '.allocate.lock'), 60_000, async () => {
      const allocated = allocateIndex(name, await takenIndexes(name));
      await writeLabState({ name, index: allocated, mirrorPid: null, hosts: newHosts(allocated, 1, count) });
      return allocated;
    });
    const started = { state: { name, index, mirrorPid: null, hosts: newHosts(index, 1, count) } as LabState };
    try {
      return await startLab(started, log);
    } catch (error) {
      // What this call started (hosts, mirror, bridge) must not outlive it: a failed `up` leaves nothing.
      log(`lab ${name} did not come up; removing what was started`);
      await teardown(started.state);
      throw error;
    }
  });
}

/** Boots a lab whose index is allocated; `started.state` records what runs at each step, for the cleanup of a failure. */
async function startLab(started: { state: LabState }, log: (line: string) => void): Promise<LabUpResult> {
  const { name, index } = started.state;
  const files = labFiles(name);
  const raisedFrom = await raiseInotifyInstanceLimit();
  if (raisedFrom !== undefined) log(`raised fs.inotify.max_user_instances from ${raisedFrom} to ${LAB_INOTIFY_INSTANCES}: each host's systemd needs its own`);
  await mkdir(files.logsDir, { recursive: true, mode: 0o700 });
  const [rootfs, artifacts, publicKey] = await Promise.all([
    ensureRootfs(log),
    ensureArtifacts(log),
    ensureLabKey(files.keyFile),
    ensureNspawnRuntime(),
    ensureBridge(index),
    ensureAptRepository(log),
  ]);
  const bridgeAddress = bridgeAddressOf(index);
  started.state = { ...started.state, mirrorPid: await startMirror(artifacts, bridgeAddress, join(files.logsDir, 'mirror.log')) };
  await writeLabState(started.state);
  const { booted, hostKeys } = await bootHosts(started.state, started.state.hosts, started.state.hosts, rootfs.path, publicKey);
  started.state = { ...started.state, hosts: booted };
  await writeLabState(started.state);
  await writeLabFiles(started.state, booted.map((host) => knownHostsLine(host, hostKeys.get(host.name) ?? '')).join(''));
  await waitForMirror(bridgeAddress, 15_000);
  await waitForHosts(started.state, booted, hostKeys);
  return { ...labInfoOf(started.state, new Set(booted.map((host) => host.name))), alreadyRunning: false };
}

/** Unmounts every mount left under the lab's folder, deepest first. */
async function unmountUnder(dir: string): Promise<void> {
  const mounts = (await readFile('/proc/self/mounts', 'utf8'))
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((point) => point.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const point of mounts) {
    const result = await runCommand('umount', [point], { allowFailure: true });
    if (result.code !== 0) await runCommand('umount', ['--lazy', point], { allowFailure: true });
  }
}

/** Stops and removes everything of a lab, whether `up` finished or not. */
async function teardown(state: LabState): Promise<void> {
  const files = labFiles(state.name);
  await labDnsDown({ name: state.name });
  const recorded = await Promise.all(state.hosts.map(async (host) => ((await isHostProcess(host.pid, host.machine)) ? host.pid : null)));
  const strays = await findHostProcesses(new RegExp(`^etcdlab${state.index}-n\\d+$`));
  const pids = new Set([...recorded.filter((pid): pid is number => pid !== null), ...strays]);
  const mirror = (await isMirrorProcess(state.mirrorPid, bridgeAddressOf(state.index))) ? state.mirrorPid : null;
  await Promise.all([...[...pids].map((pid) => stopHostProcess(pid, POWER_OFF_GRACE_MS)), mirror ? stopHostProcess(mirror, 2000) : undefined]);
  for (const host of state.hosts) await removeHostCgroup(host.machine);
  const leftovers = await findLabLinks(state.index);
  const links = [
    ...state.hosts,
    ...leftovers.veths.map((veth) => ({ veth, netns: '' })),
    ...leftovers.netns.map((netns) => ({ veth: '', netns })),
  ];
  for (const link of links) await removeHostLink(link);
  await removeBridge(state.index);
  await unmountUnder(files.dir);
  for (const host of state.hosts) await removeHostRoot(join(files.hostsDir, host.name));
  await rm(files.dir, { recursive: true, force: true });
}

/** Removes a lab; does nothing (and succeeds) when it does not exist. Returns whether anything existed. */
export async function labDown(name: string): Promise<boolean> {
  checkLabName(name);
  await requireRoot();
  return withLabLock(name, async () => {
    const state = await readLabState(name);
    if (!state) {
      await unmountUnder(labFiles(name).dir);
      await rm(labFiles(name).dir, { recursive: true, force: true });
      return false;
    }
    await teardown(state);
    return true;
  });
}

/** The lab and each host's state, or undefined when no such lab exists. */
export async function labStatus(name: string): Promise<LabInfo | undefined> {
  checkLabName(name);
  const state = await readLabState(name);
  return state ? labInfoOf(state, await runningHosts(state)) : undefined;
}

async function requireLab(name: string): Promise<LabState> {
  const state = await readLabState(name);
  if (!state) throw new UserError(`no lab named "${name}"; start it with \`etcdops lab up --name ${name}\``);
  return state;
}

function requireHost(state: LabState, host: string): LabHostState {
  const found = state.hosts.find((entry) => entry.name === host);
  if (!found) throw new UserError(`lab ${state.name} has no host ${host} (hosts: ${state.hosts.map((entry) => entry.name).join(', ')})`);
  return found;
}

export interface PowerOffOptions {
  /** false pulls the plug (SIGKILL, like a crash) instead of a clean shutdown. */
  readonly graceful?: boolean;
}

/** Stops one host's container; its network and root stay, so `labHostStart` brings it back as it was. */
export async function labHostPowerOff(name: string, host: string, options: PowerOffOptions = {}): Promise<LabInfo> {
  await requireRoot();
  return withLabLock(name, async () => {
    const state = await requireLab(name);
    const target = requireHost(state, host);
    if (options.graceful === false) await killHostCgroup(target.machine);
    else if (target.pid !== null && (await isHostProcess(target.pid, target.machine))) {
      await stopHostProcess(target.pid, POWER_OFF_GRACE_MS);
    }
    const next = { ...state, hosts: state.hosts.map((entry) => (entry.name === host ? { ...entry, pid: null } : entry)) };
    await writeLabState(next);
    return labInfoOf(next, await runningHosts(next));
  });
}

/** Boots a powered-off host again and waits until it is reachable over SSH. */
export async function labHostStart(name: string, host: string): Promise<LabInfo> {
  await requireRoot();
  return withLabLock(name, async () => {
    const state = await requireLab(name);
    const target = requireHost(state, host);
    if (!(await isHostProcess(target.pid, target.machine))) {
      const files = labFiles(name);
      const paths = hostRootPaths(join(files.hostsDir, host));
      await ensureHostLink(state.index, target);
      const hostKey = (await readFile(join(paths.root, 'etc/ssh/ssh_host_ed25519_key.pub'), 'utf8')).trim();
      const pid = await bootHost({ root: paths.root, machine: target.machine, netns: target.netns, logFile: join(files.logsDir, `${host}.log`) });
      const next = { ...state, hosts: state.hosts.map((entry) => (entry.name === host ? { ...entry, pid } : entry)) };
      await writeLabState(next);
      await waitForHosts(next, [{ ...target, pid }], new Map([[host, hostKey]]));
    }
    const final = await requireLab(name);
    return labInfoOf(final, await runningHosts(final));
  });
}

/** Grows a running lab by `count` hosts, updating the inventory, known_hosts and every /etc/hosts. */
export async function labAddHosts(name: string, count: number): Promise<LabInfo> {
  await requirePrerequisites();
  return withLabLock(name, async () => {
    const state = await requireLab(name);
    const from = Math.max(0, ...state.hosts.map((host) => host.number)) + 1;
    if (!Number.isInteger(count) || count < 1 || from - 1 + count > MAX_HOSTS) throw new UserError(`cannot add ${count} hosts to lab ${name} (at most ${MAX_HOSTS} in all)`);
    const files = labFiles(name);
    const added = newHosts(state.index, from, count);
    let next: LabState = { ...state, hosts: [...state.hosts, ...added] };
    await writeLabState(next);
    const [rootfs, publicKey] = await Promise.all([ensureRootfs(), readFile(`${files.keyFile}.pub`, 'utf8'), ensureNspawnRuntime()]);
    const { booted, hostKeys } = await bootHosts(next, added, next.hosts, rootfs.path, publicKey);
    next = { ...state, hosts: [...state.hosts, ...booted] };
    await writeLabState(next);
    for (const host of state.hosts) await writeHostsFile(hostRootPaths(join(files.hostsDir, host.name)).root, next.hosts);
    const pinned = await readFile(files.knownHostsFile, 'utf8');
    await writeLabFiles(next, pinned + booted.map((host) => knownHostsLine(host, hostKeys.get(host.name) ?? '')).join(''));
    await waitForHosts(next, booted, hostKeys);
    return labInfoOf(next, await runningHosts(next));
  });
}
