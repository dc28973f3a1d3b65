// Everyday expression and keyword combinations of Ansible content (typed vars, filters, when with and
// without braces, loops that set facts, failed_when/changed_when, rescue), run by ansible-playbook 2.14
// and by etcdops: each records the value it saw and its type, and the two reports must be the same.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ansiblePlaybook } from './ansible-playbook.js';
import { etcdops } from '../e2e/etcdops-cli.js';

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
    const [theirs, ours] = [mkdtempSync(join(tmpdir(), 'etcdops-sweep-ansible-')), mkdtempSync(join(tmpdir(), 'etcdops-sweep-'))];
    dirs.push(theirs, ours);
    const ansible = ansiblePlaybook([fixture('play.yml'), '-i', fixture('inventory.ini'), '-e', `dir=${theirs}`]);
    assert.equal(ansible.status, 0, ansible.stdout + ansible.stderr);
    const run = await etcdops(['play', fixture('play.yml'), '-i', fixture('inventory.ini'), '-e', `dir=${ours}`, '--output', 'plain']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual(report(ours), report(theirs));
  });
});
