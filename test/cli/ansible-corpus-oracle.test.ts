// The Ansible task-structure corpus (blocks with rescue/always, include_tasks, include_vars, import_playbook,
// loop_control, environment, remote_user, any_errors_fatal, import_role, include_role) against the real ansible-playbook: the same
// --list-tasks and --syntax-check output, and runs on the control node ending with the same recap per host.
import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ansiblePlaybook } from './ansible-playbook.js';
import { etcdops } from '../e2e/etcdops-cli.js';

const corpus = (name: string) => fileURLToPath(new URL(`../fixtures/ansible-corpus/${name}`, import.meta.url));
const INVENTORY = corpus('inventory.yml');
const PLAYBOOKS = ['blocks.yml', 'always.yml', 'includes.yml', 'vars.yml', 'loops.yml', 'environment.yml', 'fatal.yml', 'fatal-always.yml', 'roles.yml', 'site.yml'];
const COUNTERS = ['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'] as const;

/** The PLAY RECAP rows, both tools printing `host : ok=N changed=N ...`, as numbers per host and counter. */
function recapOf(stdout: string): Record<string, Record<string, number>> {
  const start = stdout.lastIndexOf('PLAY RECAP');
  if (start < 0) throw new Error(`no PLAY RECAP in:\n${stdout.slice(-3000)}`);
  const hosts: Record<string, Record<string, number>> = {};
  for (const line of stdout.slice(start).split('\n').slice(1)) {
    const host = /^(\S+)\s+:/.exec(line)?.[1];
    if (!host) continue;
    hosts[host] = Object.fromEntries(COUNTERS.map((c) => [c, Number(new RegExp(`\\b${c}=(\\d+)`).exec(line)?.[1] ?? NaN)]));
  }
  return hosts;
}

describe('Ansible task structure, with ansible-playbook as the oracle', function () {
  this.timeout(120_000);
  it('--syntax-check prints what ansible-playbook prints (site.yml imports other playbooks)', async () => {
    const file = corpus('site.yml');
    const expected = ansiblePlaybook(['-i', INVENTORY, file, '--syntax-check']);
    const ours = await etcdops(['play', file, '-i', INVENTORY, '--syntax-check']);
    strictEqual(ours.code, expected.status, ours.stderr);
    strictEqual(ours.stdout, expected.stdout);
  });

  for (const playbook of PLAYBOOKS) {
    describe(playbook, () => {
      const file = corpus(playbook);

      it('--list-tasks prints what ansible-playbook prints', async () => {
        const expected = ansiblePlaybook(['-i', INVENTORY, file, '--list-tasks']);
        strictEqual(expected.status, 0, expected.stderr);
        const ours = await etcdops(['play', file, '-i', INVENTORY, '--list-tasks']);
        strictEqual(ours.code, 0, ours.stderr);
        strictEqual(ours.stdout, expected.stdout);
      });

      it('a run ends with the recap and exit code ansible-playbook ends with', async () => {
        const expected = ansiblePlaybook(['-i', INVENTORY, file]);
        const ours = await etcdops(['play', file, '-i', INVENTORY, '--output', 'plain']);
        deepStrictEqual(recapOf(ours.stdout), recapOf(expected.stdout), `etcdops:\n${ours.stdout}${ours.stderr}\nansible-playbook:\n${expected.stdout}`);
        strictEqual(ours.code, expected.status);
      });
    });
  }
});
