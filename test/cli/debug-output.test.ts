// What debug shows beside the host's status, as ansible-playbook shows it: msg (a mapping as JSON), or a
// variable under its own name (it is not registered as msg, so it needs showing of its own).
import { match, strictEqual } from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { etcdops } from '../e2e/etcdops-cli.js';

const PLAY = `- hosts: localhost
  gather_facts: false
  vars:
    members: {n1: 10.0.0.1}
  tasks:
    - debug: var=members
    - debug: var=nothing_here
    - debug: msg="{{ members }}"
`;

describe('debug output', function () {
  this.timeout(30_000);
  it('shows a variable under its name, an undefined one as Ansible says, and msg', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'etcdops-debug-'));
    try {
      writeFileSync(join(folder, 'play.yml'), PLAY);
      const run = await etcdops(['play', join(folder, 'play.yml'), '-i', 'localhost,', '--output', 'plain']);
      strictEqual(run.code, 0, run.stdout + run.stderr);
      match(run.stdout, /TASK \[debug var=members\] \*+\nok: \[localhost\] => \{"members":\{"n1":"10\.0\.0\.1"\}\}/);
      match(run.stdout, /ok: \[localhost\] => \{"nothing_here":"VARIABLE IS NOT DEFINED!"\}/);
      match(run.stdout, /TASK \[debug msg="\{\{ members \}\}"\] \*+\nok: \[localhost\] => \{"n1":"10\.0\.0\.1"\}/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
