// A backslash in a string literal inside {{ }} of a playbook value keeps what was written, as Ansible's
// templar escapes it: join('\n') in a block scalar joins with a backslash and an n, '\\1' reaches
// regex_replace as \1 (a backslash and a 1 in Python's re.sub). ansible-playbook is the oracle.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertSameFiles, sideBySide } from './ansible-playbook.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/backslashes/${name}`, import.meta.url));

describe('backslashes in playbook values, with ansible-playbook as the oracle', function () {
  this.timeout(90_000);
  let scratch: string;
  before(() => (scratch = mkdtempSync(join(tmpdir(), 'etcdops-backslashes-'))));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('writes the same bytes', async () => {
    assertSameFiles(await sideBySide(scratch, fixture('play.yml'), (dir) => ['-i', fixture('inventory.ini'), '-e', `scratch=${dir}`]));
  });
});
