// The extract filter over hostvars, a dict and a list, with ansible-playbook as the oracle.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertSameFiles, sideBySide } from './ansible-playbook.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/extract/${name}`, import.meta.url));

describe('extract, with ansible-playbook as the oracle', function () {
  this.timeout(90_000);
  let scratch: string;
  before(() => (scratch = mkdtempSync(join(tmpdir(), 'etcdops-extract-'))));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('writes the same member lists', async () => {
    assertSameFiles(await sideBySide(scratch, fixture('play.yml'), (dir) => ['-i', fixture('inventory.ini'), '-e', `scratch=${dir}`]));
  });
});
