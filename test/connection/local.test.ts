// LocalConnection on this machine: exec (stdout, stderr, code, stdin, cwd, timeout), atomic putFile with
// mode, fetchFile of binary data, the counters the executor reports, and no script on a command line.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalConnection } from '../../src/connection/local.js';

describe('LocalConnection', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'etcdops-local-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs commands through sh with stdin, cwd and exit codes', async () => {
    const c = new LocalConnection();
    await c.connect();
    assert.deepEqual(await c.exec('read x; echo "got $x"; echo oops >&2; exit 3', { stdin: 'abc\n' }), { stdout: 'got abc\n', stderr: 'oops\n', code: 3 });
    assert.equal((await c.exec('pwd', { cwd: dir })).stdout.trim(), dir);
    assert.equal((await c.exec('whoami', { become: true })).stdout.trim(), 'root');
    const slow = await c.exec('sleep 5', { timeoutMs: 200 });
    assert.equal(slow.code, -1);
    assert.match(slow.stderr, /timed out/);
    const { connectMs, commandMs, ...counts } = c.stats;
    assert.deepEqual(counts, { connections: 1, commands: 4 });
    assert.equal(connectMs, 0, 'nothing to open on the control node');
    assert.ok(commandMs >= 200, `the time waited on commands, the timed-out one's 200 ms included: ${commandMs} ms`);
  });

  it('never shows the script or its input in any command line while it runs', async () => {
    const marker = `argv-marker-${process.pid}`;
    const c = new LocalConnection();
    const running = c.exec(`secret=${marker}; cat >/dev/null; sleep 1; echo "$secret"`, { stdin: `${marker}-input` });
    const seen: string[] = [];
    let done = false;
    void running.finally(() => (done = true));
    while (!done) {
      for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
        seen.push(await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => ''));
      }
    }
    assert.equal((await running).stdout, `${marker}\n`);
    assert.ok(seen.some((args) => args.startsWith('sleep\0')), 'the scan ran while the script did');
    assert.deepEqual(seen.filter((args) => args.includes(marker)), []);
  });

  it('puts files atomically with the asked mode, and fetches bytes back', async () => {
    const c = new LocalConnection();
    const path = join(dir, 'bin file');
    const bytes = Buffer.from([0, 255, 10, 39]);
    await c.putFile(bytes, path, { mode: '0600' });
    assert.deepEqual(readFileSync(path), bytes);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    await c.putFile('text', path);
    assert.equal(statSync(path).mode & 0o777, 0o600, 'a replaced file keeps its mode');
    assert.deepEqual(readdirSync(dir), ['bin file'], 'no temp file left behind');
    assert.deepEqual(await c.fetchFile(path), Buffer.from('text'));
    await assert.rejects(c.putFile('x', join(dir, 'no/such/dir/f')), /cannot write/);
    await assert.rejects(c.fetchFile(join(dir, 'missing')), /cannot read/);
    assert.equal(c.stats.commands, 5);
  });
});
