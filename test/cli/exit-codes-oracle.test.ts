// Exit codes against the real ansible-playbook on the same inventory and playbook: ok, a failed host,
// an unreachable host, and both at once (unreachable wins). Ansible documents 3 for unreachable and
// returns 4; etcdops follows what Ansible does.
import { strictEqual } from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ansiblePlaybook } from './ansible-playbook.js';
import { etcdops } from '../e2e/etcdops-cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/exit-codes/${name}`, import.meta.url));
const INVENTORY = fixture('inventory.yml');
const PLAY = fixture('play.yml');

const cases = [
  { name: 'every host ok', target: 'here', code: 0 },
  { name: 'a host failed', target: 'here', code: 1 },
  { name: 'a host unreachable', target: 'nowhere', code: 0 },
  { name: 'one failed and one unreachable', target: 'all', code: 1 },
] as const;

describe('exit codes, with ansible-playbook as the oracle', function () {
  this.timeout(90_000);
  for (const c of cases) {
    it(c.name, async () => {
      const extra = ['--limit', c.target, '-e', `code=${c.code}`];
      const expected = ansiblePlaybook(['-i', INVENTORY, PLAY, ...extra]).status;
      const ours = await etcdops(['play', PLAY, '-i', INVENTORY, ...extra, '--output', 'plain']);
      strictEqual(ours.code, expected, `ansible-playbook exits ${expected}, etcdops ${ours.code}\n${ours.stdout}${ours.stderr}`);
    });
  }
});
