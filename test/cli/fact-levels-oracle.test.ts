// Where gathered facts and include_vars rank, against the real ansible-playbook: a gathered fact hides an
// inventory variable and yields to a play variable; include_vars yields to set_fact whichever ran first
// and hides play and task vars. Both tools write their report on a local connection; the reports must agree.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sideBySide } from './ansible-playbook.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/fact-levels/${name}`, import.meta.url));

describe('the levels of gathered facts and include_vars, with ansible-playbook as the oracle', function () {
  this.timeout(90_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('lets the same level win as Ansible does', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'etcdops-levels-'));
    dirs.push(scratch);
    const { theirs, ours } = await sideBySide(scratch, fixture('play.yml'), (dir) => ['-i', fixture('inventory.ini'), '-e', `dir=${dir}`]);
    assert.equal(readFileSync(join(ours, 'report.txt'), 'utf8'), readFileSync(join(theirs, 'report.txt'), 'utf8'));
  });
});
