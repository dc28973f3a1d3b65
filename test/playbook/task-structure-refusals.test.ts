// What of Ansible's task structure etcdops does not do is refused at load, at the line that uses it,
// with what to write instead: never accepted and done differently.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ParseError } from '../../src/errors/user-error.js';
import { modules } from '../../src/modules/registry.js';
import { loadPlaybook } from '../../src/playbook/loader.js';

const fixtures = fileURLToPath(new URL('../fixtures/playbooks/task-structure/', import.meta.url));

describe('loadPlaybook: task structure refused with a way forward', () => {
  const table: { file: string; at: string; hint: RegExp }[] = [
    { file: 'rescue-without-block.yml', at: ':6:7', hint: /'rescue' belongs to a 'block:'/ },
    { file: 'include-apply.yml', at: ':6:9', hint: /include_tasks option 'apply' is not supported; it takes file/ },
    { file: 'templated-role.yml', at: ':5:9', hint: /import_role: a templated role or tasks_from is not supported/ },
    { file: 'old-include.yml', at: ':4:7', hint: /'include' is deprecated.*import_tasks.*include_tasks/ },
    { file: 'loop-control-unknown.yml', at: ':6:21', hint: /loop_control must be a mapping of loop_var, index_var, label, pause, extended/ },
    { file: 'environment-name.yml', at: ':5:20', hint: /environment must be a mapping of environment variable names/ },
    { file: 'missing-tasks-from.yml', at: ':5:9', hint: /role 'withhandlers' has no tasks\/nope\.yml \(tasks_from\)/ },
    { file: 'import-playbook-keyword.yml', at: ':2:3', hint: /'hosts' cannot be used with import_playbook/ },
    { file: 'include-register.yml', at: ':5:7', hint: /'register' cannot be used with include_tasks; allowed: include_tasks, name, when/ },
    { file: 'handler-include.yml', at: ':6:7', hint: /include_tasks is not supported in handlers/ },
    { file: 'handler-rescue.yml', at: ':5:7', hint: /'rescue' and 'always' are not supported in handlers/ },
    { file: 'templated-run-once.yml', at: ':5:17', hint: /run_once must be true or false, written literally.*opposite 'when:' conditions/ },
    { file: 'diff-keyword.yml', at: ':5:7', hint: /task keyword 'diff' is not supported.*--diff/ },
    { file: 'literal-ignore-word.yml', at: ':5:22', hint: /ignore_errors must be true or false, or a template/ },
  ];
  for (const { file, at, hint } of table) {
    it(`${file}: ${hint.source}`, async () => {
      const path = join(fixtures, file);
      await assert.rejects(loadPlaybook(path, { modules }), (error: unknown) => {
        assert.ok(error instanceof ParseError, `not a ParseError: ${String(error)}`);
        assert.ok(error.message.startsWith(`${path}${at}`), `${error.message} does not start with ${path}${at}`);
        assert.match(error.message, hint);
        return true;
      });
    });
  }
});
