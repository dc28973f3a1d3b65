// Where gathered facts and include_vars rank, against the real ansible-playbook: a gathered fact hides an
// inventory variable and yields to a play variable; include_vars yields to set_fact whichever ran first
// and hides play and task vars. Both tools write their report on a local connection; the reports must agree.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ansiblePlaybook } from './ansible-playbook.js';
import { etcdops } from '../e2e/etcdops-cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/fact-levels/${name}`, import.meta.url));

describe('the levels of gathered facts and include_vars, with ansible-playbook as the oracle', function () {
  this.timeout(90_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('lets the same level win as Ansible does', async () => {
    const [theirs, ours] = [mkdtempSync(join(tmpdir(), 'etcdops-levels-ansible-')), mkdtempSync(join(tmpdir(), 'etcdops-levels-'))];
    dirs.push(theirs, ours);
    const ansible = ansiblePlaybook([fixture('play.yml'), '-i', fixture('inventory.ini'), '-e', `dir=${theirs}`]);
    assert.equal(ansible.status, 0, ansible.stdout + ansible.stderr);
    const run = await etcdops(['play', fixture('play.yml'), '-i', fixture('inventory.ini'), '-e', `dir=${ours}`, '--output', 'plain']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(readFileSync(join(ours, 'report.txt'), 'utf8'), readFileSync(join(theirs, 'report.txt'), 'utf8'));
  });
});
