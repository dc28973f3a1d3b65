// A playbook whose regex_search backtracks without end on a host's output: the run fails that task at once,
// naming the pattern, the time limit and file:line, with a non-zero exit, instead of hanging the control
// node. The CLI runs from the build, on a local host, as a user runs it.
import { match, ok, strictEqual } from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { etcdops } from '../e2e/etcdops-cli.js';

describe('a regular expression that backtracks without end on a host output', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'etcdops-regex-time-'));
    writeFileSync(join(dir, 'inventory.yml'), 'all:\n  hosts:\n    h1:\n      ansible_connection: local\n');
    writeFileSync(
      join(dir, 'play.yml'),
      `- hosts: all
  gather_facts: false
  tasks:
    - name: read the version
      command: printf '%s!' ${'a'.repeat(40)}
      register: version
      changed_when: false
    - name: parse the version
      debug:
        msg: "{{ version.stdout | regex_search('(a+)+$') }}"
    - name: never reached
      debug:
        msg: after
`,
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('fails the task with the pattern, the limit and file:line', async () => {
    const started = Date.now();
    // Plain backtracking takes hours on these 41 characters: the kill after 30 s is what the old code met.
    const result = await etcdops(['play', join(dir, 'play.yml'), '-i', join(dir, 'inventory.yml')], { timeoutMs: 30_000 });
    const output = result.stdout + result.stderr;
    strictEqual(result.code, 2, output);
    match(output, /TASK \[parse the version\][^]*play\.yml:8:7: .*regex_search: pattern "\(a\+\)\+\$" took longer than \d+ ms/);
    strictEqual(output.includes('never reached'), false, output);
    ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
  });
});
