// Bad inventories: each must fail with one ParseError (exit code 4) naming the file, the line and the field.
import { ok, rejects, strictEqual } from 'node:assert';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ExitCode } from '../../src/errors/exit-code.js';
import { ParseError } from '../../src/errors/user-error.js';
import { loadInventory } from '../../src/inventory/load-inventory.js';

interface BadCase {
  readonly name: string;
  readonly inventory: string;
  /** Name of the inventory file; `inventory.yml` by default. */
  readonly inventoryFile?: string;
  /** Extra files beside the inventory, by relative path. */
  readonly files?: Readonly<Record<string, string>>;
  /** File (relative) the error must name; the inventory by default. */
  readonly file?: string;
  readonly line: number;
  readonly field?: string;
  readonly says: RegExp;
}

const cases: readonly BadCase[] = [
  { name: 'YAML syntax error', inventory: 'all:\n  hosts:\n    a: [1\n  vars: {}\n', line: 4, says: /YAML syntax error/ },
  { name: 'duplicate key', inventory: 'all:\n  hosts:\n    a:\n    a:\n', line: 3, says: /YAML syntax error.*unique/i },
  { name: 'unknown key in a group', inventory: 'all:\n  children:\n    web:\n      hostz:\n        w1:\n', line: 4, field: 'all.children.web.hostz', says: /unknown key 'hostz' in group 'web'/ },
  { name: 'hosts given as a list', inventory: 'all:\n  hosts:\n    - a\n    - b\n', line: 3, field: 'all.hosts', says: /'hosts' of group 'all' must be a mapping.*not a list/ },
  { name: 'vars given as a list', inventory: 'all:\n  vars:\n    - a: 1\n', line: 3, field: 'all.vars', says: /'vars' of group 'all' must be a mapping/ },
  { name: 'vars given as a string', inventory: 'all:\n  children:\n    db:\n      vars: nope\n', line: 4, field: 'all.children.db.vars', says: /'vars' of group 'db'.*not a string/ },
  { name: 'children given as a list', inventory: 'all:\n  children:\n    - web\n', line: 3, field: 'all.children', says: /'children' of group 'all'/ },
  { name: 'host variables not a mapping', inventory: 'all:\n  hosts:\n    a:\n    b: 5\n', line: 4, field: 'all.hosts.b', says: /variables of host 'b' must be a mapping/ },
  { name: 'group given as a list', inventory: 'all:\n  children:\n    web: [w1]\n', line: 3, field: 'all.children.web', says: /group 'web' must be a mapping/ },
  { name: 'non-integer group priority', inventory: 'all:\n  children:\n    web:\n      vars:\n        ansible_group_priority: high\n', line: 5, field: 'all.children.web.vars.ansible_group_priority', says: /ansible_group_priority must be an integer/ },
  { name: 'numeric host name', inventory: 'all:\n  hosts:\n    web1:\n    10:\n', line: 4, field: 'all.hosts.10', says: /must be a string: put it in quotes/ },
  { name: 'bad host range', inventory: 'all:\n  hosts:\n    node[1:2:3:4]:\n', line: 3, field: 'all.hosts.node[1:2:3:4]', says: /host range must be begin:end/ },
  { name: 'descending alphabetic host range', inventory: 'all:\n  hosts:\n    node[c:a]:\n', line: 3, says: /begin <= end/ },
  { name: 'group nesting loop', inventory: 'all:\n  children:\n    a:\n      children:\n        b:\n          children:\n            a:\n', line: 5, field: 'all.children.a.children.b', says: /creates a loop/ },
  { name: 'plugin configuration', inventory: 'plugin: aws_ec2\n', line: 1, says: /inventory plugin configuration/ },
  { name: 'top level a list', inventory: '- all\n', line: 1, says: /must be a mapping of group names/ },
  { name: 'empty file', inventory: '# nothing\n', line: 1, says: /inventory is empty/ },
  { name: 'group_vars syntax error', inventory: 'all:\n  hosts:\n    a:\n', files: { 'group_vars/all.yml': 'x: 1\ny: [\n' }, file: 'group_vars/all.yml', line: 3, says: /YAML syntax error/ },
  { name: 'INI: [g:vars] for a group never declared', inventoryFile: 'hosts', inventory: '[web:vars]\nx=1\n', line: 1, says: /\[web:vars\] is for a group that is never declared/ },
  { name: 'INI: a child group never declared', inventoryFile: 'hosts', inventory: '[all:children]\nweb\nmissing\n[web]\n', line: 3, says: /names group 'missing', which is never declared/ },
  { name: 'INI: unknown section type', inventoryFile: 'hosts.ini', inventory: '[web]\nw1\n[web:hostz]\n', line: 3, says: /unknown type: hostz/ },
  { name: 'INI: spaces in a section', inventoryFile: 'hosts.ini', inventory: '[web servers]\n', line: 1, says: /invalid section/ },
  { name: 'INI: unclosed quote on a host line', inventoryFile: 'hosts.ini', inventory: '[web]\nw1\nw2 x="unclosed\n', line: 3, says: /No closing quotation/ },
  { name: 'INI: a host variable without =', inventoryFile: 'hosts.ini', inventory: '[web]\nw1 novalue\n', line: 2, says: /expected key=value after host 'w1', got: novalue/ },
  { name: 'INI: a host ending in :', inventoryFile: 'hosts.ini', inventory: '[web]\nw1:\n', line: 2, says: /ends in ':'/ },
  { name: 'INI: a vars line without =', inventoryFile: 'hosts.ini', inventory: '[web]\n[web:vars]\nnovalue\n', line: 3, says: /expected key=value in \[web:vars\]/ },
  { name: 'INI: a bad range', inventoryFile: 'hosts.ini', inventory: '[web]\nn[1:2:3:4]\n', line: 2, says: /host range must be begin:end/ },
  { name: 'INI: a range over the cap', inventoryFile: 'hosts.ini', inventory: '# many\n[web]\nh[1:100000000]\n', line: 3, says: /stands for 100000000 hosts/ },
  { name: 'INI: a group nesting loop', inventoryFile: 'hosts.ini', inventory: '[a:children]\nb\n[b:children]\na\n', line: 4, says: /creates a loop/ },
  { name: 'INI: non-integer group priority', inventoryFile: 'hosts.ini', inventory: '[web]\n[web:vars]\nansible_group_priority=high\n', line: 3, says: /ansible_group_priority of group 'web' must be an integer/ },
  { name: 'a !vault value in a YAML inventory', inventoryFile: 'hosts.yml', inventory: 'all:\n  vars:\n    pw: !vault |\n      $ANSIBLE_VAULT;1.1;AES256\n      3131\n', line: 3, field: 'all.vars.pw', says: /!vault value: etcdops does not decrypt Ansible Vault/ },
  { name: 'TOML inventory', inventoryFile: 'hosts.toml', inventory: '[web.hosts]\n', line: 1, says: /TOML inventories are not supported/ },
  { name: 'a host name climbing out of a folder', inventory: 'all:\n  hosts:\n    ok1:\n    ../../evil:\n', line: 4, says: /host name '\.\.\/\.\.\/evil' holds '\/'.*files named after the host/ },
  { name: 'a host name that is ..', inventory: 'all:\n  hosts:\n    "..":\n', line: 3, says: /host name '\.\.' .*files named after the host/ },
  { name: 'a host name with a newline', inventory: 'all:\n  hosts:\n    "n1\\nExecStartPre=/bin/sh":\n', line: 3, says: /host name 'n1\\nExecStartPre=\/bin\/sh' holds a control character/ },
  { name: 'a host name with a comma', inventory: 'all:\n  hosts:\n    "n1,n2":\n', line: 3, says: /holds ',', which etcd reads as a separator/ },
  { name: 'a host name with a space', inventory: 'all:\n  hosts:\n    "n1 --client admin":\n', line: 3, says: /holds a space/ },
  { name: 'INI: a host name with a slash', inventoryFile: 'hosts.ini', inventory: '[web]\nw1\nw/../../x\n', line: 3, says: /host name 'w\/\.\.\/\.\.\/x' holds '\/'/ },
  { name: 'a ranged host name with a slash', inventory: 'all:\n  hosts:\n    a/n[1:2]:\n', line: 3, says: /host name 'a\/n1' holds '\/'/ },
  { name: 'host_vars file a list', inventory: 'all:\n  hosts:\n    a:\n', files: { 'host_vars/a/10-main.yml': '- x\n' }, file: 'host_vars/a/10-main.yml', line: 1, says: /variables file must be a mapping/ },
];

describe('loadInventory rejects bad inventories with file:line and field', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'etcdops-bad-inventory-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  for (const bad of cases) {
    it(bad.name, async () => {
      const path = join(folder, bad.inventoryFile ?? 'inventory.yml');
      await writeFile(path, bad.inventory);
      for (const [relative, text] of Object.entries(bad.files ?? {})) {
        await mkdir(dirname(join(folder, relative)), { recursive: true });
        await writeFile(join(folder, relative), text);
      }
      await rejects(loadInventory(path), (error: unknown) => {
        ok(error instanceof ParseError, `expected a ParseError, got ${String(error)}`);
        strictEqual(error.exitCode, ExitCode.PARSE_ERROR);
        const file = join(folder, bad.file ?? bad.inventoryFile ?? 'inventory.yml');
        strictEqual(error.where?.file, file);
        strictEqual(error.where?.line, bad.line, error.message);
        ok(error.message.startsWith(`${file}:${bad.line}:`), error.message);
        if (bad.field) strictEqual(error.where?.field, bad.field);
        ok(bad.says.test(error.message), error.message);
        return true;
      });
    });
  }
});
