// A condition written with braces (`when: "{{ v }}"`) is templated to text first and that text is then the
// condition, as in Ansible 2.14: the string "false" is then false, while `when: v` holds for any non-empty
// string. ansible-playbook is the oracle: the same tasks run for each kind of value.
import { strictEqual } from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sideBySide } from './ansible-playbook.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/templated-when/${name}`, import.meta.url));

describe('conditions with and without braces, with ansible-playbook as the oracle', function () {
  this.timeout(90_000);
  let scratch: string;
  before(() => (scratch = mkdtempSync(join(tmpdir(), 'etcdops-when-'))));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('runs the same tasks for every kind of value', async () => {
    const { theirs, ours } = await sideBySide(scratch, fixture('play.yml'), (dir) => ['-i', fixture('inventory.ini'), '-e', `scratch=${dir}`]);
    strictEqual(readFileSync(join(ours, 'ran.json'), 'utf8'), readFileSync(join(theirs, 'ran.json'), 'utf8'));
  });
});
