// What `hostvars[host]` shows, against the real ansible-playbook: two hosts on a local connection each write,
// for both hosts, every kind of variable as hostvars shows it. Ansible 2.14 shows inventory variables, facts
// magic variables and registered results there, but neither role defaults, role vars nor play vars (its hostvars reads a host's
// variables without the play); etcdops must answer the same, including for names held in a variable.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ansiblePlaybook } from './ansible-playbook.js';
import { etcdops } from '../e2e/etcdops-cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/hostvars-scope/${name}`, import.meta.url));
const INVENTORY = fixture('inventory.ini');
const PLAY = fixture('play.yml');

/** host → (`other.variable` → value as written), from the files a run left. */
function answers(dir: string): Record<string, Record<string, string>> {
  return Object.fromEntries(
    ['a', 'b'].map((host) => [
      host,
      Object.fromEntries(
        readFileSync(join(dir, `${host}.txt`), 'utf8').split('\n').filter(Boolean).map((line) => line.split(/=(.*)/s).slice(0, 2)),
      ),
    ]),
  );
}

describe('hostvars scope, with ansible-playbook as the oracle', function () {
  this.timeout(90_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('shows inventory vars, facts and magic variables, not role defaults or play vars, as Ansible does', async () => {
    const [theirs, ours] = [mkdtempSync(join(tmpdir(), 'ff-hv-ansible-')), mkdtempSync(join(tmpdir(), 'ff-hv-etcdops-'))];
    dirs.push(theirs, ours);
    const ansible = ansiblePlaybook(['-i', INVENTORY, PLAY, '-e', `dir=${theirs}`]);
    assert.equal(ansible.status, 0, ansible.stdout + ansible.stderr);
    const run = await etcdops(['play', PLAY, '-i', INVENTORY, '-e', `dir=${ours}`, '--output', 'plain']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const expected = answers(theirs);
    assert.equal(expected.a!['b.inventory_var'], 'b-inventory', 'the oracle run is not what this test expects');
    assert.equal(expected.a!['b.registered'], 'registered-on-b', 'the oracle run is not what this test expects');
    assert.deepEqual(answers(ours), expected);
  });
});
