// Secret-named variables a run sets itself (include_vars, set_fact) are as secret as those the inventory
// sets: no output (-vvv, --diff, JSON) and no plan file shows their values. The CLI runs from the build,
// on a local host, as a user runs it.
import { strictEqual } from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { etcdops, type CliResult } from '../e2e/etcdops-cli.js';

const FROM_FILE = 'included-pw-7d1c9a';
const FROM_SET_FACT = 'set-fact-token-42e8b0';

describe('secret-named variables set during a run stay hidden', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'etcdops-secret-facts-'));
    writeFileSync(join(dir, 'inventory.yml'), 'all:\n  hosts:\n    h1:\n      ansible_connection: local\n');
    writeFileSync(join(dir, 'secrets.yml'), `db_password: ${FROM_FILE}\n`);
    writeFileSync(
      join(dir, 'play.yml'),
      `- hosts: all
  gather_facts: false
  tasks:
    - include_vars: secrets.yml
    - set_fact:
        api_secret: "set-fact-token-{{ '42e8b0' }}"
    - debug:
        msg: "{{ db_password }} {{ api_secret }}"
    - copy:
        content: "{{ db_password }}\\n{{ api_secret }}\\n"
        dest: "${join(dir, 'app.conf')}"
        mode: "0644"
`,
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const assertHidden = (what: string, r: CliResult) => {
    strictEqual(r.code, 0, r.stdout + r.stderr);
    for (const secret of [FROM_FILE, FROM_SET_FACT]) strictEqual((r.stdout + r.stderr).includes(secret), false, `${what} shows ${secret}:\n${r.stdout}`);
  };

  it('play --diff -vvv (plain and JSON) and plan --out', async () => {
    const play = (output: string) => etcdops(['play', join(dir, 'play.yml'), '-i', join(dir, 'inventory.yml'), '--check', '--diff', '-vvv', '--output', output]);
    assertHidden('plain output', await play('plain'));
    assertHidden('JSON output', await play('json'));
    const file = join(dir, 'plan.json');
    assertHidden('plan', await etcdops(['plan', join(dir, 'play.yml'), '-i', join(dir, 'inventory.yml'), '--out', file]));
    const saved = readFileSync(file, 'utf8');
    for (const secret of [FROM_FILE, FROM_SET_FACT]) strictEqual(saved.includes(secret), false, `the plan file shows ${secret}`);
  });
});
