// A templated ignore_errors is rendered per host and read with Ansible's boolean words, as
// ansible-playbook 2.14 does (the oracle): the same hosts carry on past a failure, the exit codes agree.
import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ansiblePlaybook } from './ansible-playbook.js';
import { etcdops } from '../e2e/etcdops-cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/templated-ignore-errors/${name}`, import.meta.url));

describe('a templated ignore_errors, with ansible-playbook as the oracle', function () {
  this.timeout(90_000);
  it('the same hosts carry on and the same exit code', async () => {
    const expected = mkdtempSync(join(tmpdir(), 'etcdops-ignore-'));
    const ours = mkdtempSync(join(tmpdir(), 'etcdops-ignore-'));
    try {
      const args = (scratch: string) => ['-i', fixture('inventory.ini'), '-e', `scratch=${scratch}`];
      const ansible = ansiblePlaybook([...args(expected), fixture('play.yml')]);
      const result = await etcdops(['play', fixture('play.yml'), ...args(ours), '--output', 'plain']);
      deepStrictEqual(readdirSync(ours).sort(), readdirSync(expected).sort(), result.stdout + result.stderr);
      strictEqual(result.code, ansible.status, result.stdout + result.stderr);
    } finally {
      rmSync(expected, { recursive: true, force: true });
      rmSync(ours, { recursive: true, force: true });
    }
  });
});
