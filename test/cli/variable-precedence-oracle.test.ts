// Ansible's variable precedence, against the real ansible-playbook: variable p<N> is set at every level
// from the lowest up to level N (role defaults, group all, group, host, play vars, vars_files, role vars,
// block vars, task vars, set_fact, include params, extra vars), so the value a task sees names the level
// that won. Both tools write their report on a local connection; the reports must be the same.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ansiblePlaybook } from './ansible-playbook.js';
import { etcdops } from '../e2e/etcdops-cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/variable-precedence/${name}`, import.meta.url));
const LEVELS = ['role_defaults', 'group_all', 'group', 'host', 'play_vars', 'vars_files', 'role_vars', 'block_vars', 'task_vars', 'set_fact', 'include_params', 'extra_vars'];

function report(dir: string): Record<string, string> {
  return Object.fromEntries(readFileSync(join(dir, 'report.txt'), 'utf8').split('\n').filter(Boolean).map((line) => line.split('=') as [string, string]));
}

describe('variable precedence, with ansible-playbook as the oracle', function () {
  this.timeout(90_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('lets each level hide the ones below it, as Ansible does', async () => {
    const [theirs, ours] = [mkdtempSync(join(tmpdir(), 'ff-prec-ansible-')), mkdtempSync(join(tmpdir(), 'ff-prec-etcdops-'))];
    dirs.push(theirs, ours);
    const common = ['-i', fixture('inventory.ini'), '-e', `@${fixture('extra-vars.yml')}`];
    const ansible = ansiblePlaybook([fixture('play.yml'), ...common, '-e', `dir=${theirs}`]);
    assert.equal(ansible.status, 0, ansible.stdout + ansible.stderr);
    const expected = report(theirs);
    // The fixture is built so that level N wins for p<N>; the oracle confirms the table before etcdops is compared.
    assert.deepEqual(expected, Object.fromEntries(LEVELS.map((level, i) => [`p${String(i).padStart(2, '0')}`, level])));
    const run = await etcdops(['play', fixture('play.yml'), ...common, '-e', `dir=${ours}`, '--output', 'plain']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual(report(ours), expected);
  });
});
