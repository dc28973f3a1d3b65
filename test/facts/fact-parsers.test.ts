// Table-driven fact parsers: {command output, parsed fact}; plus the file_state script run for real.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalConnection } from '../../src/connection/local.js';
import { quote } from '../../src/connection/shell-quote.js';
import type { FactDefinition } from '../../src/facts/fact.js';
import { archiveExtracted } from '../../src/facts/archive-extracted.js';
import { downloadState } from '../../src/facts/download-state.js';
import { fileState } from '../../src/facts/file-state.js';
import { groupEntry } from '../../src/facts/group-entry.js';
import { pathsExist } from '../../src/facts/paths-exist.js';
import { systemdUnit } from '../../src/facts/systemd-unit.js';
import { userAccount } from '../../src/facts/user-account.js';

interface Row {
  readonly fact: FactDefinition<any, unknown>;
  readonly args: unknown;
  readonly stdout: string;
  readonly code?: number;
  readonly parsed?: unknown;
  readonly fails?: RegExp;
}

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

const rows: Row[] = [
  { fact: fileState, args: { path: '/x' }, stdout: 'type=absent\n', parsed: { type: 'absent' } },
  {
    fact: fileState,
    args: { path: '/x', checksum: true, content: true },
    stdout: `type=file\nowner=etcd\ngroup=etcd\nuid=999\ngid=998\nmode=640\nsize=3\nsha256=abc\ncontent\n${b64('hi\n')}\n`,
    parsed: { type: 'file', owner: 'etcd', group: 'etcd', uid: 999, gid: 998, mode: '0640', size: 3, sha256: 'abc', content: 'hi\n' },
  },
  {
    fact: fileState,
    args: { path: '/x', checksum: true },
    stdout: 'type=file\nmode=644\nsize=3\nowner=a b\ngroup=c\nuid=1\ngid=2\nsha256=abc  -\n',
    parsed: { type: 'file', owner: 'a b', group: 'c', uid: 1, gid: 2, mode: '0644', size: 3, sha256: 'abc' },
  },
  {
    fact: fileState,
    args: { path: '/x', content: true },
    stdout: `type=file\nowner=root\ngroup=root\nuid=0\ngid=0\nmode=4755\nsize=3\ncontent\n${b64(Buffer.from([0, 1, 2]))}\n`,
    parsed: { type: 'file', owner: 'root', group: 'root', uid: 0, gid: 0, mode: '4755', size: 3, contentOmitted: true },
  },
  {
    fact: fileState,
    args: { path: '/l' },
    stdout: 'type=link\nowner=root\ngroup=root\nuid=0\ngid=0\nmode=777\nsize=4\ntarget=a=b c\n',
    parsed: { type: 'link', owner: 'root', group: 'root', uid: 0, gid: 0, mode: '0777', size: 4, linkTarget: 'a=b c' },
  },
  {
    fact: fileState,
    args: { path: '/k', checksum: true, content: true },
    stdout: 'type=file\nowner=root\ngroup=root\nuid=0\ngid=0\nmode=600\nsize=3\nsha256=abc\nsecret=mode\n',
    parsed: { type: 'file', owner: 'root', group: 'root', uid: 0, gid: 0, mode: '0600', size: 3, sha256: 'abc', secret: 'mode' },
  },
  { fact: fileState, args: { path: '/x' }, stdout: '', code: 1, fails: /reading \/x/ },
  { fact: pathsExist, args: { paths: ['/a', '/b'] }, stdout: '1\n0\n', parsed: { '/a': true, '/b': false } },
  {
    fact: userAccount,
    args: { name: 'etcd' },
    stdout: 'passwd=etcd:x:999:998::/var/lib/etcd:/usr/sbin/nologin\nprimary=etcd\ngroups=etcd ssl-cert adm\n',
    parsed: { exists: true, uid: 999, gid: 998, group: 'etcd', groups: ['adm', 'ssl-cert'], home: '/var/lib/etcd', shell: '/usr/sbin/nologin' },
  },
  { fact: userAccount, args: { name: 'etcd' }, stdout: 'absent\n', parsed: { exists: false } },
  { fact: groupEntry, args: { name: 'etcd' }, stdout: 'etcd:x:998:\n', parsed: { exists: true, gid: 998 } },
  { fact: groupEntry, args: { name: 'etcd' }, stdout: '', code: 2, parsed: { exists: false } },
  {
    fact: systemdUnit,
    args: { unit: 'etcd.service' },
    stdout: 'LoadState=loaded\nActiveState=active\nUnitFileState=enabled\nNeedDaemonReload=yes\n',
    parsed: { activeState: 'active', unitFileState: 'enabled', loadState: 'loaded', needDaemonReload: true },
  },
  // As systemctl prints it: Triggers= first (empty for a service), the other properties after.
  {
    fact: systemdUnit,
    args: { unit: 'ssh.service' },
    stdout: 'Triggers=\nLoadState=loaded\nActiveState=active\nUnitFileState=enabled\nNeedDaemonReload=no\n',
    parsed: { activeState: 'active', unitFileState: 'enabled', loadState: 'loaded', needDaemonReload: false },
  },
  // A timer whose own file is loaded but whose service's file changed: the next run would start the old service.
  {
    fact: systemdUnit,
    args: { unit: 'etcd-backup.timer' },
    stdout: 'LoadState=loaded\nActiveState=active\nUnitFileState=enabled\nNeedDaemonReload=no\n\nId=etcd-backup.service\nNeedDaemonReload=yes\n',
    parsed: { activeState: 'active', unitFileState: 'enabled', loadState: 'loaded', needDaemonReload: true },
  },
  {
    fact: systemdUnit,
    args: { unit: 'etcd-backup.timer' },
    stdout: 'LoadState=loaded\nActiveState=active\nUnitFileState=enabled\nNeedDaemonReload=yes\n\nId=etcd-backup.service\nNeedDaemonReload=no\n',
    parsed: { activeState: 'active', unitFileState: 'enabled', loadState: 'loaded', needDaemonReload: true },
  },
  {
    fact: archiveExtracted,
    args: { src: '/a.tgz', dest: '/opt' },
    stdout: 'present e/\nmissing e/etcd\n',
    parsed: { archive: true, members: 2, missing: ['e/etcd'] },
  },
  { fact: archiveExtracted, args: { src: '/a.tgz', dest: '/opt' }, stdout: 'no-archive\n', parsed: { archive: false } },
  {
    fact: downloadState,
    args: { dest: '/e.tgz', checksumUrl: 'http://h/SUMS' },
    stdout: 'type=absent\n--- etcdops checksum list\nabc  e.tgz\n',
    parsed: { dest: { type: 'absent' }, checksumList: 'abc  e.tgz\n' },
  },
];

describe('fact parsers', () => {
  for (const row of rows) {
    it(`${row.fact.name} ${JSON.stringify(row.stdout.slice(0, 40))} → ${row.fails ?? JSON.stringify(row.parsed)}`, () => {
      const run = () => row.fact.parse({ stdout: row.stdout, stderr: '', code: row.code ?? 0 }, row.args);
      if (row.fails) assert.throws(run, row.fails);
      else assert.deepEqual(run(), row.parsed);
      assert.equal(typeof row.fact.command(row.args), 'string');
    });
  }
});

describe('fact commands on this machine', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "etcdops-facts-'q "));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('file_state reads a file, a link and a missing path through awkward names', async () => {
    const connection = new LocalConnection();
    const path = join(dir, "it's $HOME.txt");
    writeFileSync(path, 'hello\n');
    chmodSync(path, 0o640);
    symlinkSync(path, join(dir, 'link'));
    const read = async (args: { path: string; checksum?: boolean; content?: boolean }) =>
      fileState.parse(await connection.exec(fileState.command(args)), args);
    const state = await read({ path, checksum: true, content: true });
    assert.equal(state.type, 'file');
    assert.equal(state.mode, '0640');
    assert.equal(state.content, 'hello\n');
    assert.equal(state.sha256, '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03');
    assert.equal((await read({ path: join(dir, 'link') })).linkTarget, path);
    assert.deepEqual(await read({ path: join(dir, 'missing') }), { type: 'absent' });
    assert.equal(connection.stats.commands, 3, 'one command per read');
  });

  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const key = '-----BEGIN PRIVATE KEY-----\nabc\n';
  const big = 'x'.repeat(256 * 1024 + 1);
  const files: { title: string; content: string; mode: number; secretContent?: boolean; expected: Record<string, unknown> }[] = [
    { title: 'readable by all: content read', content: 'a\n', mode: 0o644, expected: { mode: '0644', size: 2, content: 'a\n' } },
    { title: 'group may read: content read', content: 'a\n', mode: 0o640, expected: { mode: '0640', size: 2, content: 'a\n' } },
    { title: 'others may read: content read', content: 'a\n', mode: 0o604, expected: { mode: '0604', size: 2, content: 'a\n' } },
    { title: 'setuid, group may read', content: 'a\n', mode: 0o4750, expected: { mode: '4750', size: 2, content: 'a\n' } },
    { title: 'owner only: secret by mode', content: 'a\n', mode: 0o600, expected: { mode: '0600', size: 2, secret: 'mode' } },
    { title: 'owner write, others execute only: secret by mode', content: 'a\n', mode: 0o711, expected: { mode: '0711', size: 2, secret: 'mode' } },
    { title: 'key material readable by all: secret', content: key, mode: 0o644, expected: { mode: '0644', size: key.length, secret: 'key-material' } },
    { title: 'a secret asked for by a module that needs it', content: key, mode: 0o600, secretContent: true, expected: { mode: '0600', size: key.length, secret: 'mode', content: key } },
    { title: 'over the diff limit: content omitted', content: big, mode: 0o644, expected: { mode: '0644', size: big.length, contentOmitted: true } },
  ];
  for (const row of files) {
    it(`file_state of a file: ${row.title}`, async () => {
      const path = join(dir, `${row.title}.txt`);
      writeFileSync(path, row.content);
      chmodSync(path, row.mode);
      const args = { path, checksum: true, content: true, secretContent: row.secretContent };
      const state = fileState.parse(await new LocalConnection().exec(fileState.command(args)), args);
      const { owner, group, uid, gid, ...rest } = state;
      assert.deepEqual(rest, { type: 'file', sha256: sha256(row.content), ...row.expected });
      assert.equal(uid, process.getuid!());
      assert.equal(typeof owner, 'string');
      assert.equal(typeof group, 'string');
      assert.equal(typeof gid, 'number');
    });
  }

  it('file_state reads no content back from a file that already has the sha256 the caller wants', async () => {
    const path = join(dir, 'wanted.txt');
    writeFileSync(path, key);
    chmodSync(path, 0o644);
    const read = async (unlessSha256: string) => {
      const args = { path, checksum: true, content: true, unlessSha256 };
      return fileState.parse(await new LocalConnection().exec(fileState.command(args)), args);
    };
    const same = await read(sha256(key));
    assert.equal(same.sha256, sha256(key));
    assert.equal(same.content, undefined);
    assert.equal(same.secret, undefined, 'not searched: the caller holds the same bytes');
    const other = await read(sha256('other'));
    assert.equal(other.sha256, sha256(key));
    assert.equal(other.secret, 'key-material', 'another sha256: read as without it');
  });

  it('file_state starts at most four programs for a file (stat, sha256sum, grep, base64)', async () => {
    // Each program the script may run, wrapped to log its name: the script runs with these first on PATH.
    const bin = join(dir, 'bin');
    const log = join(dir, 'programs.log');
    mkdirSync(bin, { recursive: true });
    for (const name of ['stat', 'sha256sum', 'cut', 'grep', 'base64', 'readlink']) {
      const real = (await new LocalConnection().exec(`command -v ${name}`)).stdout.trim();
      writeFileSync(join(bin, name), `#!/bin/sh\necho ${name} >> ${quote(log)}\nexec ${quote(real)} "$@"\n`, { mode: 0o755 });
    }
    const path = join(dir, 'counted.txt');
    writeFileSync(path, 'a\n');
    chmodSync(path, 0o644);
    const args = { path, checksum: true, content: true };
    const result = await new LocalConnection().exec(`PATH=${quote(bin)}:"$PATH"\n${fileState.command(args)}`);
    assert.equal(fileState.parse(result, args).content, 'a\n');
    assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n').sort(), ['base64', 'grep', 'sha256sum', 'stat']);
    // A file that already holds what the caller wants: only stat and sha256sum.
    rmSync(log);
    const unchanged = { ...args, unlessSha256: sha256('a\n') };
    const again = await new LocalConnection().exec(`PATH=${quote(bin)}:"$PATH"\n${fileState.command(unchanged)}`);
    assert.equal(fileState.parse(again, unchanged).sha256, sha256('a\n'));
    assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n').sort(), ['sha256sum', 'stat']);
  });
});
