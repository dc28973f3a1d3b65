// --fact-cache: gathered facts are kept in Ansible's jsonfile layout (ansible-playbook reads them back), a later
// run sees them through hostvars for a host it does not gather, and an entry older than a day is ignored.
import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPlaybook } from '../../src/executor/run-playbook.js';
import { loadInventory } from '../../src/inventory/load-inventory.js';
import { modules } from '../../src/modules/registry.js';
import { loadPlaybook } from '../../src/playbook/loader.js';
import { MemoryReporter } from '../../src/reporters/memory-reporter.js';

const INVENTORY = fileURLToPath(new URL('../fixtures/executor/inventory.yml', import.meta.url));
const node = hostname();

describe('--fact-cache', function () {
  this.timeout(60_000);
  let scratch: string;
  let cache: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'etcdops-fact-cache-'));
    cache = join(scratch, 'cache');
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  /** Runs one play; returns the debug messages. */
  async function run(play: Record<string, unknown>, factCache?: string): Promise<unknown[]> {
    const file = join(scratch, `play-${Math.random().toString(36).slice(2)}.yml`);
    writeFileSync(file, JSON.stringify([play]));
    const reporter = new MemoryReporter();
    const playbook = await loadPlaybook(file, { modules, extraVars: {} });
    const result = await runPlaybook(playbook, await loadInventory(INVENTORY), { check: false, diff: false, tags: [], skipTags: [], extraVars: {}, forks: 5, reporter, modules, factCache });
    strictEqual(result.exitCode, 0, JSON.stringify(reporter.events.filter((e) => e.event === 'host_result')));
    return reporter.events.flatMap((e) => (e.event === 'host_result' && e.task.startsWith('debug') ? [e.result?.msg] : []));
  }

  const readLocal1 = { hosts: 'local2', gather_facts: false, tasks: [{ debug: { msg: "{{ hostvars['local1'].ansible_hostname | default('none') }} {{ hostvars['local1'].ansible_facts.system | default('none') }}" } }] };

  it('keeps what gathering read, owner-only, for the next run and for ansible-playbook', async () => {
    await run({ hosts: 'local1', tasks: [] }, cache);
    const stored = JSON.parse(readFileSync(join(cache, 'local1'), 'utf8'));
    strictEqual(stored.ansible_hostname, node.split('.')[0]);
    strictEqual(statSync(join(cache, 'local1')).mode & 0o777, 0o600);
    deepStrictEqual(await run(readLocal1, cache), [`${node.split('.')[0]} Linux`]);
    deepStrictEqual(await run(readLocal1), ['none none'], 'without the cache, nothing is known of a host not gathered');

    writeFileSync(join(scratch, 'ansible.yml'), JSON.stringify([{ hosts: 'all', gather_facts: false, tasks: [{ debug: { msg: '{{ ansible_hostname }} {{ ansible_facts.distribution }}' } }] }]));
    const ansible = spawnSync('ansible-playbook', ['-i', 'local1,', '-c', 'local', join(scratch, 'ansible.yml')], {
      encoding: 'utf8',
      env: { ...process.env, ANSIBLE_CACHE_PLUGIN: 'jsonfile', ANSIBLE_CACHE_PLUGIN_CONNECTION: cache, ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_NOCOLOR: '1' },
      cwd: scratch,
    });
    strictEqual(ansible.status, 0, ansible.stdout + ansible.stderr);
    const report = JSON.parse(ansible.stdout);
    strictEqual(report.plays[0].tasks[0].hosts.local1.msg, `${node.split('.')[0]} ${stored.ansible_distribution}`);
  });

  it('ignores an entry older than a day, as Ansible does by default', async () => {
    await run({ hosts: 'local1', tasks: [] }, cache);
    const twoDaysAgo = (Date.now() - 2 * 86_400_000) / 1000;
    utimesSync(join(cache, 'local1'), twoDaysAgo, twoDaysAgo);
    deepStrictEqual(await run(readLocal1, cache), ['none none']);
  });
});
