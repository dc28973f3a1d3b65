// copy's content as Ansible's: text that templates to a list or mapping (a JSON file read by lookup, a
// literal) is written as JSON the way Python's json.dumps writes it; text stays text. ansible-playbook is the oracle.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertSameFiles, sideBySide } from '../cli/ansible-playbook.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/modules/copy-content/${name}`, import.meta.url));

describe('copy content, with ansible-playbook as the oracle', function () {
  this.timeout(90_000);
  let scratch: string;
  before(() => (scratch = mkdtempSync(join(tmpdir(), 'etcdops-copy-content-'))));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('writes the same bytes', async () => {
    assertSameFiles(await sideBySide(scratch, fixture('play.yml'), (dir) => ['-i', fixture('inventory.ini'), '-e', `scratch=${dir}`]));
  });
});
