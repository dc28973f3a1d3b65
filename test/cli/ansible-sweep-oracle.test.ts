// Everyday expression and keyword combinations of Ansible content (typed vars, filters, when with and
// without braces, loops that set facts, failed_when/changed_when, rescue), run by ansible-playbook 2.14
// and by etcdops: each records the value it saw and its type, and the two reports must be the same.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sideBySide } from './ansible-playbook.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/ansible-sweep/${name}`, import.meta.url));

/** Ansible's text types (unsafe, from YAML) are Python's str, as etcdops names it. */
function report(dir: string): string[] {
  return readFileSync(join(dir, 'report.txt'), 'utf8').replace(/\((AnsibleUnsafeText|AnsibleUnicode)\)/g, '(str)').split('\n');
}

describe('everyday Ansible content, with ansible-playbook as the oracle', function () {
  this.timeout(90_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('sees the same values with the same types', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'etcdops-sweep-'));
    dirs.push(scratch);
    const { theirs, ours } = await sideBySide(scratch, fixture('play.yml'), (dir) => ['-i', fixture('inventory.ini'), '-e', `dir=${dir}`]);
    assert.deepEqual(report(ours), report(theirs));
  });
});
