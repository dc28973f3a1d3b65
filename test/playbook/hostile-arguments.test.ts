// Hostile or careless task arguments are refused at load with file:line (relative file paths, non-http
// URLs, URLs and account names that would read as options), and absolute include paths stay absolute.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlaybook } from '../../src/playbook/loader.js';
import { flattenTasks } from '../../src/playbook/playbook.js';
import { modules } from '../../src/modules/registry.js';

const refused: { name: string; task: string; error: RegExp }[] = [
  { name: 'a relative file path', task: 'file: { path: "-rf", state: directory }', error: /:3:\d+.*argument 'path' of module file is not valid \("-rf"\): Absolute path/ },
  { name: 'a relative copy dest', task: 'copy: { content: x, dest: etc/x }', error: /:3:\d+.*'dest' of module copy is not valid/ },
  { name: 'get_url of a local file', task: 'get_url: { url: "file:///etc/shadow", dest: /tmp/s }', error: /:3:\d+.*'url' of module get_url is not valid \("file:\/\/\/etc\/shadow"\): http:\/\/ or https:\/\//s },
  { name: 'get_url of an option', task: 'get_url: { url: "-o/tmp/pwn", dest: /tmp/s }', error: /'url' of module get_url is not valid/ },
  { name: 'a user named like an option', task: 'user: { name: "--help" }', error: /:3:\d+.*'name' of module user is not valid \("--help"\)/ },
  { name: 'a user with a colon', task: 'user: { name: "a:b" }', error: /'name' of module user is not valid/ },
  { name: 'an all-digit user name', task: 'user: { name: "123" }', error: /'name' of module user is not valid/ },
  { name: 'a primary group like an option', task: 'user: { name: etcd, group: "-x" }', error: /'group' of module user is not valid/ },
  { name: 'a group named like an option', task: 'group: { name: "-r" }', error: /'name' of module group is not valid/ },
];

const accepted = [
  'file: { path: /srv/a, state: directory }',
  'file: { path: "{{ base }}/a", state: directory }',
  'get_url: { url: "https://example.invalid/a.tgz", dest: /tmp/a.tgz }',
  'user: { name: etcd, group: "999", groups: [ssl-cert] }',
  'user: { name: "svc.backup$" }',
  'group: { name: etcd_backup }',
];

describe('hostile task arguments at load', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'etcdops-hostile-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const playbook = (task: string): string => {
    const file = join(dir, 'play.yml');
    writeFileSync(file, `- hosts: all\n  tasks:\n    - ${task}\n`);
    return file;
  };

  for (const row of refused) {
    it(`refuses ${row.name}`, async () => {
      await assert.rejects(loadPlaybook(playbook(row.task), { modules }), (error: Error) => {
        assert.match(error.message, row.error);
        return true;
      });
    });
  }
  for (const task of accepted) {
    it(`accepts ${task}`, async () => {
      await loadPlaybook(playbook(task), { modules });
    });
  }

  it('absolute vars_files and import_tasks paths stay absolute', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'etcdops-elsewhere-'));
    try {
      writeFileSync(join(elsewhere, 'vars.yml'), 'from_elsewhere: 42\n');
      writeFileSync(join(elsewhere, 'tasks.yml'), '- name: imported\n  debug: { msg: hi }\n');
      const file = join(dir, 'play.yml');
      writeFileSync(file, `- hosts: all\n  vars_files: [${join(elsewhere, 'vars.yml')}]\n  tasks:\n    - import_tasks: ${join(elsewhere, 'tasks.yml')}\n`);
      const { plays } = await loadPlaybook(file, { modules });
      assert.equal(plays[0]!.vars.from_elsewhere, 42);
      assert.deepEqual(flattenTasks(plays[0]!.tasks).map((t) => t.name), ['imported']);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
