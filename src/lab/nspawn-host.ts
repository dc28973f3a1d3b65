// Boots and stops one lab host: a detached systemd-nspawn running systemd as PID 1 inside the
// host's network namespace. Processes are only ever signalled after checking they are ours.
import { mkdir, readFile, readdir } from 'node:fs/promises';
import { startDetached } from './detached-process.js';
import { prepareHostCgroup } from './host-cgroup.js';
import { runCommand } from './run-command.js';

const NSPAWN_RUNTIME = '/run/systemd/nspawn';

/** nspawn needs a tmpfs here when the machine's PID 1 is not systemd; harmless when it is. */
export async function ensureNspawnRuntime(): Promise<void> {
  const mounts = await readFile('/proc/self/mounts', 'utf8');
  if (mounts.split('\n').some((line) => line.split(' ')[1] === NSPAWN_RUNTIME)) return;
  await mkdir(NSPAWN_RUNTIME, { recursive: true });
  await runCommand('mount', ['-t', 'tmpfs', '-o', 'mode=0755', 'tmpfs', NSPAWN_RUNTIME]);
}

export interface BootRequest {
  readonly root: string;
  readonly machine: string;
  readonly netns: string;
  readonly logFile: string;
}

/** Starts the container detached from this process (it outlives `lab up`); returns its PID. */
export async function bootHost(request: BootRequest): Promise<number> {
  const cgroupProcs = await prepareHostCgroup(request.machine);
  // The shell joins the host's own cgroups, then becomes systemd-nspawn (same PID).
  const joinAndExec = 'for procs in $CGROUP_PROCS; do echo $$ > "$procs"; done; exec systemd-nspawn "$@"';
  return startDetached(
    'sh',
    [
      '-c', joinAndExec, 'systemd-nspawn',
      '--directory', request.root, '--boot', '--register=no', '--keep-unit',
      `--network-namespace-path=/run/netns/${request.netns}`, `--machine=${request.machine}`,
      '--resolv-conf=off', '--timezone=off', '--link-journal=no', '--console=passive',
      // Each host has a network namespace of its own, so it may manage its own firewall: fault
      // injection (partitions, packet loss) uses iptables inside the host.
      '--capability=CAP_NET_ADMIN',
    ],
    { logFile: request.logFile, env: { ...process.env, CGROUP_PROCS: cgroupProcs.join(' ') } },
  );
}

async function cmdline(pid: number): Promise<readonly string[] | undefined> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
  } catch {
    return undefined;
  }
}

/** True when `pid` is the systemd-nspawn of this machine (not a reused PID). */
export async function isHostProcess(pid: number | null, machine: string): Promise<boolean> {
  if (pid === null) return false;
  const args = await cmdline(pid);
  return !!args && (args[0] ?? '').endsWith('systemd-nspawn') && args.includes(`--machine=${machine}`);
}

/** PIDs of every systemd-nspawn whose machine name matches, to clean up after a lost state file. */
export async function findHostProcesses(machinePattern: RegExp): Promise<readonly number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const args = await cmdline(Number(entry));
    if (!args || !(args[0] ?? '').endsWith('systemd-nspawn')) continue;
    const machine = args.find((arg) => arg.startsWith('--machine='))?.slice('--machine='.length);
    if (machine && machinePattern.test(machine)) found.push(Number(entry));
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops a host: SIGTERM asks nspawn for a clean power-off, SIGKILL follows after `graceMs`
 * (graceMs 0 pulls the plug at once, as a crash would).
 */
export async function stopHostProcess(pid: number, graceMs: number): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, graceMs > 0 ? 'SIGTERM' : 'SIGKILL');
  const deadline = Date.now() + Math.max(graceMs, 0);
  while (alive(pid) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  const killDeadline = Date.now() + 10_000;
  while (alive(pid) && Date.now() < killDeadline) await new Promise((done) => setTimeout(done, 50));
}
