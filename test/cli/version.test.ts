// `etcdops --version`, as an operator checks what a control node runs.
import { match, strictEqual } from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { etcdops } from '../e2e/etcdops-cli.js';

describe('etcdops --version', () => {
  it("prints the package's version and the Node.js version, and exits 0", async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const result = await etcdops(['--version']);
    strictEqual(result.code, 0, result.stderr);
    strictEqual(result.stdout.trim(), `etcdops ${version} (node ${process.version})`);
    match(result.stdout, /^etcdops \d+\.\d+\.\d+ /);
  });
});
