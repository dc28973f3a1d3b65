// Ansible's comment filter: each style and the keyword overrides give the same bytes, in a playbook value
// and in a .j2 template, with the template module's own variables (ansible_managed...). ansible-playbook is the oracle.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertSameFiles, sideBySide } from './ansible-playbook.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/comment-filter/${name}`, import.meta.url));

describe('the comment filter, with ansible-playbook as the oracle', function () {
  this.timeout(90_000);
  let scratch: string;
  before(() => (scratch = mkdtempSync(join(tmpdir(), 'etcdops-comment-'))));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('writes the same bytes', async () => {
    assertSameFiles(await sideBySide(scratch, fixture('play.yml'), (dir) => ['-i', fixture('inventory.ini'), '-e', `scratch=${dir}`]));
  });
});
