// become on a local connection goes through sudo: the CLI runs as an unprivileged user that sudo lets
// become root, and sudo's own log proves it was used (running as root would give the same `id -u`).
import { match, strictEqual } from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../../src/lab/run-command.js';

const USER = 'etcdops-become';
const SUDOERS = `/etc/sudoers.d/${USER}`;
const repo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

describe('become on a local connection', function () {
  this.timeout(120_000);
  let dir = '';

  before(async () => {
    // A copy the user can read wherever the checkout lives (a home folder may be closed to others).
    dir = await mkdtemp(join(tmpdir(), 'etcdops-become-'));
    await chmod(dir, 0o755);
    for (const part of ['dist', 'node_modules', 'package.json', 'schemas', 'templates', 'test/fixtures/cli/local-become']) {
      await cp(repo(part), join(dir, part), { recursive: true });
    }
    await runCommand('userdel', ['-r', USER], { allowFailure: true });
    await runCommand('useradd', ['--create-home', '--shell', '/bin/sh', USER]);
    const log = join(dir, 'sudo.log');
    await writeFile(SUDOERS, `Defaults:${USER} logfile=${log}, loglinelen=0\n${USER} ALL=(root) NOPASSWD: ALL\n`, { mode: 0o440 });
    await runCommand('visudo', ['-cf', SUDOERS]);
  });

  after(async () => {
    await rm(SUDOERS, { force: true });
    await runCommand('userdel', ['-r', USER], { allowFailure: true });
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs the become task as root through sudo, and the others as the login user', async () => {
    const fixtures = join(dir, 'test/fixtures/cli/local-become');
    const result = await runCommand(
      'runuser',
      ['-u', USER, '--', process.execPath, join(dir, 'dist/bin/etcdops.js'), 'play', join(fixtures, 'play.yml'), '-i', join(fixtures, 'inventory.ini'), '-v', '--output', 'plain'],
      { allowFailure: true, timeoutMs: 90_000 },
    );
    strictEqual(result.code, 0, result.stdout + result.stderr);
    match(result.stdout, new RegExp(`login=${USER} became=0\\b`), result.stdout);
    const log = await readFile(join(dir, 'sudo.log'), 'utf8');
    match(log, new RegExp(`${USER} : [^\\n]*USER=root ; COMMAND=\\S*sh\\s+-c\\s+'etcdops_script=`), `sudo's own log of the become:\n${log}`);
    // The script comes on stdin, so neither sudo's log nor the process list holds it (nor a secret in it).
    strictEqual(log.includes('id -u'), false, `sudo's log shows the script:\n${log}`);
  });
});
