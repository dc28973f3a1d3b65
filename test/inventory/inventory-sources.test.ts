// What an `-i` names: a file, a folder read as Ansible reads one (hidden names, group_vars/host_vars and
// Ansible's ignored extensions skipped, sub-folders included, sorted), or a host list; a wrong path is a bad
// option (exit 5), not a parse error.
import { deepStrictEqual, rejects, strictEqual, throws } from 'node:assert';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../../src/errors/exit-code.js';
import { UserError } from '../../src/errors/user-error.js';
import { findInventorySource, isIgnoredInFolder } from '../../src/inventory/inventory-sources.js';
import { loadInventory } from '../../src/inventory/load-inventory.js';

describe('inventory sources', () => {
  let folder: string;
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'etcdops-sources-'));
    for (const name of ['b-hosts', 'a.yml', 'skip.ini', 'notes.txt', 'x.cfg', 'old.bak', 'backup~', '.hidden', 'group_vars/all.yml', 'sub/c.yaml', 'empty/.keep']) {
      await mkdir(join(folder, name, '..'), { recursive: true });
      await writeFile(join(folder, name), '');
    }
  });
  after(async () => rm(folder, { recursive: true, force: true }));

  const ignored: [string, boolean][] = [
    ['hosts', false], ['hosts.yml', false], ['hosts.json', false], ['hosts.ini', true], ['hosts.cfg', true], ['README.md', true], ['notes.txt', true],
    ['x.retry', true], ['x.orig', true], ['x.swp', true], ['x~', true], ['.git', true], ['group_vars', true], ['host_vars', true], ['vars_plugins', true],
  ];
  for (const [name, skip] of ignored) it(`${name} is ${skip ? 'skipped' : 'read'} in a folder`, () => strictEqual(isIgnoredInFolder(name), skip));

  it('a folder lists its files sorted, sub-folders included', () => {
    deepStrictEqual(findInventorySource(folder).files, [join(folder, 'a.yml'), join(folder, 'b-hosts'), join(folder, 'sub', 'c.yaml')]);
    strictEqual(findInventorySource(folder).varsFolder, folder);
  });
  it('a folder with no inventory file is a bad option', () => {
    throws(() => findInventorySource(join(folder, 'empty')), (error: unknown) => error instanceof UserError && error.exitCode === ExitCode.BAD_OPTIONS && /holds no inventory file/.test(error.message));
  });
  it('a missing path is a bad option', async () => {
    await rejects(loadInventory(join(folder, 'nope.yml')), (error: unknown) => error instanceof UserError && error.exitCode === ExitCode.BAD_OPTIONS);
  });
  it('a host list reads hosts and ports into ungrouped', async () => {
    const inventory = await loadInventory('web1, web2:2222,');
    deepStrictEqual(inventory.groups.get('ungrouped')!.hosts, ['web1', 'web2']);
    strictEqual(inventory.hosts.get('web2')!.vars.ansible_port, 2222);
  });
});

describe('the file that stands for a folder inventory', () => {
  it('is a file directly in the folder, so .etcdops/ and relative key paths stay beside it', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'etcdops-primary-'));
    try {
      await mkdir(join(folder, 'a-sub'));
      await writeFile(join(folder, 'a-sub', 'x.yml'), 'all:\n  hosts:\n    h1:\n');
      await writeFile(join(folder, 'hosts'), '[g]\nh2\n');
      strictEqual((await loadInventory(`${folder}/`)).source, join(folder, 'hosts'));
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
  it('an INI file with a YAML extension is read as INI, as Ansible falls back to its ini plugin', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'etcdops-fallback-'));
    try {
      await writeFile(join(folder, 'hosts.yml'), '[etcd]\netcd-1 ansible_port=2222\n');
      strictEqual((await loadInventory(join(folder, 'hosts.yml'))).hosts.get('etcd-1')!.vars.ansible_port, 2222);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
