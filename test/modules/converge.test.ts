// Apply-then-regather on this machine, in a temp folder: after apply, gathering again plans nothing,
// and the no-op check costs at most one command.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync, readlinkSync, existsSync, lstatSync } from 'node:fs';
import { type Server, createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChangeAction } from '../../src/plan/change.js';
import { commandModule } from '../../src/modules/command.js';
import { copyModule } from '../../src/modules/copy.js';
import { fetchModule } from '../../src/modules/fetch.js';
import { fileModule } from '../../src/modules/file.js';
import { getUrlModule } from '../../src/modules/get-url.js';
import { shellModule } from '../../src/modules/shell.js';
import { templateModule } from '../../src/modules/template.js';
import { unarchiveModule } from '../../src/modules/unarchive.js';
import { waitForModule } from '../../src/modules/wait-for.js';
import { converge, moduleContext } from './module-context.js';

const mode = (path: string): string => (statSync(path).mode & 0o7777).toString(8).padStart(4, '0');

describe('modules converge on this machine', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'etcdops-converge-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('file: directory, touch, link, mode change, absent', async () => {
    const path = join(dir, 'a/b');
    const made = await converge(fileModule, { path, state: 'directory', mode: '0750' }, moduleContext());
    assert.equal(made.first.changes[0].action, ChangeAction.CREATE);
    assert.equal(made.applied.changed, true);
    assert.deepEqual(made.second.changes, []);
    assert.equal(made.checkCommands, 1);
    assert.equal(mode(path), '0750');

    const chmod = await converge(fileModule, { path, state: 'directory', mode: '0700' }, moduleContext());
    assert.equal(chmod.first.changes[0].action, ChangeAction.UPDATE);
    assert.deepEqual(chmod.second.changes, []);
    assert.equal(mode(path), '0700');

    // As Ansible's: touch sets the times of an existing file on every run, unless both are preserved.
    const touched = await converge(fileModule, { path: join(dir, 't'), state: 'touch', mode: 600 }, moduleContext());
    assert.equal(touched.second.changes[0]?.action, ChangeAction.UPDATE);
    assert.equal(mode(join(dir, 't')), '0600');
    const kept = await converge(fileModule, { path: join(dir, 't'), state: 'touch', access_time: 'preserve', modification_time: 'preserve' }, moduleContext());
    assert.deepEqual(kept.first.changes, []);

    const link = join(dir, 'current');
    await converge(fileModule, { path: link, state: 'link', src: 'a' }, moduleContext());
    const relinked = await converge(fileModule, { path: link, state: 'link', src: 't' }, moduleContext());
    assert.equal(relinked.first.changes[0].action, ChangeAction.REPLACE);
    assert.deepEqual(relinked.second.changes, []);
    assert.equal(readlinkSync(link), 't');

    const gone = await converge(fileModule, { path: join(dir, 'a'), state: 'absent' }, moduleContext());
    assert.equal(gone.first.changes[0].action, ChangeAction.DELETE);
    assert.deepEqual(gone.second.changes, []);
    assert.equal(existsSync(join(dir, 'a')), false);
  });

  it('copy: creates, replaces content atomically, keeps and changes mode, from src or content', async () => {
    const dest = join(dir, "it's.conf");
    const first = await converge(copyModule, { content: 'one\n', dest, mode: '0640' }, moduleContext());
    assert.equal(first.first.changes[0].action, ChangeAction.CREATE);
    assert.equal(first.first.changes[0].after, 'one\n');
    assert.deepEqual(first.second.changes, []);
    assert.equal(mode(dest), '0640');

    const second = await converge(copyModule, { content: 'two\n', dest }, moduleContext());
    assert.equal(second.first.changes[0].action, ChangeAction.REPLACE);
    assert.equal(second.first.changes[0].before, 'one\n');
    assert.deepEqual(second.second.changes, []);
    assert.equal(mode(dest), '0640', 'an unspecified mode is kept from the replaced file');
    assert.equal(readFileSync(dest, 'utf8'), 'two\n');

    const files = join(dir, 'files');
    mkdirSync(files);
    writeFileSync(join(files, 'blob.bin'), Buffer.from([0, 1, 2, 255]));
    const bin = await converge(copyModule, { src: 'blob.bin', dest: `${dir}/` }, moduleContext({}, dir));
    assert.match(bin.first.changes[0].after ?? '', /binary or large content: 4 bytes/);
    assert.deepEqual(bin.second.changes, []);
    assert.deepEqual(readFileSync(join(dir, 'blob.bin')), Buffer.from([0, 1, 2, 255]));

    const key = await converge(copyModule, { content: 'secret', dest: join(dir, 'server.key') }, moduleContext());
    assert.equal(key.first.changes[0].sensitive, true);
    assert.equal(key.first.changes[0].after, undefined);
    assert.deepEqual(key.second.changes, []);
  });

  it('template: renders with the task variables from the templates folder', async () => {
    mkdirSync(join(dir, 'templates'));
    writeFileSync(join(dir, 'templates', 'etcd.conf.hbs'), 'name: {{ name }}\nurl: {{ url }}\n');
    const dest = join(dir, 'etcd.conf');
    const vars = { name: 'etcd-1', url: 'https://10.213.0.11:2379' };
    const result = await converge(templateModule, { src: 'etcd.conf.hbs', dest, mode: '0600' }, moduleContext(vars, dir));
    assert.equal(result.first.changes[0].action, ChangeAction.CREATE);
    assert.equal(result.first.changes[0].sensitive, true, 'mode 0600 makes the content secret');
    assert.deepEqual(result.second.changes, []);
    assert.equal(readFileSync(dest, 'utf8'), 'name: etcd-1\nurl: https://10.213.0.11:2379\n');
  });

  it('command and shell: run, then creates/removes make them no-ops', async () => {
    const marker = join(dir, 'marker');
    const cmd = await converge(commandModule, { argv: ['touch', marker], creates: marker }, moduleContext());
    assert.equal(cmd.first.changes[0].action, ChangeAction.RUN);
    assert.equal(cmd.applied.result?.rc, 0);
    assert.deepEqual(cmd.second.changes, []);
    assert.equal(cmd.second.reason, `${marker} exists`);

    const sh = await converge(shellModule, { cmd: 'echo "$0" | tr a-z A-Z; echo err >&2; rm -f marker', chdir: dir, removes: 'marker' }, moduleContext());
    assert.equal(sh.applied.result?.stdout, '/BIN/SH');
    assert.deepEqual(sh.applied.result?.stderr_lines, ['err']);
    assert.deepEqual(sh.second.changes, []);

    const fails = await converge(commandModule, { cmd: `ls '${join(dir, 'no such')}'` }, moduleContext());
    assert.equal(fails.applied.failed, true);
    assert.notEqual(fails.applied.result?.rc, 0);
    assert.match(String(fails.applied.result?.stderr), /no such/);
  });

  it('unarchive: from the control node and from the host, idempotent by member listing', async () => {
    const src = join(dir, 'src');
    mkdirSync(join(src, 'etcd-v1'), { recursive: true });
    writeFileSync(join(src, 'etcd-v1', 'etcd'), '#!/bin/sh\n');
    const archive = join(dir, 'etcd-v1.tar.gz');
    execFileSync('tar', ['-czf', archive, '-C', src, 'etcd-v1']);
    const dest = join(dir, 'opt');
    mkdirSync(dest);
    const local = await converge(unarchiveModule, { src: archive, dest }, moduleContext());
    assert.equal(local.first.changes[0].action, ChangeAction.CREATE);
    assert.deepEqual(local.second.changes, []);
    assert.equal(readFileSync(join(dest, 'etcd-v1', 'etcd'), 'utf8'), '#!/bin/sh\n');

    const dest2 = join(dir, 'opt2');
    mkdirSync(dest2);
    const remote = await converge(unarchiveModule, { src: archive, dest: dest2, remote_src: true }, moduleContext());
    assert.equal(remote.first.changes[0].reason, '2 of 2 archive members missing');
    assert.deepEqual(remote.second.changes, []);
    assert.equal(remote.checkCommands, 1);
  });

  it('wait_for: a path and a port on 127.0.0.1', async () => {
    const path = join(dir, 'ready');
    setTimeout(() => writeFileSync(path, ''), 300);
    const byPath = await converge(waitForModule, { path, timeout: 10 }, moduleContext());
    assert.equal(byPath.first.changes[0].action, ChangeAction.RUN);
    assert.equal(byPath.applied.failed, undefined);
    assert.deepEqual(byPath.second.changes, []);

    const server: TcpServer = createTcpServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const open = await converge(waitForModule, { port, timeout: 5 }, moduleContext());
      assert.deepEqual(open.first.changes, [], 'a listening port is already satisfied');
      const closed = await converge(waitForModule, { port, state: 'stopped', timeout: 1 }, moduleContext());
      assert.equal(closed.applied.failed, true, 'the port stays open, so waiting for it to close times out');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('fetch: host file to the control node, per host or flat', async () => {
    const src = join(dir, 'remote.txt');
    writeFileSync(src, 'ca\n');
    const out = join(dir, 'fetched');
    const perHost = await converge(fetchModule, { src, dest: out }, moduleContext());
    assert.deepEqual(perHost.second.changes, []);
    assert.equal(readFileSync(join(out, 'localhost', src), 'utf8'), 'ca\n');
    const flat = await converge(fetchModule, { src, dest: `${out}/`, flat: true }, moduleContext());
    assert.deepEqual(flat.second.changes, []);
    assert.ok(lstatSync(join(out, 'remote.txt')).isFile());
  });

  it('fetch: keeps the remote mode whatever the umask, and never writes through a planted link', async () => {
    const key = join(dir, 'server.key');
    writeFileSync(key, 'key bytes\n', { mode: 0o600 });
    const conf = join(dir, 'etcd.conf');
    writeFileSync(conf, 'conf\n', { mode: 0o640 });
    const out = join(dir, 'fetched');
    const previous = process.umask(0o022);
    try {
      await converge(fetchModule, { src: key, dest: `${out}/`, flat: true }, moduleContext());
      await converge(fetchModule, { src: conf, dest: `${out}/`, flat: true }, moduleContext());
    } finally {
      process.umask(previous);
    }
    assert.equal(mode(join(out, 'server.key')), '0600');
    assert.equal(mode(join(out, 'etcd.conf')), '0640');
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'untouched\n');
    writeFileSync(key, 'new key bytes\n');
    const { symlinkSync, rmSync: remove } = await import('node:fs');
    remove(join(out, 'server.key'));
    symlinkSync(victim, join(out, 'server.key'));
    // The temp name the old code used: predictable, so a planted link there was written through.
    symlinkSync(victim, join(out, `.server.key.${process.pid}.tmp`));
    await converge(fetchModule, { src: key, dest: `${out}/`, flat: true }, moduleContext());
    assert.equal(readFileSync(victim, 'utf8'), 'untouched\n');
    assert.equal(lstatSync(join(out, 'server.key')).isSymbolicLink(), false);
    assert.equal(mode(join(out, 'server.key')), '0600');
  });

  describe('get_url against a local HTTP server', () => {
    let server: Server;
    let base: string;
    const payload = Buffer.from('etcd release bytes\n');
    const digest = createHash('sha256').update(payload).digest('hex');
    let downloads = 0;
    before(async () => {
      server = createHttpServer((req, res) => {
        if (req.url === '/v1/etcd.tar.gz') {
          downloads++;
          res.end(payload);
        } else if (req.url === '/v1/SHA256SUMS') res.end(`${'0'.repeat(64)}  other.tar.gz\n${digest}  etcd.tar.gz\n`);
        else {
          res.statusCode = 404;
          res.end();
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    after(() => new Promise((resolve) => server.close(resolve)));

    it('downloads once with a checksum list, then plans nothing', async () => {
      const dest = join(dir, 'etcd.tar.gz');
      const args = { url: `${base}/v1/etcd.tar.gz`, dest, checksum: `sha256:${base}/v1/SHA256SUMS`, mode: '0644' };
      const start = downloads;
      const result = await converge(getUrlModule, args, moduleContext());
      assert.equal(result.first.changes[0].action, ChangeAction.CREATE);
      assert.equal(result.applied.changed, true);
      assert.deepEqual(result.second.changes, []);
      assert.equal(downloads - start, 1);
      assert.deepEqual(readFileSync(dest), payload);
      assert.equal(mode(dest), '0644');
    });

    it('refuses a download whose checksum does not match and leaves nothing behind', async () => {
      const dest = join(dir, 'bad.tar.gz');
      const args = { url: `${base}/v1/etcd.tar.gz`, dest, checksum: `sha256:${'a'.repeat(64)}` };
      const result = await converge(getUrlModule, args, moduleContext());
      assert.equal(result.applied.failed, true);
      assert.match(result.applied.msg ?? '', /checksum mismatch/);
      assert.equal(existsSync(dest), false);
      assert.deepEqual(execFileSync('ls', ['-A', dir], { encoding: 'utf8' }).trim(), '', 'the temp file was removed');
    });
  });
});
