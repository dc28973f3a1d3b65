// What the recap, a skipped task's register and the listings say is what ansible-playbook says: the recap lists
// hosts sorted and only those a task ran on (hosts a --tags run never reached are left out), a skipped task
// registers Ansible's skip_reason, a loop registers 'failed' only when an item failed, 'All items skipped' and
// Ansible's result for an empty loop, and --list-hosts / --list-tasks / --list-tags print Ansible's text.
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ansiblePlaybook } from './ansible-playbook.js';
import { etcdops } from '../e2e/etcdops-cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/recap-listing/${name}`, import.meta.url));

/** The recap as [host, counts] in the order printed, from ansible-playbook's or etcdops's plain output. */
function recapRows(stdout: string): [string, Record<string, number>][] {
  const recap = stdout.slice(stdout.lastIndexOf('PLAY RECAP'));
  return [...recap.matchAll(/^(\S+)\s+:\s+(ok=.*)$/gm)].map((m) => [
    m[1]!,
    Object.fromEntries([...m[2]!.matchAll(/(\w+)=(\d+)/g)].filter(([, k]) => k !== 'deferred').map(([, k, v]) => [k!, Number(v)])),
  ]);
}

describe('recap, skipped register and listings, with ansible-playbook as the oracle', function () {
  this.timeout(120_000);
  let scratch: string;
  beforeEach(() => (scratch = mkdtempSync(join(tmpdir(), 'etcdops-recap-listing-'))));
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  for (const tags of [[], ['--tags', 'first'], ['--tags', 'second']]) {
    it(`lists the same hosts with the same counts in the recap (${tags.join(' ') || 'no --tags'})`, async () => {
      const theirs = mkdtempSync(join(scratch, 'ansible-'));
      const ours = mkdtempSync(join(scratch, 'etcdops-'));
      const args = (dir: string) => ['-i', fixture('inventory.ini'), '-e', `scratch=${dir}`, ...tags];
      const ansible = ansiblePlaybook([...args(theirs), fixture('play.yml')]);
      strictEqual(ansible.status, 0, ansible.stdout);
      const result = await etcdops(['play', fixture('play.yml'), ...args(ours), '--output', 'plain']);
      strictEqual(result.code, 0, result.stdout);
      const expected = recapRows(ansible.stdout);
      ok(expected.length > 0, ansible.stdout);
      deepStrictEqual(recapRows(result.stdout), expected);
    });
  }

  it('registers the same results for a skipped task, a loop whose items are all skipped, an empty loop and a loop no item failed', async () => {
    const theirs = mkdtempSync(join(scratch, 'ansible-'));
    const ours = mkdtempSync(join(scratch, 'etcdops-'));
    const args = (dir: string) => ['-i', fixture('inventory.ini'), '-e', `scratch=${dir}`];
    strictEqual(ansiblePlaybook([...args(theirs), fixture('play.yml')]).status, 0);
    strictEqual((await etcdops(['play', fixture('play.yml'), ...args(ours), '--output', 'plain'])).code, 0);
    for (const host of ['a', 'b']) strictEqual(readFileSync(join(ours, `${host}-skipped.json`), 'utf8'), readFileSync(join(theirs, `${host}-skipped.json`), 'utf8'));
  });

  const listings = [['--list-hosts'], ['--list-tasks'], ['--list-tags'], ['--list-tags', '--list-tasks', '--list-hosts'], ['--list-tags', '--tags', 'never'], ['--list-tasks', '--skip-tags', 'beta']];
  for (const options of listings) {
    it(`prints what ansible-playbook prints for ${options.join(' ')}`, async () => {
      const ansible = ansiblePlaybook(['-i', fixture('inventory.ini'), fixture('listing.yml'), ...options]);
      strictEqual(ansible.status, 0, ansible.stderr);
      const result = await etcdops(['play', fixture('listing.yml'), '-i', fixture('inventory.ini'), ...options]);
      strictEqual(result.code, 0, result.stderr);
      strictEqual(result.stdout, ansible.stdout);
    });
  }
});
