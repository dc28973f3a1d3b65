// How template values print as Python prints them: tuples (d.items(), zip, (1, 2), dictsort) in round
// brackets, floats as Python's repr (1e+16, 1e-05, -0.0), ints of any size, and chained comparisons
// (1 < x < 5) with Python's meaning, in a .j2 file, in playbook values and in conditions.
// ansible-playbook is the oracle.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertSameFiles, sideBySide } from './ansible-playbook.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/python-printing/${name}`, import.meta.url));

describe('values printed as Python prints them, with ansible-playbook as the oracle', function () {
  this.timeout(90_000);
  let scratch: string;
  before(() => (scratch = mkdtempSync(join(tmpdir(), 'etcdops-python-printing-'))));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('writes the same files with the same bytes', async () => {
    assertSameFiles(await sideBySide(scratch, fixture('play.yml'), (dir) => ['-i', fixture('inventory.ini'), '-e', `scratch=${dir}`]));
  });
});
