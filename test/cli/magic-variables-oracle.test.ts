// The magic variables describing the run mean what Ansible's mean: ansible_play_hosts and ansible_play_batch
// (and play_hosts, the batch's old name) leave out hosts that failed, ansible_play_hosts_all keeps them, and
// inventory_file/inventory_dir are absolute whatever -i was given as. ansible-playbook is the oracle.
import { strictEqual } from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sideBySide } from './ansible-playbook.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/magic-variables/${name}`, import.meta.url));

describe('magic variables of the run, with ansible-playbook as the oracle', function () {
  this.timeout(90_000);
  let scratch: string;
  beforeEach(() => (scratch = mkdtempSync(join(tmpdir(), 'etcdops-magic-'))));
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  for (const options of [[], ['--limit', 'b,c,d', '--tags', 'x', '--skip-tags', 'y']]) {
    it(`the hosts still writing see the same values${options.length ? ` (${options.join(' ')})` : ''}`, async () => {
      // A relative -i, which Ansible still reports as an absolute path.
      const args = (dir: string) => ['-i', relative(process.cwd(), fixture('inventory.ini')), '-e', `scratch=${dir}`, ...options];
      const { theirs, ours } = await sideBySide(scratch, fixture('play.yml'), args, 2);
      for (const host of ['b', 'd']) {
        strictEqual(readFileSync(join(ours, `${host}.json`), 'utf8'), readFileSync(join(theirs, `${host}.json`), 'utf8'), host);
      }
    });
  }
});
