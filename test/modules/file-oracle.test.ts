// The file module against Ansible's, on the control node (connection: local): the same status task by task
// and the same tree after (type, owner, mode, link target). Ansible gives missing parents of a directory the
// owner and mode asked for, and touch sets times on every run unless both are preserved.
import { deepStrictEqual } from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sideBySide } from '../cli/ansible-playbook.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/modules/file-oracle/${name}`, import.meta.url));

const statuses = (output: string) => output.split('\n').filter((line) => /^(ok|changed|fatal|skipping): /.test(line)).map((line) => line.split(':')[0]);
const tree = (dir: string) => execFileSync('find', ['.', '-mindepth', '1', '-printf', '%p %y %u %m %l\\n'], { cwd: dir, encoding: 'utf8' }).split('\n').sort();

describe('file module, with ansible-playbook as the oracle', function () {
  this.timeout(90_000);
  let scratch: string;
  before(() => (scratch = mkdtempSync(join(tmpdir(), 'etcdops-file-oracle-'))));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('reports the same status for each task and leaves the same tree', async () => {
    const { theirs, ours, ansible, etcdops } = await sideBySide(scratch, fixture('play.yml'), (dir) => ['-i', fixture('inventory.ini'), '-e', `scratch=${dir}`]);
    deepStrictEqual(statuses(etcdops.stdout), statuses(ansible.stdout));
    deepStrictEqual(tree(ours), tree(theirs));
  });
});
