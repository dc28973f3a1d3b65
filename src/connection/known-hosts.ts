// Host-key checking against an OpenSSH known_hosts file (plain and hashed entries), so that etcdops
// trusts exactly the hosts `ssh` would. `accept-new` pins unknown hosts; a changed key is always refused.
import { createHmac } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

export type HostKeyChecking = 'strict' | 'accept-new' | 'off';

export interface HostKeyVerdict {
  readonly ok: boolean;
  /** Why a key was refused, in words a user can act on. */
  readonly reason?: string;
}

/** The names a host is recorded under: `host` for port 22, `[host]:port` otherwise. */
function hostToken(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function patternMatches(pattern: string, token: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(token).digest('base64');
    return digest === hash;
  }
  return pattern.split(',').some((name) => {
    const regex = new RegExp(`^${name.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    return regex.test(token);
  });
}

/** Decides whether `key` (the raw public key blob the server offered) is trusted for host:port. */
export function verifyHostKey(
  knownHostsFile: string,
  host: string,
  port: number,
  key: Buffer,
  mode: HostKeyChecking,
): HostKeyVerdict {
  if (mode === 'off') return { ok: true };
  const token = hostToken(host, port);
  const lines = existsSync(knownHostsFile) ? readFileSync(knownHostsFile, 'utf8').split('\n') : [];
  let known = false;
  for (const line of lines) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 3 || fields[0]!.startsWith('#') || fields[0]!.startsWith('@')) continue;
    if (!patternMatches(fields[0]!, token)) continue;
    known = true;
    if (Buffer.from(fields[2]!, 'base64').equals(key)) return { ok: true };
  }
  if (known) {
    return {
      ok: false,
      reason: `the host key of ${token} does not match ${knownHostsFile}: the host was re-installed or someone is intercepting; verify and update the file`,
    };
  }
  if (mode === 'accept-new') {
    const type = key.subarray(4, 4 + key.readUInt32BE(0)).toString();
    appendFileSync(knownHostsFile, `${token} ${type} ${key.toString('base64')}\n`, { mode: 0o600 });
    return { ok: true };
  }
  return {
    ok: false,
    reason: `${token} is not in ${knownHostsFile}: add its key (ssh-keyscan, after checking it) or choose --host-key-checking accept-new`,
  };
}
