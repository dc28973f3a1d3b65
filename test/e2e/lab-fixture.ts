// Mocha helpers for e2e suites: one lab per suite (up before, down after, also on failure and on
// Ctrl-C), and running commands on its hosts over SSH with the lab key and pinned host keys.
import { labDown, labUp, type LabInfo } from '../../src/lab/lab.js';
import { sshArgs } from '../../src/lab/lab-ssh.js';
import { runCommand, type CommandResult } from '../../src/lab/run-command.js';

export type SshResult = CommandResult;

/**
 * The lab name a suite uses: ETCDOPS_LAB_PREFIX lets two checkouts run the same e2e files on one machine
 * without sharing (or tearing down) each other's labs.
 */
export function labName(name: string): string {
  return `${process.env.ETCDOPS_LAB_PREFIX ?? ''}${name}`;
}

/** Labs this process brought up and has not taken down yet, for the signal handler. */
const liveLabs = new Set<string>();
let signalHandlersInstalled = false;

function installSignalHandlers(): void {
  if (signalHandlersInstalled) return;
  signalHandlersInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: taking down lab(s) ${[...liveLabs].join(', ')}\n`);
      Promise.allSettled([...liveLabs].map((name) => labDown(name))).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
}

/**
 * Brings lab `name` up with `hosts` hosts before the enclosing suite and down after it.
 * Returns a getter, since the lab only exists once `before` has run.
 */
export function useLab(suiteName: string, hosts: number): () => LabInfo {
  const name = labName(suiteName);
  let info: LabInfo | undefined;
  before(async function () {
    // A first run builds the root filesystem and the etcd tarballs.
    this.timeout(15 * 60_000);
    installSignalHandlers();
    liveLabs.add(name);
    try {
      // A lab of this name can only be a leftover of a run that crashed: its hosts hold that run's state,
      // so it is replaced, never reused.
      if (await labDown(name)) process.stderr.write(`      lab ${name} was left by an earlier run; replaced by fresh hosts\n`);
      const up = await labUp({ name, hosts });
      if (up.alreadyRunning || up.hosts.length !== hosts) throw new Error(`lab ${name} is not a fresh lab of ${hosts} hosts`);
      await assertFreshHosts(up);
      info = up;
    } catch (error) {
      await labDown(name).catch(() => undefined);
      liveLabs.delete(name);
      throw error;
    }
  });
  after(async function () {
    this.timeout(120_000);
    await labDown(name);
    liveLabs.delete(name);
  });
  return () => {
    if (!info) throw new Error(`lab ${name} is not up (its before hook failed or has not run)`);
    return info;
  };
}

/** Fails unless every host of the lab runs and carries nothing a playbook installs (no etcd, no ops files). */
export async function assertFreshHosts(lab: LabInfo): Promise<void> {
  const leftovers = await Promise.all(
    lab.hosts.map(async (host) => {
      const found = await sshRun(lab, host.name, 'ls -d /etc/etcd /var/lib/etcd /opt/etcd /etc/systemd/system/etcd.service /etc/hello 2>/dev/null; true');
      if (found.code !== 0) return `${host.name}: not reachable (${found.stderr.trim()})`;
      return found.stdout.trim() ? `${host.name}: ${found.stdout.trim().split('\n').join(', ')}` : '';
    }),
  );
  const dirty = leftovers.filter(Boolean);
  if (dirty.length > 0) throw new Error(`lab ${lab.name} is not fresh: ${dirty.join('; ')}`);
}

export interface SshRunOptions {
  /** Log in as this user (default root). */
  readonly user?: string;
  readonly timeoutMs?: number;
}

/** Runs `cmd` on a lab host with the system ssh client; strict host-key checking against the lab's known_hosts. */
export function sshRun(lab: LabInfo, host: string, cmd: string, options: SshRunOptions = {}): Promise<SshResult> {
  const target = lab.hosts.find((entry) => entry.name === host);
  if (!target) return Promise.reject(new Error(`lab ${lab.name} has no host ${host}`));
  const args = sshArgs({ keyFile: lab.keyFile, knownHostsFile: lab.knownHostsFile, address: target.address }, [cmd], options.user);
  return runCommand('ssh', args, { allowFailure: true, timeoutMs: options.timeoutMs ?? 60_000 });
}
