// A condition written with braces (`when: "{{ v }}"`) is templated to text first and that text is then the
// condition, as in Ansible 2.14: the string "false" is then false, while `when: v` holds for any non-empty
// string. ansible-playbook is the oracle: the same tasks run for each kind of value.
import { strictEqual } from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ansiblePlaybook } from './ansible-playbook.js';
import { etcdops } from '../e2e/etcdops-cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/templated-when/${name}`, import.meta.url));

describe('conditions with and without braces, with ansible-playbook as the oracle', function () {
  this.timeout(90_000);
  let scratch: string;
  before(() => (scratch = mkdtempSync(join(tmpdir(), 'etcdops-when-'))));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('runs the same tasks for every kind of value', async () => {
    const theirs = mkdtempSync(join(scratch, 'ansible-'));
    const ours = mkdtempSync(join(scratch, 'etcdops-'));
    const args = (dir: string) => ['-i', fixture('inventory.ini'), '-e', `scratch=${dir}`];
    const ansible = ansiblePlaybook([...args(theirs), fixture('play.yml')]);
    strictEqual(ansible.status, 0, ansible.stdout);
    const result = await etcdops(['play', fixture('play.yml'), ...args(ours), '--output', 'plain']);
    strictEqual(result.code, 0, result.stdout);
    strictEqual(readFileSync(join(ours, 'ran.json'), 'utf8'), readFileSync(join(theirs, 'ran.json'), 'utf8'));
  });
});
