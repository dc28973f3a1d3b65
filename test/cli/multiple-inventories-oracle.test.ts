// `-i` given several times (files and folders) for `play` and `plan`, against the real ansible-playbook: the
// same hosts, each with the variables Ansible merges from the sources (later ones win) and its own
// inventory_file (the file that listed it first), also as another host sees it through hostvars.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ansiblePlaybook } from './ansible-playbook.js';
import { etcdops } from '../e2e/etcdops-cli.js';

const inventories = (name: string) => fileURLToPath(new URL(`../fixtures/inventories/${name}`, import.meta.url));
const PLAY = fileURLToPath(new URL('../fixtures/cli/multiple-inventories/what-hosts-see.yml', import.meta.url));

const cases: readonly (readonly string[])[] = [
  ['folder', 'inventory.ini'],
  ['nested/inventory.yml', 'inventory.ini'],
  ['ini-edge/hosts', 'ini-edge/more'],
];

/** host → message, from ansible-playbook's default output. */
function ansibleMessages(stdout: string): Record<string, string> {
  return Object.fromEntries([...stdout.matchAll(/^ok: \[(\S+)\] => \{\n\s+"msg": "(.*)"\n\}/gm)].map((m) => [m[1]!, JSON.parse(`"${m[2]!}"`) as string]));
}

function etcdopsMessages(stdout: string): Record<string, string> {
  return Object.fromEntries([...stdout.matchAll(/^ok: \[(\S+)\] => (.*)$/gm)].map((m) => [m[1]!, m[2]!]));
}

describe('-i given several times, with ansible-playbook as the oracle', function () {
  this.timeout(120_000);
  for (const sources of cases) {
    const args = sources.flatMap((source) => ['-i', inventories(source)]);
    it(`play -i ${sources.join(' -i ')}: the same hosts, variables and inventory_file`, async () => {
      const theirs = ansiblePlaybook([...args, PLAY]);
      assert.equal(theirs.status, 0, theirs.stdout + theirs.stderr);
      const expected = ansibleMessages(theirs.stdout);
      assert.ok(Object.keys(expected).length >= 2, `the oracle printed no messages:\n${theirs.stdout}`);
      const ours = await etcdops(['play', PLAY, ...args, '--output', 'plain']);
      assert.equal(ours.code, 0, ours.stdout + ours.stderr);
      assert.deepEqual(etcdopsMessages(ours.stdout), expected);
    });
  }

  it('plan takes several -i too, and its plan file records them in order', async () => {
    const theirs = ansiblePlaybook(['-i', inventories('folder'), '-i', inventories('inventory.ini'), PLAY, '--list-hosts']);
    const expectedHosts = [...theirs.stdout.matchAll(/^ {6}(\S+)$/gm)].map((m) => m[1]!).sort();
    assert.ok(expectedHosts.includes('etcd-9'), theirs.stdout);
    const ours = await etcdops(['plan', PLAY, '-i', inventories('folder'), '-i', inventories('inventory.ini'), '--output', 'json']);
    assert.equal(ours.code, 0, ours.stdout + ours.stderr);
    const planned = [...new Set([...ours.stdout.matchAll(/"host":"([^"]+)"/g)].map((m) => m[1]!))].sort();
    assert.deepEqual(planned, expectedHosts);
  });
});
