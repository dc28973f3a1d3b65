// get_url keeps the URL and the checksum list's URL (and a password in them) off every command line on the
// host, where any user sees it with `ps`: the CLI downloads from a slow local server on a local host while
// this test reads the argv of every process.
import { ok, strictEqual } from 'node:assert/strict';
import { readdirSync, readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { etcdops } from '../e2e/etcdops-cli.js';

const PASSWORD = 'url-pw-5c2e71d9';

function commandLines(): string[] {
  const lines: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      lines.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
    } catch {
      // The process ended meanwhile.
    }
  }
  return lines;
}

describe('get_url and command lines', function () {
  this.timeout(60_000);
  let dir: string;
  let server: Server;
  let port = 0;
  let authorization = '';
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'etcdops-get-url-argv-'));
    server = createServer((request, response) => {
      authorization = request.headers.authorization ?? '';
      const body = request.url === '/SHA256SUMS' ? `${createHash('sha256').update('payload\n').digest('hex')}  file\n` : 'payload\n';
      setTimeout(() => response.end(body), 1500);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs play.yml on the control node, collecting every process command line that shows the password meanwhile. */
  async function playWatchingArgv() {
    writeFileSync(join(dir, 'inventory.yml'), 'all:\n  hosts:\n    h1:\n      ansible_connection: local\n');
    const seen: string[] = [];
    const run = etcdops(['play', join(dir, 'play.yml'), '-i', join(dir, 'inventory.yml'), '--output', 'json']);
    let done = false;
    void run.then(() => (done = true));
    while (!done) {
      seen.push(...commandLines().filter((l) => l.includes(PASSWORD)));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { result: await run, seen };
  }

  it('downloads with the credentials of the URL, which no process shows in its argv', async () => {
    writeFileSync(
      join(dir, 'play.yml'),
      `- hosts: all\n  gather_facts: false\n  tasks:\n    - get_url:\n        url: "http://fetcher:${PASSWORD}@127.0.0.1:${port}/file"\n        dest: ${join(dir, 'file')}\n        mode: "0600"\n`,
    );
    const { result, seen } = await playWatchingArgv();
    strictEqual(result.code, 0, result.stdout + result.stderr);
    strictEqual(readFileSync(join(dir, 'file'), 'utf8'), 'payload\n');
    ok(authorization.startsWith('Basic '), 'the credentials were sent');
    strictEqual(Buffer.from(authorization.slice(6), 'base64').toString(), `fetcher:${PASSWORD}`);
    strictEqual(seen.length, 0, `the password showed in argv:\n${[...new Set(seen)].join('\n')}`);
    strictEqual((result.stdout + result.stderr).includes(PASSWORD), false, 'nor in the output');
  });

  it('reads a checksum list behind a password, which no process shows in its argv', async () => {
    writeFileSync(
      join(dir, 'play.yml'),
      `- hosts: all\n  gather_facts: false\n  tasks:\n    - get_url:\n        url: "http://127.0.0.1:${port}/file"\n        dest: ${join(dir, 'checked')}\n` +
        `        checksum: "sha256:http://lister:${PASSWORD}@127.0.0.1:${port}/SHA256SUMS"\n`,
    );
    const { result, seen } = await playWatchingArgv();
    strictEqual(result.code, 0, result.stdout + result.stderr);
    strictEqual(readFileSync(join(dir, 'checked'), 'utf8'), 'payload\n');
    strictEqual(seen.length, 0, `the password showed in argv:\n${[...new Set(seen)].join('\n')}`);
    strictEqual((result.stdout + result.stderr).includes(PASSWORD), false, 'nor in the output');
  });
});
