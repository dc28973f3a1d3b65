// Ansible 2.14 play and task keywords, meta actions, Jinja statements and ansible-playbook flags etcdops does
// not implement are refused by name at the line that uses them, with what to write instead: never read as a
// typo, never ignored.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParseError } from '../../src/errors/user-error.js';
import { modules } from '../../src/modules/registry.js';
import { loadPlaybook } from '../../src/playbook/loader.js';
import { etcdops } from '../e2e/etcdops-cli.js';

const play = (keyword: string) => `- hosts: all\n  ${keyword}\n  tasks: []\n`;
const task = (keyword: string) => `- hosts: all\n  tasks:\n    - command: /bin/true\n      ${keyword}\n`;
const meta = (action: string) => `- hosts: all\n  tasks:\n    - meta: ${action}\n`;
const copy = (content: string) => `- hosts: all\n  tasks:\n    - copy:\n        content: ${JSON.stringify(content)}\n        dest: /tmp/x\n`;

describe('loadPlaybook: Ansible keywords and meta actions etcdops does not implement', () => {
  const table: { yaml: string; at: string; hint: RegExp }[] = [
    { yaml: play('order: sorted'), at: ':2:3', hint: /play keyword 'order' is not supported: etcdops runs hosts in inventory order/ },
    { yaml: play('strategy: free'), at: ':2:3', hint: /play keyword 'strategy' is not supported: .*linear.*serial/ },
    { yaml: play('throttle: 1'), at: ':2:3', hint: /play keyword 'throttle' is not supported: use serial .* or --forks/ },
    { yaml: play('force_handlers: true'), at: ':2:3', hint: /play keyword 'force_handlers' is not supported: .*always:/ },
    { yaml: play('ignore_unreachable: true'), at: ':2:3', hint: /play keyword 'ignore_unreachable' is not supported: .*--limit/ },
    { yaml: play('module_defaults: {}'), at: ':2:3', hint: /play keyword 'module_defaults' is not supported: give the arguments on each task/ },
    { yaml: play('vars_prompt: []'), at: ':2:3', hint: /play keyword 'vars_prompt' is not supported: etcdops never prompts; pass the value with -e NAME=VALUE/ },
    { yaml: play('connection: local'), at: ':2:3', hint: /play keyword 'connection' is not supported: set ansible_connection=local/ },
    { yaml: play('check_mode: true'), at: ':2:3', hint: /play keyword 'check_mode' is not supported: run the whole playbook with --check/ },
    { yaml: play('diff: false'), at: ':2:3', hint: /play keyword 'diff' is not supported: pass --diff/ },
    { yaml: task('throttle: 1'), at: ':4:7', hint: /task keyword 'throttle' is not supported: use serial/ },
    { yaml: task('diff: false'), at: ':4:7', hint: /task keyword 'diff' is not supported: diffs are shown for the whole run with --diff/ },
    { yaml: task('async: 10'), at: ':4:7', hint: /task keyword 'async' is not supported: .*timeout/ },
    { yaml: task('connection: local'), at: ':4:7', hint: /task keyword 'connection' is not supported: use delegate_to: localhost/ },
    { yaml: task('with_dict: {a: 1}'), at: ':4:7', hint: /'with_dict' is not supported; write loop: "\{\{ DICT \| dict2items \}\}"/ },
    { yaml: task('with_fileglob: ["*"]'), at: ':4:7', hint: /'with_fileglob' is not supported; build the list with a filter and give it to loop:/ },
    { yaml: task('check_mode: true'), at: ':4:19', hint: /check_mode: true on a task is not supported \(only check_mode: false is\); run the whole playbook with --check/ },
    { yaml: task('toString: 1'), at: ':4:7', hint: /unknown task keyword 'toString'/ },
    { yaml: play('toString: 1'), at: ':2:3', hint: /unknown play keyword 'toString'/ },
    { yaml: meta('end_batch'), at: ':3:13', hint: /meta: end_batch is not supported: .*end_host/ },
    { yaml: meta('clear_host_errors'), at: ':3:13', hint: /meta: clear_host_errors is not supported: .*rescue:/ },
    { yaml: meta('clear_facts'), at: ':3:13', hint: /meta: clear_facts is not supported: .*setup/ },
    { yaml: meta('reset_connection'), at: ':3:13', hint: /meta: reset_connection is not supported/ },
    { yaml: meta('refresh_inventory'), at: ':3:13', hint: /meta: refresh_inventory is not supported: the inventory is read once per run/ },
    { yaml: meta('end_role'), at: ':3:13', hint: /meta: end_role is not supported: end_role does not exist in Ansible 2.14/ },
    { yaml: copy('{% include "part.j2" %}'), at: ':4', hint: /\{% include %\} is not supported: etcdops renders one template at a time/ },
    { yaml: copy('{% import "m.j2" as m %}{{ m.x() }}'), at: ':4', hint: /\{% import %\} is not supported/ },
    { yaml: copy('{% from "m.j2" import x %}{{ x() }}'), at: ':4', hint: /\{% from %\} is not supported/ },
    { yaml: copy('{% extends "base.j2" %}'), at: ':4', hint: /\{% extends %\} is not supported/ },
    { yaml: copy("{% autoescape true %}{{ '<a>' }}{% endautoescape %}"), at: ':4', hint: /\{% autoescape %\} is not supported: Ansible does not HTML-escape/ },
    { yaml: copy("{{ 'a' | lines }}"), at: ':4', hint: /unknown filter 'lines'/ },
    { yaml: copy("{{ 'a' is startingwith('a') }}"), at: ':4', hint: /unknown test 'startingwith'/ },
    { yaml: copy("{{ [1] | map('community.general.nope') | list }}"), at: ':4', hint: /unknown filter 'community.general.nope'/ },
    { yaml: copy("{{ [1] | select('nosuchtest') | list }}"), at: ':4', hint: /unknown test 'nosuchtest'/ },
    { yaml: copy("{{ [{'a': 1}] | selectattr('a', 'nosuchtest', 1) | list }}"), at: ':4', hint: /unknown test 'nosuchtest'/ },
  ];
  let scratch: string;
  before(() => (scratch = mkdtempSync(join(tmpdir(), 'etcdops-unsupported-'))));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  for (const [index, { yaml, at, hint }] of table.entries()) {
    it(`${hint.source}`, async () => {
      const path = join(scratch, `case-${index}.yml`);
      writeFileSync(path, yaml);
      await assert.rejects(loadPlaybook(path, { modules }), (error: unknown) => {
        assert.ok(error instanceof ParseError, `not a ParseError: ${String(error)}`);
        assert.ok(error.message.startsWith(`${path}${at}`), `${error.message} does not start with ${path}${at}`);
        assert.match(error.message, hint);
        return true;
      });
    });
  }
});

describe('play: ansible-playbook flags etcdops does not implement', function () {
  this.timeout(30_000);
  const flags: [string[], RegExp][] = [
    [['--force-handlers'], /--force-handlers is not supported: .*always:/],
    [['--step'], /--step is not supported: .*etcdops plan/],
    [['--start-at-task', 'Some task'], /--start-at-task is not supported: choose the tasks to run with --tags/],
  ];
  for (const [flag, hint] of flags) {
    it(`${flag[0]} exits 5 saying what to use instead`, async () => {
      const result = await etcdops(['play', 'playbooks/site.yml', '-i', 'localhost,', ...flag]);
      assert.equal(result.code, 5, result.stdout + result.stderr);
      assert.match(result.stderr, hint);
    });
  }
});
