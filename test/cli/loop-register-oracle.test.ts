// What a loop registers is what Ansible registers: each item's result with its loop variables (item,
// ansible_loop_var, the index_var, ansible_loop), the summary message, and "failed" as it happened even when
// ignore_errors let the play go on ("r is failed" must hold after an ignored failure). ansible-playbook is the oracle.
import { strictEqual } from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ansiblePlaybook } from './ansible-playbook.js';
import { etcdops } from '../e2e/etcdops-cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/loop-register/${name}`, import.meta.url));

describe('what a loop registers, with ansible-playbook as the oracle', function () {
  this.timeout(90_000);
  let scratch: string;
  beforeEach(() => (scratch = mkdtempSync(join(tmpdir(), 'etcdops-loop-register-'))));
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('registers the same per-item results, message and failed state', async () => {
    const theirs = mkdtempSync(join(scratch, 'ansible-'));
    const ours = mkdtempSync(join(scratch, 'etcdops-'));
    const args = (dir: string) => ['-i', fixture('inventory.ini'), '-e', `scratch=${dir}`];
    const ansible = ansiblePlaybook([...args(theirs), fixture('play.yml')]);
    strictEqual(ansible.status, 0, ansible.stdout);
    const result = await etcdops(['play', fixture('play.yml'), ...args(ours), '--output', 'plain']);
    strictEqual(result.code, 0, result.stdout);
    strictEqual(readFileSync(join(ours, 'registered.json'), 'utf8'), readFileSync(join(theirs, 'registered.json'), 'utf8'));
  });
});
