// How to reach a host, from Ansible's connection variables in its inventory vars.
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { readConnectionVariables, type ConnectionVariableProblem } from './connection-variables.js';
import type { HostKeyChecking, KnownHostsFiles } from './known-hosts.js';

export interface SshSettings {
  readonly host: string;
  readonly address: string;
  readonly port: number;
  readonly user: string;
  readonly privateKeyFile?: string;
  /** UserKnownHostsFile and GlobalKnownHostsFile, each a list as in ssh_config. */
  readonly knownHostsFiles: KnownHostsFiles;
  readonly hostKeyChecking: HostKeyChecking;
  /** `user@host:port` of a jump host (ProxyJump). */
  readonly jump?: string;
  readonly connectTimeoutMs: number;
  /**
   * A probe every this many ms when the server has been silent (OpenSSH's ServerAliveInterval); after
   * `aliveCountMax` unanswered probes the link counts as lost and the host as unreachable.
   */
  readonly aliveIntervalMs: number;
  readonly aliveCountMax: number;
  /** A connection variable that cannot be used: connecting fails (or is unreachable) with this message. */
  readonly problem?: ConnectionVariableProblem;
}

/** Reads `-o Key=Value` and `-J host` options out of `ansible_ssh_common_args`/`ansible_ssh_extra_args`. */
function sshOptions(args: string): Map<string, string> {
  const options = new Map<string, string>();
  // Shell words: quotes group and are removed wherever they stand (`-o "A=b c"` and `-o A="b c"` alike).
  const words = (args.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? []).map((w) => w.replace(/"([^"]*)"|'([^']*)'/g, '$1$2'));
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const value = words[i + 1];
    if ((word === '-o' || word === '-J') && value !== undefined) {
      i++;
      if (word === '-J') options.set('proxyjump', value);
      else {
        const [key, ...rest] = value.split('=');
        options.set(key!.toLowerCase(), rest.join('='));
      }
    } else if (word.startsWith('-o') && word.length > 2) {
      const [key, ...rest] = word.slice(2).split('=');
      options.set(key!.toLowerCase(), rest.join('='));
    }
  }
  return options;
}

function checkingFrom(value: unknown): HostKeyChecking | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const text = String(value).toLowerCase();
  if (text === 'no' || text === 'false' || text === 'off') return 'off';
  if (text === 'accept-new') return 'accept-new';
  return 'strict';
}

/** An ssh_config file list: files separated by spaces, or `none` for no file. */
function fileList(value: string | undefined, defaults: readonly string[], expand: (path: string) => string): readonly string[] {
  if (value === undefined) return defaults;
  const files = value.split(/\s+/).filter(Boolean);
  return files.length === 1 && files[0]!.toLowerCase() === 'none' ? [] : files.map(expand);
}

/**
 * Connection settings for one host. Relative key paths resolve against the inventory's folder, as Ansible
 * does for paths in inventory files. `override` is the command line's `--host-key-checking`.
 */
export function sshSettingsFor(
  host: string,
  vars: Readonly<Record<string, unknown>>,
  inventoryDir: string,
  override?: HostKeyChecking,
): SshSettings {
  const options = sshOptions(`${vars.ansible_ssh_common_args ?? ''} ${vars.ansible_ssh_extra_args ?? ''}`);
  const expand = (path: string): string => resolve(inventoryDir, path.replace(/^~(?=\/)/, homedir()));
  const key = vars.ansible_ssh_private_key_file ?? vars.ansible_private_key_file;
  const checking =
    override ??
    checkingFrom(options.get('stricthostkeychecking')) ??
    (vars.ansible_host_key_checking === false ? 'off' : 'strict');
  const target = readConnectionVariables(host, vars, options.get('connecttimeout'));
  return {
    host,
    address: target.address,
    port: target.port,
    user: target.user,
    privateKeyFile: key === undefined ? undefined : expand(String(key)),
    knownHostsFiles: {
      user: fileList(options.get('userknownhostsfile'), [resolve(homedir(), '.ssh/known_hosts'), resolve(homedir(), '.ssh/known_hosts2')], expand),
      global: fileList(options.get('globalknownhostsfile'), ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'], expand),
    },
    hostKeyChecking: checking,
    jump: options.get('proxyjump'),
    connectTimeoutMs: target.connectTimeoutMs,
    aliveIntervalMs: Number(options.get('serveraliveinterval') ?? 15) * 1000,
    aliveCountMax: Number(options.get('serveralivecountmax') ?? 3),
    ...(target.problem ? { problem: target.problem } : {}),
  };
}
