// What a loop registers is what Ansible registers: each item's result with its loop variables (item,
// ansible_loop_var, the index_var, ansible_loop), the summary message, and "failed" as it happened even when
// ignore_errors let the play go on ("r is failed" must hold after an ignored failure). ansible-playbook is the oracle.
import { strictEqual } from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sideBySide } from './ansible-playbook.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/loop-register/${name}`, import.meta.url));

describe('what a loop registers, with ansible-playbook as the oracle', function () {
  this.timeout(90_000);
  let scratch: string;
  beforeEach(() => (scratch = mkdtempSync(join(tmpdir(), 'etcdops-loop-register-'))));
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('registers the same per-item results, message and failed state', async () => {
    const { theirs, ours } = await sideBySide(scratch, fixture('play.yml'), (dir) => ['-i', fixture('inventory.ini'), '-e', `scratch=${dir}`]);
    strictEqual(readFileSync(join(ours, 'registered.json'), 'utf8'), readFileSync(join(theirs, 'registered.json'), 'utf8'));
  });
});
