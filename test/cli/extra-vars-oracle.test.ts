// `-e` values, against the real ansible-playbook: the same YAML 1.1 scalars given inline (`-e '{…}'`),
// from a file (`-e @FILE`) and as `NAME=VALUE` words must reach the play as the same values (`0644` is
// 420 from YAML but the string "0644" from a word, `yes` true, `1e3` a string, a date its text).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ansiblePlaybook } from './ansible-playbook.js';
import { etcdops } from '../e2e/etcdops-cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/extra-vars/${name}`, import.meta.url));
const VALUES = fixture('values.yml');
const INLINE = readFileSync(VALUES, 'utf8').split('\n').filter((line) => line.startsWith('{')).join('');
/** `-e NAME=VALUE` per entry; a value with a space is quoted, as a user would write it. */
const WORDS = INLINE.slice(1, -1).split(/, (?=[a-z]: )/).flatMap((pair) => {
  const [name, value] = pair.split(/: (.*)/s) as [string, string];
  return ['-e', `${name}=${value.includes(' ') ? `"${value}"` : value}`];
});

const FORMS: Record<string, readonly string[]> = {
  'inline YAML': ['-e', INLINE],
  '@file': ['-e', `@${VALUES}`],
  'NAME=VALUE words': WORDS,
};

describe('-e values, with ansible-playbook as the oracle', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const tempDir = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };

  for (const [form, args] of Object.entries(FORMS)) {
    it(`reads ${form} as Ansible does`, async () => {
      const [theirs, ours] = [tempDir('ff-ev-ansible-'), tempDir('ff-ev-etcdops-')];
      const common = [fixture('play.yml'), '-i', fixture('inventory.ini'), ...args];
      const ansible = ansiblePlaybook([...common, '-e', `dir=${theirs}`]);
      assert.equal(ansible.status, 0, ansible.stdout + ansible.stderr);
      const run = await etcdops(['play', ...common, '-e', `dir=${ours}`, '--output', 'plain']);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.equal(readFileSync(join(ours, 'report.txt'), 'utf8'), readFileSync(join(theirs, 'report.txt'), 'utf8'));
    });
  }
});
