// SSH to lab hosts with the lab key and the pinned host keys (strict checking always on).
import { UserError } from '../errors/user-error.js';
import { runCommand, type CommandResult } from './run-command.js';

export interface SshTarget {
  readonly keyFile: string;
  readonly knownHostsFile: string;
  readonly address: string;
}

/** ssh options shared by `lab ssh`, the lab's own checks, and the inventory's common args. */
export function sshOptions(keyFile: string, knownHostsFile: string): readonly string[] {
  return [
    '-i', keyFile, '-o', 'IdentitiesOnly=yes', '-o', `UserKnownHostsFile=${knownHostsFile}`,
    '-o', 'GlobalKnownHostsFile=/dev/null', '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes',
    '-o', 'ConnectTimeout=5', '-o', 'LogLevel=ERROR',
  ];
}

export function sshArgs(target: SshTarget, command: readonly string[], user = 'root'): readonly string[] {
  return [...sshOptions(target.keyFile, target.knownHostsFile), `${user}@${target.address}`, '--', ...command];
}

export function sshRunCommand(target: SshTarget, command: string, timeoutMs = 60_000): Promise<CommandResult> {
  return runCommand('ssh', sshArgs(target, [command]), { allowFailure: true, timeoutMs });
}

/** The host's ed25519 key as sshd serves it, or undefined while sshd is not answering yet. */
async function scanHostKey(address: string): Promise<string | undefined> {
  const result = await runCommand('ssh-keyscan', ['-T', '1', '-t', 'ed25519', address], { allowFailure: true });
  const line = result.stdout.split('\n').find((entry) => entry.startsWith(`${address} ssh-ed25519 `));
  return line?.split(' ').slice(1, 3).join(' ');
}

/**
 * Waits until sshd serves exactly the host key generated for the host (so the pinned key is the
 * one the network sees), then until systemd reports the boot finished.
 */
export async function waitForHost(target: SshTarget, hostName: string, expectedKey: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const wanted = expectedKey.split(' ').slice(0, 2).join(' ');
  for (;;) {
    const served = await scanHostKey(target.address);
    if (served === wanted) break;
    if (served !== undefined) throw new UserError(`${hostName} (${target.address}) serves an unexpected host key; is another machine using this address?`);
    if (Date.now() > deadline) throw new UserError(`${hostName} (${target.address}) did not start sshd within ${timeoutMs / 1000} s; see its log in the lab folder`);
    await new Promise((done) => setTimeout(done, 200));
  }
  const left = Math.max(deadline - Date.now(), 5000);
  const result = await sshRunCommand(target, 'systemctl is-system-running --wait; systemctl --failed --no-legend --plain', left);
  const [stateLine, ...failed] = result.stdout.trim().split('\n');
  if (stateLine !== 'running') {
    throw new UserError(`${hostName} booted ${stateLine || 'with errors'} (${result.stderr.trim() || failed.join(', ') || 'no detail'})`);
  }
}
