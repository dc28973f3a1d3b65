// The real Ansible is the oracle: for a fixture with nested groups and vars folders, `etcdops inventory`
// must print what ansible-inventory prints, and every host pattern must select what `ansible` selects.
import { deepStrictEqual, strictEqual } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadInventory } from '../../src/inventory/load-inventory.js';
import { selectHosts } from '../../src/inventory/select-hosts.js';
import type { Inventory } from '../../src/inventory/inventory.js';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('../fixtures/inventories/nested/inventory.yml', import.meta.url));
const cli = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const ansibleEnv = { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_HOST_KEY_CHECKING: 'False', ANSIBLE_LOCALHOST_WARNING: 'False' };

async function ansible(command: string, args: string[], env: Record<string, string> = {}): Promise<{ stdout: string; code: number }> {
  try {
    const { stdout } = await run(command, args, { cwd: tmpdir(), env: { ...ansibleEnv, ...env }, maxBuffer: 64 << 20 });
    return { stdout, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; code: number };
    return { stdout: failed.stdout ?? '', code: failed.code };
  }
}

async function etcdops(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', cli, 'inventory', ...args], { maxBuffer: 64 << 20 });
  return stdout;
}

/** Host names from `ansible --list-hosts` output; ansible exits 1 when nothing matches. */
function listedHosts(output: { stdout: string; code: number }): string[] {
  const lines = output.stdout.split('\n');
  const start = lines.findIndex((line) => /^\s*hosts \(\d+\):$/.test(line));
  if (start < 0) return [];
  return lines.slice(start + 1).map((line) => line.trim()).filter(Boolean);
}

interface PlaybookJson {
  readonly plays: readonly { readonly tasks: readonly { readonly hosts: Record<string, { readonly ansible_play_hosts_all: string[] }> }[] }[];
}

/**
 * The ordered host list of each play, from one ansible-playbook run whose plays only print
 * `ansible_play_hosts_all` on the controller (no host is contacted). A play matching nothing runs no task.
 */
function playHosts(stdout: string): string[][] {
  const result = JSON.parse(stdout) as PlaybookJson;
  return result.plays.map((play) => Object.values(play.tasks[0]?.hosts ?? {})[0]?.ansible_play_hosts_all ?? []);
}

const patterns = [
  'all',
  '*',
  'etcd',
  'web',
  'etcd-1',
  'web:etcd',
  'web,etcd',
  'etcd:&web',
  'etcd:!etcd_dc2',
  'web*',
  'etcd-*',
  '*dc*',
  'web-0?',
  'etcd[0]',
  'etcd[1:2]',
  'etcd[-1]',
  'etcd[2:]',
  '~etcd-[13]',
  '~(web|mon)',
  'web:&canary:!etcd-1',
  '!web',
  '&canary',
  'etcd_learners:monitoring',
  'canary[0],ungrouped',
  'nomatch',
  'nomatch:web-02',
  'localhost',
];

describe('inventory against ansible', function () {
  this.timeout(120_000);
  let inventory: Inventory;
  const expectedPlay = new Map<string, string[]>();
  const expectedLimit = new Map<string, string[]>();

  before(async () => {
    inventory = await loadInventory(fixture);
    const folder = await mkdtemp(join(tmpdir(), 'etcdops-patterns-'));
    try {
      const playbook = join(folder, 'patterns.yml');
      const plays = patterns.map(
        (pattern) =>
          `- hosts: ${JSON.stringify(pattern)}\n  gather_facts: false\n  tasks:\n    - debug: {var: ansible_play_hosts_all}\n      run_once: true\n`,
      );
      await writeFile(playbook, plays.join(''));
      const { stdout, code } = await ansible('ansible-playbook', ['-i', fixture, playbook], { ANSIBLE_STDOUT_CALLBACK: 'json' });
      strictEqual(code, 0);
      const perPlay = playHosts(stdout);
      strictEqual(perPlay.length, patterns.length);
      patterns.forEach((pattern, index) => expectedPlay.set(pattern, perPlay[index]!));
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
    // `--limit` needs one ansible run per pattern; two at a time, as the machine is shared.
    const jobs = patterns.map(
      (pattern) => async () => expectedLimit.set(pattern, listedHosts(await ansible('ansible', ['all', '-i', fixture, '--list-hosts', '--limit', pattern]))),
    );
    const worker = async (): Promise<void> => {
      for (let job = jobs.shift(); job; job = jobs.shift()) await job();
    };
    await Promise.all([worker(), worker()]);
  });

  it('--list equals ansible-inventory --list (hosts, groups and merged vars)', async () => {
    const theirs = await ansible('ansible-inventory', ['-i', fixture, '--list']);
    strictEqual(theirs.code, 0);
    deepStrictEqual(JSON.parse(await etcdops(['-i', fixture, '--list'])), JSON.parse(theirs.stdout));
  });

  it('--graph equals ansible-inventory --graph', async () => {
    const theirs = await ansible('ansible-inventory', ['-i', fixture, '--graph']);
    strictEqual((await etcdops(['-i', fixture, '--graph'])).trim(), theirs.stdout.trim());
  });

  it('--host equals ansible-inventory --host', async () => {
    const theirs = await ansible('ansible-inventory', ['-i', fixture, '--host', 'etcd-3']);
    deepStrictEqual(JSON.parse(await etcdops(['-i', fixture, '--host', 'etcd-3'])), JSON.parse(theirs.stdout));
  });

  it('--limit P --list-hosts prints what ansible all --limit P --list-hosts lists', async () => {
    const theirs = listedHosts(await ansible('ansible', ['all', '-i', fixture, '--list-hosts', '--limit', 'etcd:!etcd-3']));
    const ours = (await etcdops(['-i', fixture, '--limit', 'etcd:!etcd-3', '--list-hosts'])).split('\n').filter(Boolean);
    deepStrictEqual(ours, theirs);
  });

  for (const pattern of patterns) {
    it(`pattern ${pattern} selects the same hosts, in the same order`, () => {
      deepStrictEqual(selectHosts(inventory, pattern), expectedPlay.get(pattern));
      deepStrictEqual(selectHosts(inventory, 'all', { limit: pattern }), expectedLimit.get(pattern));
    });
  }

  it('the fixture exercises the patterns: most select something, some select nothing', () => {
    const sizes = patterns.map((pattern) => expectedPlay.get(pattern)!.length);
    strictEqual(sizes.filter((size) => size > 0).length >= patterns.length - 2, true);
    strictEqual(sizes.includes(0), true);
  });
});
