// A corpus of INI and YAML inventories covering every construct of the Ansible inventory docs (INI host lines
// with key=value and their typing, [g:vars], [g:children] declared before the child, ranges, host:port, `#`
// and `;` comments, [all:vars], ungrouped hosts, group_vars/host_vars; YAML anchors and merge keys; a folder
// mixing INI, YAML and JSON with ignored files; -i given twice; a host list). The real ansible-inventory is
// the oracle: `etcdops inventory --list`, `--graph` and `--host` must print what it prints.
import { deepStrictEqual, ok, strictEqual } from 'node:assert';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Inventory } from '../../src/inventory/inventory.js';
import { renderGraph, toSortedJson } from '../../src/inventory/inventory-views.js';
import { loadInventory } from '../../src/inventory/load-inventory.js';

const run = promisify(execFile);
const fixtures = fileURLToPath(new URL('../fixtures/inventories/', import.meta.url));
const cli = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const ansibleEnv = { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'False', ANSIBLE_INVENTORY_UNPARSED_WARNING: 'False' };

interface Corpus {
  readonly name: string;
  /** The -i values, relative to the fixtures folder (a host list as it is). */
  readonly sources: readonly string[];
  /** Hosts whose --host output is compared (every host's variables are compared through --list). */
  readonly hosts: readonly string[];
  /** A sanity check that the corpus reads what it means to (so a corpus that reads nothing cannot pass). */
  readonly expect: (list: ListJson) => void;
}

type ListJson = Record<string, { hosts?: string[]; children?: string[] }> & { _meta: { hostvars: Record<string, Record<string, unknown>> } };

const corpora: readonly Corpus[] = [
  {
    name: 'INI in the style of the docs, with group_vars and host_vars beside it',
    sources: ['ini-docs/hosts'],
    hosts: ['three.example.com', 'host2'],
    expect: (list) => {
      const three = list._meta.hostvars['three.example.com']!;
      deepStrictEqual([three.port, three.yes_is_text, three.replicas, three.enabled, three.missing], [5432, 'yes', [1, 2, 3], true, null]);
      deepStrictEqual(list.southeast!.children, ['atlanta', 'raleigh', 'later']);
      ok(list.ungrouped!.hosts!.includes('mail.example.com'));
    },
  },
  {
    name: 'a folder of INI, YAML and JSON files, ignored names skipped',
    sources: ['folder'],
    hosts: ['web-1'],
    expect: (list) => {
      strictEqual(list._meta.hostvars['etcd-1']!.role, 'from-folder-group-vars');
      ok(!JSON.stringify(list).includes('not-read'));
    },
  },
  {
    name: '-i given twice: a folder, then an INI file',
    sources: ['folder', 'inventory.ini'],
    hosts: ['etcd-1'],
    expect: (list) => strictEqual(list._meta.hostvars['etcd-1']!.extra, 'from-second-source'),
  },
  {
    name: 'YAML in the style of the docs (anchors, merge keys) and a JSON file, as a folder',
    sources: ['yaml-docs'],
    hosts: ['foo.example.com'],
    expect: (list) => deepStrictEqual(list._meta.hostvars['one.example.com']!.mode, 0o755),
  },
  {
    name: 'the nested YAML fixture and an INI file together',
    sources: ['nested/inventory.yml', 'inventory.ini'],
    hosts: ['etcd-3'],
    expect: (list) => ok(list.etcd!.children!.includes('etcd_dc1')),
  },
  {
    name: 'INI edge cases: [all] and [ungrouped] sections, an empty group, odd names, a second file setting vars',
    sources: ['ini-edge/hosts', 'ini-edge/more'],
    hosts: ['h2'],
    expect: (list) => {
      strictEqual(list._meta.hostvars.h2!.a, 1);
      deepStrictEqual(list._meta.hostvars.w1, { ansible_host: '', x: '' });
    },
  },
  {
    name: 'a host list',
    sources: ['a1,b2:2222,'],
    hosts: ['b2'],
    expect: (list) => strictEqual(list._meta.hostvars.b2!.ansible_port, 2222),
  },
];

function args(corpus: Corpus): string[] {
  return corpus.sources.flatMap((source) => ['-i', source.includes(',') ? source : fixtures + source]);
}

async function ansibleInventory(extra: string[]): Promise<string> {
  const { stdout } = await run('ansible-inventory', extra, { cwd: tmpdir(), env: ansibleEnv, maxBuffer: 64 << 20 });
  return stdout;
}

async function etcdops(extra: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', cli, 'inventory', ...extra], { maxBuffer: 64 << 20 });
  return stdout;
}

/** The same views in this process (the CLI itself is run for --list): it keeps the suite quick. */
async function loaded(corpus: Corpus): Promise<Inventory> {
  return loadInventory(corpus.sources.map((source) => (source.includes(',') ? source : fixtures + source)));
}

describe('inventory corpus against ansible-inventory', function () {
  this.timeout(120_000);
  for (const corpus of corpora) {
    describe(corpus.name, () => {
      it('--list: the same groups, hosts and variables, host by host', async () => {
        const [theirs, ours] = await Promise.all([ansibleInventory([...args(corpus), '--list']), etcdops([...args(corpus), '--list'])]);
        const expected = JSON.parse(theirs) as ListJson;
        const actual = JSON.parse(ours) as ListJson;
        corpus.expect(expected);
        for (const host of Object.keys(expected._meta.hostvars)) deepStrictEqual(actual._meta.hostvars[host], expected._meta.hostvars[host], `variables of ${host}`);
        deepStrictEqual(actual, expected);
      });
      it('--graph: the same tree', async () => {
        const theirs = await ansibleInventory([...args(corpus), '--graph']);
        strictEqual(renderGraph(await loaded(corpus)), theirs.trim());
      });
      for (const host of corpus.hosts) {
        it(`--host ${host}`, async () => {
          const theirs = await ansibleInventory([...args(corpus), '--host', host]);
          deepStrictEqual(JSON.parse(toSortedJson((await loaded(corpus)).hosts.get(host)!.vars)), JSON.parse(theirs));
        });
      }
    });
  }
});
