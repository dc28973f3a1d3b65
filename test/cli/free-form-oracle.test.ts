// Free-form `key=value` arguments behave as in the real ansible-playbook: the same playbook, on a local
// connection, run by both into two empty folders; what each left there (names, modes, contents) must match:
// creates/removes skip, chdir moves, words that are not options stay in the command line.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ansiblePlaybook } from './ansible-playbook.js';
import { etcdops } from '../e2e/etcdops-cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/free-form/${name}`, import.meta.url));
const INVENTORY = fixture('inventory.ini');
const PLAY = fixture('play.yml');

/** Each file a run left: its mode and its content, with the run's own folder written as DIR. */
function leftIn(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir).sort().map((name) => {
      const path = join(dir, name);
      const mode = (statSync(path).mode & 0o777).toString(8);
      return [name, `${mode} ${readFileSync(path, 'utf8').replaceAll(dir, 'DIR')}`];
    }),
  );
}

describe('free-form arguments, with ansible-playbook as the oracle', function () {
  this.timeout(90_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('skips, moves and keeps words as Ansible does', async () => {
    const [theirs, ours] = [mkdtempSync(join(tmpdir(), 'ff-ansible-')), mkdtempSync(join(tmpdir(), 'ff-etcdops-'))];
    dirs.push(theirs, ours);
    const ansible = ansiblePlaybook(['-i', INVENTORY, PLAY, '-e', `dir=${theirs}`]);
    assert.equal(ansible.status, 0, ansible.stdout + ansible.stderr);
    const run = await etcdops(['play', PLAY, '-i', INVENTORY, '-e', `dir=${ours}`, '--output', 'plain']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const expected = leftIn(theirs);
    assert.ok(!('skipped-by-creates' in expected) && 'ran-by-removes' in expected, 'the oracle run is not what this test expects');
    assert.deepEqual(leftIn(ours), expected);
  });
});
