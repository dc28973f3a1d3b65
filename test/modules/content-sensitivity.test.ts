// When a file change must be hidden: a table of the decision, then the real thing on this machine —
// replacing an owner-only file or a private key never brings the old content back from the host.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SensitivityInput, sensitivityOf } from '../../src/os/content-diff.js';
import { copyModule } from '../../src/modules/copy.js';
import { templateModule } from '../../src/modules/template.js';
import type { FileState } from '../../src/facts/file-state.js';
import { gatherContext, moduleContext } from './module-context.js';

const KEY = '-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----\n';
const file = (mode: string, extra: Partial<FileState> = {}): FileState => ({ type: 'file', owner: 'root', group: 'root', mode, sha256: 'ab', ...extra });

const rows: { name: string; input: SensitivityInput; hidden: RegExp | undefined }[] = [
  { name: 'plain config over plain config', input: { dest: '/etc/a.conf', mode: '0644', content: 'x', current: file('0644', { content: 'y' }) }, hidden: undefined },
  { name: 'group-readable on both sides', input: { dest: '/etc/a.conf', mode: '0640', content: 'x', current: file('0640') }, hidden: undefined },
  { name: 'new file, nothing secret', input: { dest: '/etc/a.conf', content: 'x', current: { type: 'absent' } }, hidden: undefined },
  { name: 'the task says so', input: { flag: true, dest: '/etc/a.conf', content: 'x' }, hidden: /marked sensitive/ },
  { name: 'a .key name', input: { dest: '/etc/etcd/server.key', content: 'x' }, hidden: /key file/ },
  { name: 'new mode 0600', input: { dest: '/etc/a', mode: '0600', content: 'x' }, hidden: /new mode 0600/ },
  { name: 'new mode 0400', input: { dest: '/etc/a', mode: '0400', content: 'x' }, hidden: /new mode 0400/ },
  { name: 'new mode 0710 (no read for group or others)', input: { dest: '/etc/a', mode: '0710', content: 'x' }, hidden: /new mode/ },
  { name: 'new content is a private key', input: { dest: '/etc/a.pem', content: Buffer.from(KEY) }, hidden: /new content holds key material/ },
  { name: 'an OpenSSH key', input: { dest: '/root/id', content: '-----BEGIN OPENSSH PRIVATE KEY-----\n' }, hidden: /key material/ },
  { name: 'current file is 0600 (new one is not)', input: { dest: '/etc/a', mode: '0644', content: 'x', current: file('0600') }, hidden: /current mode 0600/ },
  { name: 'current file is 0400, mode kept', input: { dest: '/etc/a', content: 'x', current: file('0400') }, hidden: /current mode 0400/ },
  { name: 'current file holds a key (found on the host)', input: { dest: '/etc/a.pem', content: 'x', current: file('0644', { secret: 'key-material' }) }, hidden: /current content holds key material/ },
  { name: 'current file secret by mode as the host saw it', input: { dest: '/etc/a', content: 'x', current: { type: 'file', secret: 'mode' } }, hidden: /owner-only/ },
  { name: 'a directory mode does not matter when absent', input: { dest: '/etc/a', content: 'x', current: { type: 'absent', mode: '0700' } as FileState }, hidden: undefined },
];

describe('content sensitivity', () => {
  for (const row of rows) {
    it(`${row.name}: ${row.hidden ? 'hidden' : 'shown'}`, () => {
      const reason = sensitivityOf(row.input);
      if (row.hidden) assert.match(reason ?? '', row.hidden);
      else assert.equal(reason, undefined);
    });
  }
});

describe('replacing secrets on this machine', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'etcdops-secret-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Gathers and plans copy; returns everything that could reach an output. */
  async function planCopy(args: { content: string; dest: string; mode?: string }) {
    const ctx = gatherContext(moduleContext());
    const facts = await copyModule.gather(args, ctx);
    const plan = copyModule.plan(args, facts, ctx);
    return { facts, plan, all: JSON.stringify({ dest: facts.dest, plan }) };
  }

  it('an existing 0600 file: the old content is not read, the change is hidden', async () => {
    const dest = join(dir, 'token');
    writeFileSync(dest, 'OLD-SECRET-TOKEN\n');
    chmodSync(dest, 0o600);
    const { facts, plan, all } = await planCopy({ content: 'new harmless text\n', dest, mode: '0644' });
    assert.equal(facts.dest.content, undefined);
    assert.equal(facts.dest.secret, 'mode');
    assert.equal(plan.changes[0]?.sensitive, true);
    assert.equal(all.includes('OLD-SECRET-TOKEN'), false, all);
    assert.equal(all.includes('harmless'), false, 'neither side of a secret change is shown');
  });

  it('an existing private key, even world-readable: not read, hidden', async () => {
    const dest = join(dir, 'server.pem');
    writeFileSync(dest, `certificate text\n${KEY}`);
    chmodSync(dest, 0o644);
    const { facts, plan, all } = await planCopy({ content: 'replaced\n', dest });
    assert.equal(facts.dest.secret, 'key-material');
    assert.equal(plan.changes[0]?.sensitive, true);
    assert.equal(all.includes('PRIVATE KEY'), false, all);
    assert.equal(all.includes('MIIEvQ'), false, all);
    assert.doesNotMatch(plan.changes[0]!.reason, /sha256/, 'no hash of a secret');
  });

  it('template over a 0600 file: hidden as well', async () => {
    const dest = join(dir, 'app.conf');
    writeFileSync(dest, 'password=OLD-SECRET\n');
    chmodSync(dest, 0o600);
    writeFileSync(join(dir, 'app.conf.hbs'), 'password=new\n');
    const args = { src: 'app.conf.hbs', dest };
    const base = moduleContext({}, dir);
    const facts = await templateModule.gather(args, gatherContext(base));
    const plan = templateModule.plan(args, facts, base);
    assert.equal(plan.changes[0]?.sensitive, true);
    assert.equal(JSON.stringify({ facts, plan }).includes('OLD-SECRET'), false);
  });

  it('a module that needs a secret file for its own logic gets it, still marked secret', async () => {
    const { fileState } = await import('../../src/facts/file-state.js');
    const { planFileContent } = await import('../../src/modules/file-content.js');
    const path = join(dir, 'etcd.conf.yml');
    writeFileSync(path, 'initial-cluster: OLD-SECRET-VALUE\n');
    chmodSync(path, 0o600);
    const args = { path, checksum: true, content: true, secretContent: true };
    const state = await gatherContext(moduleContext()).facts.read(fileState, args);
    assert.equal(state.secret, 'mode');
    assert.equal(state.content, 'initial-cluster: OLD-SECRET-VALUE\n');
    const plan = planFileContent({ dest: path, content: Buffer.from('new\n'), state, attrs: {}, sensitive: false });
    assert.equal(JSON.stringify(plan).includes('OLD-SECRET'), false);
  });

  it('copy of a control-node file only its owner can read: hidden', async () => {
    const files = join(dir, 'files');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(files);
    writeFileSync(join(files, 'token'), 'LOCAL-SECRET-TOKEN\n', { mode: 0o600 });
    const args = { src: 'token', dest: join(dir, 'token-copy') };
    const base = moduleContext({}, dir);
    const plan = copyModule.plan(args, await copyModule.gather(args, gatherContext(base)), base);
    assert.equal(plan.changes[0]?.sensitive, true);
    assert.equal(JSON.stringify(plan).includes('LOCAL-SECRET'), false);
  });

  it('a plain file still shows its diff', async () => {
    const dest = join(dir, 'motd');
    writeFileSync(dest, 'old words\n');
    chmodSync(dest, 0o644);
    const { plan } = await planCopy({ content: 'new words\n', dest });
    assert.equal(plan.changes[0]?.sensitive, undefined);
    assert.equal(plan.changes[0]?.before, 'old words\n');
  });
});

describe('get_url output', () => {
  it('hides a password in the URL from the diff and the result', async () => {
    const { planGetUrl } = await import('../../src/modules/get-url.js');
    const plan = planGetUrl({ url: 'https://backup:hunter22@mirror.invalid/etcd.tgz', dest: '/tmp/etcd.tgz' }, { dest: { type: 'absent' } });
    const shown = JSON.stringify(plan);
    assert.equal(shown.includes('hunter22'), false, shown);
    assert.match(shown, /https:\/\/backup:\*{8}@mirror\.invalid\/etcd\.tgz/);
  });
});
