// A failed run_once task fails every host of the batch, as in Ansible (its strategy marks them all
// failed), not only the host it ran on: otherwise the other hosts would go on past a failed gate. With a
// rescue every host rescues; with ignore_errors nobody stops. ansible-playbook is the oracle.
import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ansiblePlaybook } from './ansible-playbook.js';
import { etcdops } from '../e2e/etcdops-cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/run-once/${name}`, import.meta.url));

describe('a failed run_once task, with ansible-playbook as the oracle', function () {
  this.timeout(90_000);
  for (const mode of ['plain', 'rescued', 'ignored']) {
    it(`${mode}: the same hosts go on and the same exit code`, async () => {
      const expected = mkdtempSync(join(tmpdir(), 'etcdops-run-once-'));
      const ours = mkdtempSync(join(tmpdir(), 'etcdops-run-once-'));
      try {
        const args = (scratch: string) => ['-i', fixture('inventory.ini'), '-e', `mode=${mode}`, '-e', `scratch=${scratch}`];
        const ansible = ansiblePlaybook([...args(expected), fixture('play.yml')]);
        const result = await etcdops(['play', fixture('play.yml'), ...args(ours), '--output', 'plain']);
        deepStrictEqual(readdirSync(ours).sort(), readdirSync(expected).sort(), result.stdout);
        strictEqual(result.code, ansible.status, result.stdout);
      } finally {
        rmSync(expected, { recursive: true, force: true });
        rmSync(ours, { recursive: true, force: true });
      }
    });
  }
});
