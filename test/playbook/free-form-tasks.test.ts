// Tasks written with free-form strings, loaded with the real modules: the arguments each module receives,
// and the refusals (with file:line) of what Ansible refuses or etcdops does not support.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParseError } from '../../src/errors/user-error.js';
import { loadPlaybook } from '../../src/playbook/loader.js';
import { flattenTasks } from '../../src/playbook/playbook.js';
import { modules } from '../../src/modules/registry.js';

const dir = mkdtempSync(join(tmpdir(), 'ff-tasks-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Loads one task (YAML lines below `tasks:`) and gives its arguments, or the ParseError's text. */
async function load(task: string): Promise<Record<string, unknown> | string> {
  const file = join(dir, 'play.yml');
  writeFileSync(file, `- hosts: all\n  gather_facts: false\n  tasks:\n${task.replace(/^/gm, '    ')}\n`);
  try {
    const { plays } = await loadPlaybook(file, { modules });
    return flattenTasks(plays[0]!.tasks)[0]!.args;
  } catch (error) {
    if (error instanceof ParseError) return error.message;
    throw error;
  }
}

describe('free-form task arguments', () => {
  const loaded: { task: string; args: Record<string, unknown> }[] = [
    { task: '- command: /bin/echo hi creates=/etc/hostname', args: { cmd: '/bin/echo hi', creates: '/etc/hostname' } },
    { task: '- command: pwd chdir=/tmp removes=/etc/hostname', args: { cmd: 'pwd', chdir: '/tmp', removes: '/etc/hostname' } },
    { task: '- shell: cat > out stdin="a b" stdin_add_newline=no chdir=/tmp', args: { cmd: 'cat > out', stdin: 'a b', stdin_add_newline: false, chdir: '/tmp' } },
    { task: '- command: /usr/bin/env a=b "creates=/x" printenv a', args: { cmd: '/usr/bin/env a=b "creates=/x" printenv a' } },
    { task: '- ansible.builtin.command: ls {{ dir | quote }} chdir={{ base }}', args: { cmd: 'ls {{ dir | quote }}', chdir: '{{ base }}' } },
    { task: '- command: chdir=/tmp\n  args:\n    cmd: pwd', args: { cmd: 'pwd', chdir: '/tmp' } },
    { task: "- file: path=/x state=touch mode='0600'", args: { path: '/x', state: 'touch', mode: '0600' } },
    { task: '- debug: msg="hello world"', args: { msg: 'hello world' } },
    { task: '- debug: var=hostvars', args: { var: 'hostvars' } },
  ];
  for (const { task, args } of loaded) {
    it(`reads ${JSON.stringify(task)}`, async () => assert.deepEqual(await load(task), args));
  }

  const refused: { task: string; message: RegExp }[] = [
    { task: '- command: echo hi executable=/bin/bash', message: /play\.yml:4:.*unknown argument 'executable' for module command/ },
    { task: '- shell: echo hi strip_empty_ends=no', message: /play\.yml:4:.*unknown argument 'strip_empty_ends' for module shell/ },
    { task: '- command: echo hi warn=false', message: /play\.yml:4:.*unknown argument 'warn'/ },
    { task: '- command: echo "unclosed', message: /play\.yml:4:.*unbalanced jinja2 block or quotes/ },
    { task: '- command: echo hi\n  args:\n    cmd: pwd', message: /play\.yml:4:.*'cmd' under args cannot be used when the command is also given/ },
    { task: '- debug: hello there', message: /play\.yml:4:.*module debug takes key=value arguments, and 'hello there' is not one/ },
    { task: '- file: path=/x stray', message: /play\.yml:4:.*module file takes key=value arguments, and 'stray' is not one/ },
  ];
  for (const { task, message } of refused) {
    it(`refuses ${JSON.stringify(task)}`, async () => assert.match(String(await load(task)), message));
  }
});
