// Host-key checking against an OpenSSH known_hosts file, with OpenSSH's rules and words, so that
// etcdops trusts exactly the hosts `ssh` would: `[host]:port`, hashed names, patterns and negation,
// several keys per host, `@revoked` (refused under every policy) and `@cert-authority` (refused: etcdops
// does not check host certificates). `accept-new` pins unknown hosts only; a changed key is always refused.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { hostFieldMatches, hostToken } from './host-pattern.js';

export type HostKeyChecking = 'strict' | 'accept-new' | 'off';

/** The known_hosts files ssh reads for a host: the user's, then the system's; accept-new pins into the first user file. */
export interface KnownHostsFiles {
  readonly user: readonly string[];
  readonly global: readonly string[];
}

/** What a known_hosts line says about the key on it. */
export type HostKeyMarker = 'key' | 'revoked' | 'cert-authority';

/** One line of a known_hosts file that names the host being looked up (what `ssh-keygen -F` lists). */
export interface KnownHostEntry {
  /** The file the line is in ('' when looked up in a text). */
  readonly file: string;
  /** 1-based line number in the file. */
  readonly line: number;
  readonly marker: HostKeyMarker;
  /** The key type written on the line, e.g. `ssh-ed25519`. */
  readonly type: string;
  /** The public key blob, as a server sends it. */
  readonly key: Buffer;
}

export interface HostKeyVerdict {
  readonly ok: boolean;
  /** Why a key was refused, in words a user can act on. */
  readonly reason?: string;
}

const MARKERS: Readonly<Record<string, HostKeyMarker>> = { '@revoked': 'revoked', '@cert-authority': 'cert-authority' };

/** The type name inside an SSH public key blob (its first length-prefixed string), or undefined if malformed. */
export function blobType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  if (length === 0 || 4 + length > blob.length) return undefined;
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** The fingerprint OpenSSH prints: `SHA256:` and the unpadded base64 of the blob's SHA-256. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** A line of a known_hosts file that holds a key, whatever host it names. */
interface KnownHostLine {
  readonly line: number;
  readonly marker: HostKeyMarker;
  readonly hosts: string;
  readonly type: string;
  readonly key: Buffer;
}

/** A known_hosts text's key lines, those that list plain names indexed by name: a lab's file names every host. */
interface KeyLines {
  /** Lines whose host field lists plain names only, by each name in lower case. */
  readonly byName: ReadonlyMap<string, readonly KnownHostLine[]>;
  /** Lines with a pattern, a negation or a hashed name, matched one by one. */
  readonly matched: readonly KnownHostLine[];
}

/** A host field that names hosts as they are: no hashed name, no pattern or negation, none too long to match. */
const PLAIN_NAMES = /^[^|*?!,][^*?!,]{0,1021}(,[^*?!,]{1,1022})*$/;

/** Comments, blank lines, unknown `@markers` and lines whose key does not parse are skipped, as OpenSSH skips them. */
function keyLines(text: string): KeyLines {
  const byName = new Map<string, KnownHostLine[]>();
  const matched: KnownHostLine[] = [];
  text.split('\n').forEach((raw, index) => {
    const fields = raw.replace(/\r$/, '').trim().split(/[ \t]+/);
    if (fields[0] === '' || fields[0]!.startsWith('#')) return;
    let marker: HostKeyMarker = 'key';
    if (fields[0]!.startsWith('@')) {
      const known = MARKERS[fields[0]!];
      if (!known) return;
      marker = known;
      fields.shift();
    }
    const [hosts, type, encoded] = fields;
    if (!hosts || !type || !encoded || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return;
    const key = Buffer.from(encoded, 'base64');
    if (blobType(key) !== type) return;
    const entry = { line: index + 1, marker, hosts, type, key };
    if (!PLAIN_NAMES.test(hosts)) return void matched.push(entry);
    for (const name of hosts.toLowerCase().split(',')) {
      const named = byName.get(name) ?? [];
      if (named.at(-1) !== entry) named.push(entry);
      byName.set(name, named);
    }
  });
  return { byName, matched };
}

function entriesNaming(lines: KeyLines, token: string, file: string): KnownHostEntry[] {
  const matched = lines.matched.filter((entry) => hostFieldMatches(token, entry.hosts));
  return [...(lines.byName.get(token.toLowerCase()) ?? []), ...matched]
    .sort((a, b) => a.line - b.line)
    .map(({ line, marker, type, key }) => ({ file, line, marker, type, key }));
}

/** The lines of a known_hosts text that name `token` (see hostToken), in file order. */
export function lookupHostKeys(text: string, token: string, file = ''): KnownHostEntry[] {
  return entriesNaming(keyLines(text), token, file);
}

/** The host-key algorithms ssh2 may negotiate for a key type written in known_hosts. */
function algorithmsFor(type: string): string[] {
  return type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type];
}

/**
 * The server host-key algorithms to offer for host:port, those of keys already pinned for it first (as
 * OpenSSH orders them), so a host pinned by its RSA key is not met with its Ed25519 key and taken for changed.
 */
export function preferredHostKeyAlgorithms(files: KnownHostsFiles, host: string, port: number, supported: readonly string[]): string[] {
  let entries: KnownHostEntry[] = [];
  try {
    entries = loadHostKeys(files, hostToken(host, port));
  } catch {
    // An unreadable file is reported by verifyHostKey, which refuses the host with the reason.
  }
  const pinned = entries.filter((e) => e.marker === 'key').flatMap((e) => algorithmsFor(e.type));
  const first = supported.filter((algorithm) => pinned.includes(algorithm));
  return [...first, ...supported.filter((algorithm) => !first.includes(algorithm))];
}

/** Reads the file, or '' when it does not exist yet (every host is then unknown). */
export function readKnownHosts(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** The key lines of the text each file last held: a run looks up every host twice as it connects, and a lab's file names them all. */
const keyLinesOf = new Map<string, { readonly text: string; readonly lines: KeyLines }>();

function fileKeyLines(file: string): KeyLines {
  const text = readKnownHosts(file);
  const known = keyLinesOf.get(file);
  if (known?.text === text) return known.lines;
  const lines = keyLines(text);
  keyLinesOf.set(file, { text, lines });
  return lines;
}

/** The lines naming `token` in every file, user files first, as ssh loads them; missing files count as empty. */
export function loadHostKeys(files: KnownHostsFiles, token: string): KnownHostEntry[] {
  return [...files.user, ...files.global].flatMap((file) => entriesNaming(fileKeyLines(file), token, file));
}

/**
 * Appends `line` to the known_hosts file atomically (a temporary file beside it, then a rename), keeping the
 * file's mode (0600 for a new one) and writing through a symbolic link to its target.
 */
function appendAtomically(file: string, line: string): void {
  const target = existsSync(file) ? realpathSync(file) : file;
  const before = readKnownHosts(target);
  const mode = existsSync(target) ? statSync(target).mode & 0o7777 : 0o600;
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(temp, `${before}${before === '' || before.endsWith('\n') ? '' : '\n'}${line}\n`, { mode, flag: 'wx' });
    chmodSync(temp, mode);
    renameSync(temp, target);
  } catch (error) {
    if (existsSync(temp)) unlinkSync(temp);
    throw error;
  }
}

/**
 * Decides whether `key` (the raw public key blob the server offered) is trusted for host:port, following
 * OpenSSH's check_host_key: a revoked key is refused first; a key pinned for the host passes; a host known
 * only through `@cert-authority` is refused (host certificates are not supported); a host with other keys
 * pinned has CHANGED and is refused under every policy but `off`; an unknown host passes only under
 * `accept-new` (and is then pinned) or `off`.
 */
export function verifyHostKey(
  files: KnownHostsFiles,
  host: string,
  port: number,
  key: Buffer,
  mode: HostKeyChecking,
): HostKeyVerdict {
  const token = hostToken(host, port);
  const type = blobType(key) ?? 'unknown';
  const where = (entry: KnownHostEntry) => `${entry.file}:${entry.line}`;
  const pinFile = files.user[0];
  let entries: KnownHostEntry[];
  try {
    entries = loadHostKeys(files, token);
  } catch (error) {
    if (mode === 'off') return { ok: true };
    return { ok: false, reason: `cannot read a known_hosts file: ${(error as Error).message}` };
  }
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key.equals(key));
  if (revoked) {
    return {
      ok: false,
      reason:
        `WARNING: REVOKED HOST KEY DETECTED! The ${type} host key for ${token} (${fingerprint(key)}) is marked as revoked ` +
        `in ${where(revoked)}. This could mean that a stolen key is being used to impersonate this host. ` +
        'etcdops refuses a revoked key under every --host-key-checking setting: give the host a new key, verify it and pin it.',
    };
  }
  if (mode === 'off') return { ok: true };
  const pinned = entries.filter((e) => e.marker === 'key');
  if (pinned.some((e) => e.key.equals(key))) return { ok: true };
  const authority = entries.find((e) => e.marker === 'cert-authority');
  if (authority) {
    return {
      ok: false,
      reason:
        `${token} is trusted through a certificate authority (@cert-authority in ${where(authority)}), and etcdops does not ` +
        `check host certificates: pin the host's own key instead (ssh-keyscan ${port === 22 ? '' : `-p ${port} `}${host}, ` +
        `compare its fingerprint, then add that line to ${pinFile ?? 'a known_hosts file'})`,
    };
  }
  const offending = pinned.at(-1);
  if (offending) {
    return {
      ok: false,
      reason:
        `WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! The ${type} host key of ${token} (${fingerprint(key)}) does not match ` +
        `the key pinned for it. Offending ${offending.type} key in ${where(offending)}. IT IS POSSIBLE THAT SOMEONE IS DOING ` +
        'SOMETHING NASTY, or the host was re-installed: verify the new key out of band, then remove the old one ' +
        `(ssh-keygen -R '${token}' -f ${offending.file}) and pin the new one. A changed key is refused under strict and accept-new.`,
    };
  }
  if (mode === 'accept-new' && pinFile !== undefined) {
    appendAtomically(pinFile, `${token} ${type} ${key.toString('base64')}`);
    return { ok: true };
  }
  return {
    ok: false,
    reason:
      `No ${type} host key is known for ${token} in ${[...files.user, ...files.global].join(', ') || 'any file (UserKnownHostsFile=none)'} ` +
      `and ${pinFile === undefined && mode === 'accept-new' ? 'there is no UserKnownHostsFile to pin it into' : 'you have requested strict checking'}: ` +
      `add its key (ssh-keyscan ${port === 22 ? '' : `-p ${port} `}${host}, after checking that its fingerprint is ${fingerprint(key)}) ` +
      'or choose --host-key-checking accept-new',
  };
}
