// Host-key lookup and verdicts, with OpenSSH's own ssh-keygen as the oracle on the same known_hosts files.
import { deepStrictEqual, match, ok, strictEqual } from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync, symlinkSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostToken } from '../../src/connection/host-pattern.js';
import { lookupHostKeys, preferredHostKeyAlgorithms, verifyHostKey, type HostKeyChecking } from '../../src/connection/known-hosts.js';

/** A fresh host key pair's public line (`type base64`) and blob, made by ssh-keygen. */
interface HostKey {
  readonly line: string;
  readonly blob: Buffer;
}

function sshKeygen(args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync('ssh-keygen', args, { encoding: 'utf8' });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

function newKey(dir: string, type: string): HostKey {
  const file = join(dir, `key-${type}-${Math.random().toString(36).slice(2)}`);
  const made = sshKeygen(['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-f', file]);
  strictEqual(made.code, 0, made.stderr);
  const line = readFileSync(`${file}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
  return { line, blob: Buffer.from(line.split(' ')[1]!, 'base64') };
}

/** What `ssh-keygen -F token -f file` lists: "line marker" for each line it finds. */
function oracleLookup(file: string, token: string): string[] {
  const found = sshKeygen(['-F', token, '-f', file]);
  return [...found.stdout.matchAll(/^# Host .* found: line (\d+) ?(REVOKED|CA)?$/gm)].map(
    (m) => `${m[1]} ${m[2] === 'REVOKED' ? 'revoked' : m[2] === 'CA' ? 'cert-authority' : 'key'}`,
  );
}

const ours = (file: string, token: string) => lookupHostKeys(readFileSync(file, 'utf8'), token).map((e) => `${e.line} ${e.marker}`);

describe('known_hosts lookup against ssh-keygen -F', function () {
  this.timeout(30_000);
  let dir: string;
  let ed: HostKey;
  let ec: HostKey;
  let rsa: HostKey;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'known-hosts-oracle-'));
    [ed, ec, rsa] = [newKey(dir, 'ed25519'), newKey(dir, 'ecdsa'), newKey(dir, 'rsa')];
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** known_hosts files, written with the keys of this run; each is looked up for every token below. */
  const files: Record<string, () => string> = {
    ports: () => `10.0.0.1 ${ed.line}\n[10.0.0.1]:2222 ${ec.line}\n[10.0.0.1]:22 ${rsa.line}\n[10.0.0.2]:2222,10.0.0.3 ${ed.line}\n`,
    lists: () => `# a comment\n\n  \t# indented comment\nnode1,10.0.0.1,Node2.Example ${ed.line}\n10.0.0.1 ${rsa.line} a comment\n\t10.0.0.1\t${ec.line}\n`,
    wildcards: () => `node1 ${rsa.line}\n*.example,!bad.example ${ed.line}\n10.0.0.? ${ec.line}\n[10.0.0.*]:2222 ${rsa.line}\n!10.0.0.1,10.0.0.* ${ed.line}\n* ${ec.line}\n` +
      `${'?'.repeat(1023)},10.0.0.2 ${ed.line}\n${'*'.repeat(1022)},other ${ec.line}\n`,
    markers: () =>
      `@revoked * ${rsa.line}\n@cert-authority *.example ${ec.line}\n@revoked [10.0.0.1]:2222 ${ed.line}\n@bogus 10.0.0.1 ${ed.line}\n` +
      `10.0.0.1 ${ed.line}\n`,
    // Plain names: upper case, one name twice, names at and over the length OpenSSH gives up at.
    plain: () =>
      `NODE1,10.0.0.1,node1 ${ed.line}\n${'a'.repeat(1022)},10.0.0.2 ${ec.line}\n${'b'.repeat(1023)},10.0.0.3 ${rsa.line}\n` +
      `10.0.0.15,${'c'.repeat(1023)} ${ed.line}\n10.0.0.15,${'d'.repeat(1022)} ${ec.line}\n10.0.0.1,,other ${rsa.line}\n`,
    // Truncated lines. (ssh-keygen -F does not decode keys, so a corrupt key is left to the verdict tests.)
    broken: () => `10.0.0.1\n10.0.0.1 ${ed.line.split(' ')[0]}\n@revoked\n10.0.0.1 ${ed.line}\n`,
  };
  const tokens = ['10.0.0.1', '[10.0.0.1]:2222', '[10.0.0.2]:2222', '10.0.0.2', '10.0.0.3', '10.0.0.15', 'node1', 'node2.example', 'a.example', 'bad.example', 'other'];

  for (const [name, content] of Object.entries(files)) {
    it(`finds the same lines as ssh-keygen -F in "${name}", for every host and port`, () => {
      const file = join(dir, name);
      writeFileSync(file, content());
      for (const token of tokens) deepStrictEqual(ours(file, token), oracleLookup(file, token), `${name}: ${token}`);
    });
  }

  for (const name of ['ports', 'lists', 'wildcards']) {
    it(`finds the same lines as ssh-keygen -F in "${name}" once ssh-keygen -H has hashed it`, () => {
      const file = join(dir, `${name}-hashed`);
      writeFileSync(file, files[name]!());
      const hashed = sshKeygen(['-H', '-f', file]);
      strictEqual(hashed.code, 0, hashed.stderr);
      match(readFileSync(file, 'utf8'), /^\|1\|/m, 'some names are hashed');
      let found = 0;
      for (const token of tokens) {
        const expected = oracleLookup(file, token);
        deepStrictEqual(ours(file, token), expected, `${name} hashed: ${token}`);
        found += expected.length;
      }
      ok(found > 0, 'the hashed file has entries that match');
    });
  }

  it('orders host-key algorithms with the pinned key types first', () => {
    const file = join(dir, 'order');
    writeFileSync(file, `10.0.0.1 ${rsa.line}\n[10.0.0.1]:2222 ${ec.line}\n@revoked * ${ed.line}\n`);
    const supported = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
    const files = { user: [join(dir, 'missing'), file], global: [] };
    deepStrictEqual(preferredHostKeyAlgorithms(files, '10.0.0.1', 22, supported), ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-ed25519', 'ecdsa-sha2-nistp256']);
    deepStrictEqual(preferredHostKeyAlgorithms(files, '10.0.0.1', 2222, supported), ['ecdsa-sha2-nistp256', 'ssh-ed25519', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    deepStrictEqual(preferredHostKeyAlgorithms(files, 'x', 22, supported), supported);
  });
});

describe('verifyHostKey', function () {
  this.timeout(30_000);
  let dir: string;
  let file: string;
  let key: HostKey;
  let other: HostKey;
  let rsa: HostKey;
  before(() => {
    const keys = mkdtempSync(join(tmpdir(), 'known-hosts-keys-'));
    [key, other, rsa] = [newKey(keys, 'ed25519'), newKey(keys, 'ed25519'), newKey(keys, 'rsa')];
    rmSync(keys, { recursive: true, force: true });
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'known-hosts-'));
    file = join(dir, 'known_hosts');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const only = (path: string) => ({ user: [path], global: [] });
  const verify = (host: string, port: number, blob: Buffer, mode: HostKeyChecking) => verifyHostKey(only(file), host, port, blob, mode);

  it('trusts the key pinned as [addr]:port on a non-22 port, and only there', () => {
    writeFileSync(file, `[10.0.0.1]:2222 ${key.line}\n`);
    ok(verify('10.0.0.1', 2222, key.blob, 'strict').ok);
    const bare = verify('10.0.0.1', 22, key.blob, 'strict');
    strictEqual(bare.ok, false);
    match(bare.reason!, /No ssh-ed25519 host key is known for 10\.0\.0\.1 .* strict checking/);
  });

  for (const mode of ['strict', 'accept-new'] as const) {
    it(`refuses a changed key under ${mode} with OpenSSH's words, naming the file and line, and leaves the file alone`, () => {
      const content = `# pinned\n10.0.0.9 ${rsa.line}\n[10.0.0.1]:2222 ${key.line}\n`;
      writeFileSync(file, content);
      const verdict = verify('10.0.0.1', 2222, other.blob, mode);
      strictEqual(verdict.ok, false);
      match(verdict.reason!, /REMOTE HOST IDENTIFICATION HAS CHANGED/);
      ok(verdict.reason!.includes(`Offending ssh-ed25519 key in ${file}:3`), verdict.reason);
      strictEqual(readFileSync(file, 'utf8'), content);
    });
  }

  it('names the last of several pinned keys as the offending one, and trusts each pinned key', () => {
    writeFileSync(file, `10.0.0.1 ${rsa.line}\n10.0.0.1 ${key.line}\n`);
    ok(verify('10.0.0.1', 22, rsa.blob, 'strict').ok);
    ok(verify('10.0.0.1', 22, key.blob, 'strict').ok);
    match(verify('10.0.0.1', 22, other.blob, 'strict').reason!, new RegExp(`Offending ssh-ed25519 key in ${file}:2`));
  });

  for (const mode of ['strict', 'accept-new', 'off'] as const) {
    it(`refuses a @revoked key under ${mode}, even when it is also pinned`, () => {
      writeFileSync(file, `10.0.0.1 ${key.line}\n@revoked * ${key.line}\n`);
      const verdict = verify('10.0.0.1', 22, key.blob, mode);
      strictEqual(verdict.ok, false);
      match(verdict.reason!, new RegExp(`REVOKED HOST KEY DETECTED.*revoked in ${file}:2`));
      ok(verify('10.0.0.1', 22, other.blob, 'off').ok, 'a key that is not revoked passes under off');
    });
  }

  it('refuses a host trusted only through @cert-authority, saying it is not supported and what to do', () => {
    writeFileSync(file, `@cert-authority *.example,[*.example]:* ${key.line}\n`);
    for (const mode of ['strict', 'accept-new'] as const) {
      const verdict = verify('db.example', 2222, other.blob, mode);
      strictEqual(verdict.ok, false);
      match(verdict.reason!, /@cert-authority in .*:1\), and etcdops does not check host certificates: pin the host's own key instead \(ssh-keyscan -p 2222 db\.example/);
    }
    strictEqual(readFileSync(file, 'utf8'), `@cert-authority *.example,[*.example]:* ${key.line}\n`, 'accept-new pinned nothing');
  });

  it('matches a hashed entry written by ssh-keygen -H', () => {
    writeFileSync(file, `[10.0.0.1]:2222 ${key.line}\nnode1 ${rsa.line}\n`);
    strictEqual(sshKeygen(['-H', '-f', file]).code, 0);
    strictEqual(readFileSync(file, 'utf8').includes('10.0.0.1'), false, 'the names are hashed');
    ok(verify('10.0.0.1', 2222, key.blob, 'strict').ok);
    ok(verify('NODE1', 22, rsa.blob, 'strict').ok);
    match(verify('10.0.0.1', 2222, other.blob, 'accept-new').reason!, /REMOTE HOST IDENTIFICATION HAS CHANGED/);
  });

  it('skips a line whose key does not decode, as ssh does', () => {
    writeFileSync(file, `10.0.0.1 ssh-ed25519 !!!notbase64\n10.0.0.1 ${rsa.line.split(' ')[0]} ${key.line.split(' ')[1]}\n`);
    match(verify('10.0.0.1', 22, key.blob, 'strict').reason!, /No ssh-ed25519 host key is known/);
  });

  it('a negated pattern leaves the host unknown', () => {
    writeFileSync(file, `*.example,!bad.example ${key.line}\n`);
    ok(verify('good.example', 22, key.blob, 'strict').ok);
    match(verify('bad.example', 22, key.blob, 'strict').reason!, /No ssh-ed25519 host key is known for bad\.example/);
  });

  it('accept-new pins an unknown host in the form ssh writes, which ssh-keygen -F then finds', () => {
    writeFileSync(file, `10.0.0.1 ${key.line}`);
    chmodSync(file, 0o644);
    ok(verify('Node1.Example', 2222, other.blob, 'accept-new').ok);
    ok(verify('10.0.0.1', 2222, rsa.blob, 'accept-new').ok);
    strictEqual(readFileSync(file, 'utf8'), `10.0.0.1 ${key.line}\n[node1.example]:2222 ${other.line}\n[10.0.0.1]:2222 ${rsa.line}\n`);
    strictEqual(statSync(file).mode & 0o777, 0o644, 'the file keeps its mode');
    deepStrictEqual(oracleLookup(file, '[node1.example]:2222'), ['2 key']);
    ok(verify('node1.example', 2222, other.blob, 'strict').ok);
  });

  it('accept-new creates a missing file 0600, and writes through a symbolic link', () => {
    ok(verify('10.0.0.1', 22, key.blob, 'accept-new').ok);
    strictEqual(statSync(file).mode & 0o777, 0o600);
    const link = join(dir, 'link');
    symlinkSync(file, link);
    ok(verifyHostKey(only(link), '10.0.0.2', 22, key.blob, 'accept-new').ok);
    ok(lstatSync(link).isSymbolicLink());
    strictEqual(readFileSync(file, 'utf8'), `10.0.0.1 ${key.line}\n10.0.0.2 ${key.line}\n`);
  });

  it('reads every user file, then the global ones, as ssh does; accept-new pins into the first user file', () => {
    const [second, global] = [join(dir, 'second'), join(dir, 'global')];
    writeFileSync(second, `[10.0.0.1]:2222 ${key.line}\n`);
    writeFileSync(global, `10.0.0.2 ${rsa.line}\n@revoked * ${other.line}\n`);
    const files = { user: [file, second], global: [global] };
    ok(verifyHostKey(files, '10.0.0.1', 2222, key.blob, 'strict').ok, 'pinned in the second user file');
    ok(verifyHostKey(files, '10.0.0.2', 22, rsa.blob, 'strict').ok, 'pinned in the global file');
    match(verifyHostKey(files, '10.0.0.2', 22, key.blob, 'accept-new').reason!, new RegExp(`Offending ssh-rsa key in ${global}:1`));
    match(verifyHostKey(files, '10.0.0.3', 22, other.blob, 'accept-new').reason!, new RegExp(`REVOKED .* in ${global}:2`));
    ok(verifyHostKey(files, '10.0.0.3', 22, key.blob, 'accept-new').ok);
    strictEqual(readFileSync(file, 'utf8'), `10.0.0.3 ${key.line}\n`);
    const none = verifyHostKey({ user: [], global: [global] }, '10.0.0.4', 22, key.blob, 'accept-new');
    match(none.reason!, /there is no UserKnownHostsFile to pin it into/);
  });

  it('strict refuses an unknown host; off trusts anything but a revoked key', () => {
    strictEqual(verify('new', 22, key.blob, 'strict').ok, false);
    ok(verify('new', 22, key.blob, 'off').ok);
    strictEqual(hostToken('new', 22), 'new');
  });
});
