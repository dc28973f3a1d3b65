// Who a task runs as: the become/become_user keywords of the task and play, a templated become_user, and
// the ansible_become/ansible_become_user variables, which win over the keywords (even over become: false).
// Each task's `id -un` is written per host; ansible-playbook is the oracle. Runs sudo on the control node.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strictEqual } from 'node:assert/strict';
import { assertSameFiles, sideBySide } from './ansible-playbook.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/become-user/${name}`, import.meta.url));

describe('become_user and the become variables, with ansible-playbook as the oracle', function () {
  this.timeout(90_000);
  let scratch: string;
  before(() => (scratch = mkdtempSync(join(tmpdir(), 'etcdops-become-user-'))));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('runs each task as the same user', async () => {
    const run = await sideBySide(scratch, fixture('play.yml'), (dir) => ['-i', fixture('inventory.ini'), '-e', `scratch=${dir}`]);
    assertSameFiles(run);
    // What the comparison stands on, so that a change in both tools cannot pass unseen.
    strictEqual(readFileSync(join(run.ours, 'x'), 'utf8'), 'nobody nobody nobody nobody games nobody\n');
    strictEqual(readFileSync(join(run.ours, 'y'), 'utf8'), 'root bin root mail games sys\n');
  });
});
