// setup and gather_facts: gather_subset as Ansible chooses subsets, refusals of subsets etcdops does not
// gather, and the facts gathered on the control node compared with the real `ansible -m setup` there.
import { deepStrictEqual, match, ok, rejects, strictEqual, throws } from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPlaybook } from '../../src/executor/run-playbook.js';
import { loadInventory } from '../../src/inventory/load-inventory.js';
import { modules } from '../../src/modules/registry.js';
import { chooseSubsets, SETUP_FACT_NAMES } from '../../src/modules/setup.js';
import { loadPlaybook } from '../../src/playbook/loader.js';
import { HostStatus } from '../../src/plan/host-status.js';
import { MemoryReporter } from '../../src/reporters/memory-reporter.js';

const INVENTORY = fileURLToPath(new URL('../fixtures/executor/inventory.yml', import.meta.url));

describe('setup: gather_subset', () => {
  const table: [string[], string[]][] = [
    [[], ['min', 'hardware', 'network']],
    [['all'], ['min', 'hardware', 'network']],
    [['min'], ['min']],
    [['!all'], ['min']],
    [['!all', '!min'], []],
    [['network'], ['min', 'network']],
    [['!all', 'hardware'], ['min', 'hardware']],
    [['all', '!network'], ['min', 'hardware']],
    [['!hardware'], ['min']],
    [['!virtual', '!facter'], ['min']],
  ];
  for (const [spec, subsets] of table) {
    it(`${JSON.stringify(spec)} → ${subsets.join(', ') || 'nothing'}`, () => deepStrictEqual(chooseSubsets(spec), subsets));
  }
  it('refuses a subset Ansible has and etcdops does not gather, and an unknown one, saying what exists', () => {
    throws(() => chooseSubsets(['virtual']), /gather_subset "virtual" is an Ansible subset etcdops does not gather; use all, min, hardware or network/);
    throws(() => chooseSubsets(['hardwear']), /bad gather_subset "hardwear": the subsets are all, min, hardware, network/);
  });
});

/** `ansible localhost -c local -m setup` with these module arguments: the facts. */
function ansibleSetup(args: string, options: readonly string[] = []): Record<string, any> {
  const run = spawnSync('ansible', ['localhost', '-c', 'local', '-m', 'setup', '-a', args, ...options], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    cwd: tmpdir(),
    env: { ...process.env, ANSIBLE_LOCALHOST_WARNING: 'false', ANSIBLE_NOCOLOR: '1', ANSIBLE_LOAD_CALLBACK_PLUGINS: '0' },
  });
  strictEqual(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))).ansible_facts;
}

describe('gather_facts on the control node against ansible -m setup', function () {
  this.timeout(120_000);
  let scratch: string;
  before(() => (scratch = mkdtempSync(join(tmpdir(), 'etcdops-setup-'))));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  /** Runs the tasks on local1 (a local connection) with Ansible's default gather_facts; the debug results. */
  async function etcdopsResults(tasks: readonly Record<string, unknown>[], check = false, play: Record<string, unknown> = {}): Promise<Record<string, any>[]> {
    const file = join(scratch, `play-${Math.random().toString(36).slice(2)}.yml`);
    writeFileSync(file, JSON.stringify([{ hosts: 'local1', ...play, tasks }]));
    const inventory = await loadInventory(INVENTORY);
    const playbook = await loadPlaybook(file, { modules, extraVars: {} });
    const reporter = new MemoryReporter();
    const result = await runPlaybook(playbook, inventory, { check, diff: false, tags: [], skipTags: [], extraVars: {}, forks: 5, reporter, modules });
    strictEqual(result.exitCode, 0, JSON.stringify(reporter.events.filter((e) => e.event === 'host_result' && e.status === HostStatus.FAILED)));
    return reporter.events.flatMap((e) => (e.event === 'host_result' && e.task.startsWith('debug') ? [e.result as Record<string, any>] : []));
  }

  it('gathers by default, in check mode too: the same values as Ansible, un-prefixed under ansible_facts', async () => {
    // Other labs on this machine add and remove interfaces and mounts at any moment: lists read by etcdops must
    // hold what both Ansible reads around them hold, and nothing neither holds.
    const theirs = ansibleSetup('');
    const runs = [];
    for (const check of [false, true]) runs.push(await etcdopsResults([{ debug: { var: 'ansible_facts' } }, { debug: { msg: '{{ ansible_hostname }} {{ ansible_distribution }}' } }], check));
    const later = ansibleSetup('');
    for (const [facts, top] of runs) {
      const ours = facts!.ansible_facts as Record<string, any>;
      strictEqual(top!.msg, `${theirs.ansible_hostname} ${theirs.ansible_distribution}`);
      const exact = [
        'hostname', 'fqdn', 'nodename', 'domain', 'distribution', 'distribution_version', 'distribution_major_version',
        'distribution_release', 'os_family', 'system', 'kernel', 'kernel_version', 'architecture', 'machine', 'userspace_architecture',
        'processor_vcpus', 'processor_cores', 'processor_count', 'processor_threads_per_core', 'processor_nproc',
        'memtotal_mb', 'swaptotal_mb', 'default_ipv4', 'default_ipv6', 'service_mgr',
      ];
      for (const name of exact) deepStrictEqual(ours[name], theirs[`ansible_${name}`], name);
      const between = (name: string, list: readonly string[], before: readonly string[], after: readonly string[]) => {
        for (const entry of before.filter((e) => after.includes(e))) ok(list.includes(entry), `${name}: ${entry} missing`);
        for (const entry of list) ok(before.includes(entry) || after.includes(entry), `${name}: ${entry} Ansible never saw`);
      };
      for (const name of ['all_ipv4_addresses', 'all_ipv6_addresses', 'interfaces']) between(name, ours[name], theirs[`ansible_${name}`], later[`ansible_${name}`]);
      ok(Math.abs(ours.memfree_mb - theirs.ansible_memfree_mb) < 1024, 'free memory, read moments apart');
      const mounts = (list: any[]): string[] => list.map((m) => `${m.mount} ${m.device} ${m.fstype} ${m.size_total}`);
      between('mounts', mounts(ours.mounts), mounts(theirs.ansible_mounts), mounts(later.ansible_mounts));
      deepStrictEqual(ours.python, theirs.ansible_python, 'the python Ansible would run');
      strictEqual(ours.python_version, theirs.ansible_python_version);
    }
  });

  it('describes the python ansible_python_interpreter names, as Ansible does', async () => {
    // The versioned name /usr/bin/python3 links to (python3.11 on Debian 12): not what discovery would pick.
    const interpreter = realpathSync('/usr/bin/python3');
    const theirs = ansibleSetup('gather_subset=!all', ['-e', `ansible_python_interpreter=${interpreter}`]);
    const [facts] = await etcdopsResults([{ debug: { var: 'ansible_facts' } }], false, { gather_subset: ['!all'], vars: { ansible_python_interpreter: interpreter } });
    strictEqual(theirs.ansible_python.executable, interpreter, 'the oracle ran the interpreter asked for');
    deepStrictEqual(facts!.ansible_facts.python, theirs.ansible_python);
  });

  it('setup with gather_subset and filter keeps the facts Ansible keeps', async () => {
    for (const args of [{ gather_subset: ['!all'] }, { gather_subset: ['!hardware'] }, { gather_subset: ['!all', 'network'] }, { filter: ['ansible_distribution*', 'ansible_*_mb'] }]) {
      const theirs = ansibleSetup(Object.entries(args).map(([k, v]) => `${k}=${v.join(',')}`).join(' '));
      const [registered] = await etcdopsResults([{ setup: args, register: 'gathered' }, { debug: { var: 'gathered.ansible_facts' } }]);
      // Python is informational (Ansible reports the interpreter it ran with): left out of the comparison.
      const comparable = (names: string[]) => names.filter((n) => !n.startsWith('ansible_python')).sort();
      deepStrictEqual(comparable(Object.keys(registered!['gathered.ansible_facts'])), comparable(SETUP_FACT_NAMES.filter((n) => n in theirs)), JSON.stringify(args));
    }
  });

  it("the play's gather_subset narrows gather_facts as Ansible's does; one etcdops does not gather is refused at load", async () => {
    const theirs = ansibleSetup('gather_subset=!all');
    const [facts] = await etcdopsResults([{ debug: { var: 'ansible_facts' } }], false, { gather_subset: ['!all'] });
    const comparable = (names: string[]) => names.filter((n) => !n.startsWith('ansible_python')).sort();
    deepStrictEqual(comparable(Object.keys(facts!.ansible_facts).map((n) => `ansible_${n}`)), comparable(SETUP_FACT_NAMES.filter((n) => n in theirs)));
    await rejects(etcdopsResults([], false, { gather_subset: 'virtual' }), (error: Error) => {
      match(error.message, /gather_subset "virtual" is an Ansible subset etcdops does not gather/);
      match(error.message, /play-[a-z0-9]+\.yml:\d+/, 'where: the playbook file and line');
      return true;
    });
  });
});
