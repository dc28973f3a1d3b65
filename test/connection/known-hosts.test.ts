import { ok, strictEqual, match } from 'node:assert/strict';
import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyHostKey } from '../../src/connection/known-hosts.js';

/** An ssh-ed25519 public key blob as a server sends it. */
function hostKeyBlob(): Buffer {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const field = (b: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(b.length);
    return Buffer.concat([length, b]);
  };
  return Buffer.concat([field(Buffer.from('ssh-ed25519')), field(raw)]);
}

describe('verifyHostKey', () => {
  let dir: string;
  let file: string;
  const key = hostKeyBlob();
  const other = hostKeyBlob();
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'known-hosts-'));
    file = join(dir, 'known_hosts');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('trusts a key listed for the host, refuses a different one naming the file', () => {
    writeFileSync(file, `# comment\n10.0.0.1 ssh-ed25519 ${key.toString('base64')}\n`);
    ok(verifyHostKey(file, '10.0.0.1', 22, key, 'strict').ok);
    const verdict = verifyHostKey(file, '10.0.0.1', 22, other, 'strict');
    strictEqual(verdict.ok, false);
    match(verdict.reason!, /does not match/);
    strictEqual(verifyHostKey(file, '10.0.0.1', 22, other, 'accept-new').ok, false, 'a changed key is never accepted');
  });
  it('matches hashed entries and non-standard ports', () => {
    const salt = randomBytes(20);
    const hash = createHmac('sha1', salt).update('[h.example]:2222').digest('base64');
    writeFileSync(file, `|1|${salt.toString('base64')}|${hash} ssh-ed25519 ${key.toString('base64')}\n`);
    ok(verifyHostKey(file, 'h.example', 2222, key, 'strict').ok);
    strictEqual(verifyHostKey(file, 'h.example', 22, key, 'strict').ok, false);
  });
  it('refuses an unknown host in strict mode, pins it with accept-new', () => {
    writeFileSync(file, '');
    strictEqual(verifyHostKey(file, 'new', 22, key, 'strict').ok, false);
    ok(verifyHostKey(file, 'new', 22, key, 'accept-new').ok);
    match(readFileSync(file, 'utf8'), /^new ssh-ed25519 /);
    ok(verifyHostKey(file, 'new', 22, key, 'strict').ok);
  });
  it('off trusts anything', () => ok(verifyHostKey(join(dir, 'missing'), 'x', 22, key, 'off').ok));
});
