// Ansible's yes/no words, against the real ansible-playbook: the `bool` filter, set_fact and a module's
// boolean argument each read them their own way (see src/playbook/ansible-boolean.ts); one report of all
// three, written by each tool on a local connection, must be the same.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ansiblePlaybook } from './ansible-playbook.js';
import { etcdops } from '../e2e/etcdops-cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/yes-no-words/${name}`, import.meta.url));

describe('yes/no words, with ansible-playbook as the oracle', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('reads each word as the bool filter, set_fact and module arguments of Ansible do', async () => {
    const [theirs, ours] = [mkdtempSync(join(tmpdir(), 'ff-yn-ansible-')), mkdtempSync(join(tmpdir(), 'ff-yn-etcdops-'))];
    dirs.push(theirs, ours);
    const common = [fixture('play.yml'), '-i', fixture('inventory.ini')];
    const ansible = ansiblePlaybook([...common, '-e', `dir=${theirs}`]);
    assert.equal(ansible.status, 0, ansible.stdout + ansible.stderr);
    const expected = readFileSync(join(theirs, 'report.txt'), 'utf8');
    // The three readings differ on these words; if they did not, the test would not tell them apart.
    assert.match(expected, /filter \[t\]=False/);
    assert.match(expected, /set_fact \[On\]="On"/);
    assert.match(expected, /get_checksum=t checksums=True/);
    const run = await etcdops(['play', ...common, '-e', `dir=${ours}`, '--output', 'plain']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(readFileSync(join(ours, 'report.txt'), 'utf8'), expected);
  });
});
