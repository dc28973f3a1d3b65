// An "until" loop registers what Ansible registers: the attempts it took when it held, one fewer than it made
// when it never held (Ansible's own count), and failed; "retries: 0" with "until" is refused at load, since
// Ansible 2.14 then ignores "until". ansible-playbook is the oracle; in a check run (where Ansible fails the
// loop on the empty output of a command it skipped) the loop's result is deferred like any unknown output.
import { match, strictEqual } from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sideBySide } from './ansible-playbook.js';
import { etcdops } from '../e2e/etcdops-cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/until/${name}`, import.meta.url));

describe('until loops, with ansible-playbook as the oracle', function () {
  this.timeout(90_000);
  let scratch: string;
  beforeEach(() => (scratch = mkdtempSync(join(tmpdir(), 'etcdops-until-'))));
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('registers the same attempts and failed, and makes the same number of attempts', async () => {
    const { theirs, ours } = await sideBySide(scratch, fixture('play.yml'), (dir) => ['-i', fixture('inventory.ini'), '-e', `scratch=${dir}`]);
    strictEqual(readFileSync(join(ours, 'registered'), 'utf8'), readFileSync(join(theirs, 'registered'), 'utf8'));
    strictEqual(readFileSync(join(ours, 'tries'), 'utf8'), readFileSync(join(theirs, 'tries'), 'utf8'));
  });

  it('plans a check run: the "until" of a command not run is not judged, and what reads its result is deferred', async () => {
    const result = await etcdops(['play', fixture('play.yml'), '-i', fixture('inventory.ini'), '-e', `scratch=${scratch}`, '--check', '--output', 'plain']);
    strictEqual(result.code, 0, result.stdout);
    match(result.stdout, /deferred: \[local\] => depends on "second"/);
    strictEqual(existsSync(join(scratch, 'tries')), false, 'check mode ran the command');
  });

  it('refuses retries: 0 with until at load, naming the line', async () => {
    const play = join(scratch, 'zero.yml');
    writeFileSync(play, '- hosts: local\n  gather_facts: false\n  tasks:\n    - command: echo x\n      register: r\n      until: r.stdout == "y"\n      retries: 0\n');
    const result = await etcdops(['play', play, '-i', fixture('inventory.ini'), '--output', 'plain']);
    strictEqual(result.code, 4, result.stdout + result.stderr);
    match(result.stdout + result.stderr, /zero\.yml:7:\d+.*retries: 0 with until/);
  });
});
