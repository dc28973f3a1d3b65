// What command and shell register (run, failed, skipped by creates/removes), with ansible-playbook as the oracle.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertSameFiles, sideBySide } from './ansible-playbook.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/${name}`, import.meta.url));

describe('command and shell results, with ansible-playbook as the oracle', function () {
  this.timeout(90_000);
  let scratch: string;
  before(() => (scratch = mkdtempSync(join(tmpdir(), 'etcdops-command-result-'))));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('registers the same keys, in the same order, with the same values', async () => {
    assertSameFiles(await sideBySide(scratch, fixture('command-result/play.yml'), (dir) => ['-i', fixture('command-result/inventory.ini'), '-e', `scratch=${dir}`]));
  });
});
