// The commands that only read: doc, --list-hosts, --list-tasks, --syntax-check. None contacts a host.
import { match, strictEqual } from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { etcdops } from '../e2e/etcdops-cli.js';

const path = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const INVENTORY = path('test/fixtures/cli/inventory.yml');
const EXAMPLE = path('playbooks/examples/hello-service.yml');

describe('read-only commands', function () {
  this.timeout(30_000);

  it('doc lists every module with its description', async () => {
    const result = await etcdops(['doc']);
    strictEqual(result.code, 0);
    for (const name of ['command', 'copy', 'file', 'get_url', 'systemd', 'template', 'user', 'wait_for']) {
      match(result.stdout, new RegExp(`^${name} +\\S`, 'm'));
    }
  });

  it('doc MODULE prints the arguments from the schema, the mandatory ones marked, and an example', async () => {
    const result = await etcdops(['doc', 'template']);
    strictEqual(result.code, 0);
    match(result.stdout, /^= dest +\(string\)/m);
    match(result.stdout, /^= src /m);
    match(result.stdout, /^- mode /m);
    match(result.stdout, /EXAMPLE:[\s\S]*template:/);
  });

  it('doc with an unknown module exits 5', async () => {
    const result = await etcdops(['doc', 'nosuch']);
    strictEqual(result.code, 5);
    match(result.stderr, /no module named "nosuch"/);
  });

  it('--list-hosts honours the play pattern and --limit', async () => {
    const result = await etcdops(['play', EXAMPLE, '-i', INVENTORY, '--list-hosts', '--limit', 'a2']);
    strictEqual(result.code, 0, result.stderr);
    match(result.stdout, /hosts \(1\):\n {6}a2\n/);
  });

  it('--list-tasks lists the tasks with their tags, shaped as ansible-playbook lists them', async () => {
    const result = await etcdops(['play', EXAMPLE, '-i', INVENTORY, '--list-tasks']);
    strictEqual(result.code, 0, result.stderr);
    match(result.stdout, /^\nplaybook: .*hello-service\.yml\n\n {2}play #1 \(etcd\): Converge a small heartbeat service\tTAGS: \[\]\n {4}tasks:\n {6}Service group\tTAGS: \[\]\n {6}Service user/);
  });

  it('--syntax-check validates without running', async () => {
    const result = await etcdops(['play', EXAMPLE, '-i', INVENTORY, '--syntax-check']);
    strictEqual(result.code, 0, result.stderr);
    strictEqual(result.stdout, `\nplaybook: ${EXAMPLE}\n`, 'what ansible-playbook --syntax-check prints');
  });
});
