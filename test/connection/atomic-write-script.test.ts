// The write script on a real sh: a file written with an owner-only mode is never readable by others once it
// holds the new content, even for the moment between two chmods when it replaces a world-readable file.
// chmod is shimmed on the PATH to log the mode asked for and whether the temp file held content then.
import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { atomicWriteScript } from '../../src/connection/atomic-write-script.js';

const SECRET = 'key material 3f9a';

describe('atomicWriteScript', () => {
  let dir: string;
  let log: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'etcdops-atomic-write-'));
    log = join(dir, 'chmod.log');
    const chmod = execFileSync('sh', ['-c', 'command -v chmod'], { encoding: 'utf8' }).trim();
    writeFileSync(
      join(dir, 'chmod'),
      `#!/bin/sh\nf=""; for a in "$@"; do f="$a"; done\nif [ -s "$f" ]; then echo "$1 with content" >> ${log}; else echo "$1 empty" >> ${log}; fi\nexec ${chmod} "$@"\n`,
    );
    chmodSync(join(dir, 'chmod'), 0o755);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (dest: string, mode?: string) =>
    execFileSync('sh', ['-c', String(atomicWriteScript(dest, { mode }))], { input: `${SECRET}\n`, env: { ...process.env, PATH: `${dir}:${process.env.PATH}` } });
  const modesWithContent = () =>
    readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l.endsWith('with content'))
      .map((l) => l.split(' ')[0]!);

  const cases: readonly { name: string; before: number | null; mode?: string; final: number; chmods: string[] }[] = [
    { name: 'an owner-only file over a world-readable one goes straight to 0600', before: 0o644, mode: '0600', final: 0o600, chmods: ['0600'] },
    { name: 'a new owner-only file goes straight to 0600', before: null, mode: '0600', final: 0o600, chmods: ['0600'] },
    { name: 'without a mode an existing file keeps its own', before: 0o640, final: 0o640, chmods: ['--reference=' ] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const dest = join(dir, 'server.key');
      if (c.before !== null) {
        writeFileSync(dest, 'old\n');
        chmodSync(dest, c.before);
      }
      write(dest, c.mode);
      strictEqual(readFileSync(dest, 'utf8'), `${SECRET}\n`);
      strictEqual(statSync(dest).mode & 0o777, c.final);
      deepStrictEqual(modesWithContent().map((m) => (m.startsWith('--reference=') ? '--reference=' : m)), c.chmods);
    });
  }
});
