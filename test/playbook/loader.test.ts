// Loader tests: a good playbook (roles, import_tasks, handlers, vars_files) loads into the expected model,
// and each bad playbook fails with one ParseError naming file:line, the field and a hint.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadPlaybook } from '../../src/playbook/loader.js';
import { flattenTasks } from '../../src/playbook/playbook.js';
import { ParseError } from '../../src/errors/user-error.js';
import { FAKE_MODULES } from './fake-modules.js';

const fixtures = join('test', 'fixtures', 'playbooks');

describe('loadPlaybook: good playbook', () => {
  it('loads plays, roles, imports, handlers and vars files into the model', async () => {
    const good = join(fixtures, 'good');
    const { plays } = await loadPlaybook(join(good, 'site.yml'), { modules: FAKE_MODULES });
    assert.equal(plays.length, 1);
    const play = plays[0]!;
    assert.equal(play.name, 'Web servers');
    assert.equal(play.hosts, 'web:db');
    assert.deepEqual(play.serial, [1, '30%']);
    assert.equal(play.maxFailPercentage, 20);
    assert.equal(play.become, true, 'YAML 1.1 reads `yes` as true, as Ansible does');
    assert.deepEqual(play.vars, { port: 8081, mode_from_play: 'play', owner: 'www', web_user: 'www-data' });
    assert.deepEqual(play.roleDefaults, { listen_port: 80 });

    assert.deepEqual(flattenTasks(play.preTasks).map((t) => [t.name, t.module, t.args, t.register, t.changedWhen]), [
      ['say hello', 'command', { cmd: 'echo hello' }, 'hello', false],
    ]);
    assert.deepEqual(flattenTasks(play.tasks).map((t) => [t.name, t.module, t.when, t.tags, t.source.file]), [
      ['web config', 'template', [], ['web'], join(good, 'roles/web/tasks/main.yml')],
      ['extra file', 'file', ['hello.rc == 0', "owner == 'www'"], ['extra'], join(good, 'tasks/extra.yml')],
      ['make dirs', 'file', [], [], join(good, 'site.yml')],
      ['meta flush_handlers', 'meta', [], [], join(good, 'site.yml')],
    ]);
    const [roleTask, extra, dirs, meta] = flattenTasks(play.tasks);
    assert.deepEqual(roleTask!.vars, { listen_port: 9090 });
    assert.equal(roleTask!.baseDir, join(good, 'roles/web'));
    assert.deepEqual(roleTask!.searchPaths, [join(good, 'roles/web/templates'), join(good, 'roles/web/files')]);
    assert.deepEqual(extra!.args, { path: '/srv/extra', state: 'touch' });
    assert.deepEqual(dirs!.args, { path: '/srv/{{ item }}', state: 'directory', mode: 0o755 });
    assert.deepEqual(dirs!.loop, ['a', 'b']);
    assert.equal(dirs!.loopVar, 'dir');
    assert.deepEqual(dirs!.notify, ['restart web']);
    assert.equal(dirs!.source.line, 25);
    assert.deepEqual(meta!.args, { action: 'flush_handlers' });
    assert.deepEqual(play.handlers.map((h) => [h.name, h.listen, h.args]), [
      ['reload all', ['restart web'], { cmd: 'systemctl daemon-reload' }],
      ['restart web', [], { cmd: 'systemctl restart web' }],
    ]);
  });
});

describe('loadPlaybook: bad playbooks', () => {
  const table: { file: string; at: string; field?: string; hint: RegExp }[] = [
    { file: 'unknown-module.yml', at: ':4:7', field: 'plays[0].tasks[0].fiel', hint: /unknown module 'fiel' \(did you mean 'file'\?\)/ },
    { file: 'unknown-keyword.yml', at: ':6:7', field: 'plays[0].tasks[0].whenn', hint: /unknown task keyword 'whenn' \(did you mean 'when'\?\)/ },
    { file: 'unknown-arg.yml', at: ':5:9', field: 'plays[0].tasks[0].file.modee', hint: /unknown argument 'modee'.*did you mean 'mode'/ },
    { file: 'wrong-arg-type.yml', at: ':4:15', field: 'plays[0].tasks[0].wait_for.port', hint: /must be integer, not string/ },
    { file: 'missing-required.yml', at: ':3:7', field: 'plays[0].tasks[0].template', hint: /missing required argument 'dest'/ },
    { file: 'bad-mode-in-args.yml', at: ':6:16', field: 'plays[0].tasks[0].args.state', hint: /must be one of: file, directory/ },
    { file: 'bad-serial.yml', at: ':2:11', field: 'plays[0].serial', hint: /serial must be a number, a percentage/ },
    { file: 'syntax-error.yml', at: ':5:1', hint: /YAML syntax error/ },
    { file: 'missing-vars-file.yml', at: ':3:7', field: 'plays[0].vars_files[0]', hint: /vars file .*vars\/nope\.yml not found/ },
    { file: 'missing-role.yml', at: ':3:7', field: 'plays[0].roles[0]', hint: /role 'nosuchrole' not found/ },
    { file: 'missing-import.yml', at: ':5:21', field: 'plays[0].tasks[1].import_tasks', hint: /imported task file .*tasks\/missing\.yml not found/ },
    { file: 'bad-when.yml', at: ':5:9', field: 'plays[0].tasks[0].when', hint: /when must be a condition string/ },
    { file: 'bad-condition.yml', at: ':4:13', field: 'plays[0].tasks[0].when', hint: /invalid condition "x =="/ },
    { file: 'unknown-play-keyword.yml', at: ':2:3', field: 'plays[0].serail', hint: /unknown play keyword 'serail' \(did you mean 'serial'\?\)/ },
    { file: 'no-hosts.yml', at: ':1:3', field: 'plays[0]', hint: /a play needs 'hosts:'/ },
    { file: 'unknown-handler.yml', at: ':3:7', hint: /no handler named or listening to 'restart etcd' \(did you mean 'restart etcdd'\?\)/ },
    { file: 'bad-meta.yml', at: ':3:13', field: 'plays[0].tasks[0].meta', hint: /meta must be one of: flush_handlers/ },
    { file: 'two-modules.yml', at: ':4:7', field: 'plays[0].tasks[0].file', hint: /more than one module \(command, file\)/ },
    { file: 'listen-on-task.yml', at: ':4:7', field: 'plays[0].tasks[0].listen', hint: /'listen' is only valid on handlers/ },
    { file: 'not-a-list.yml', at: ':1:1', field: 'plays', hint: /a playbook is a list of plays/ },
    { file: 'unquoted-command.yml', at: ':4:16', field: 'plays[0].tasks[0].command', hint: /\{\{ scratch_dir \}\} is pasted into the shell line unquoted.*write \{\{ scratch_dir \| quote \}\}/ },
    { file: 'unknown-filter.yml', at: ':4:14', field: 'plays[0].tasks[0].debug.msg', hint: /invalid Jinja in "\{\{ name \| frobnicate \}\}": unknown filter 'frobnicate'/ },
    { file: 'unknown-lookup.yml', at: ':4:14', field: 'plays[0].tasks[0].debug.msg', hint: /lookup plugin 'items' is not supported \(supported: env, file, template\)/ },
    { file: 'handlebars-in-arg.yml', at: ':4:14', field: 'plays[0].tasks[0].debug.msg', hint: /invalid Jinja in "\{\{#if flag\}\}on\{\{\/if\}\}"/ },
    { file: 'unknown-test.yml', at: ':4:13', field: 'plays[0].tasks[0].when', hint: /invalid condition "x is sparkly": unknown test 'sparkly'/ },
  ];
  for (const { file, at, field, hint } of table) {
    it(`${file}: ${hint.source}`, async () => {
      const path = join(fixtures, 'bad', file);
      await assert.rejects(loadPlaybook(path, { modules: FAKE_MODULES }), (error: unknown) => {
        assert.ok(error instanceof ParseError, `not a ParseError: ${String(error)}`);
        assert.ok(error.message.startsWith(`${path}${at}`), `${error.message} does not start with ${path}${at}`);
        if (field) assert.ok(error.message.includes(`(${field})`), `${error.message} does not name ${field}`);
        assert.match(error.message, hint);
        return true;
      });
    });
  }
});

describe('loadPlaybook: templates in args skip type checks', () => {
  it("templates a play's hosts from extra vars with Jinja filters", async () => {
    const file = join(fixtures, 'templated-hosts.yml');
    const given = await loadPlaybook(file, { modules: FAKE_MODULES, extraVars: { etcd_group: 'etcd_eu' } });
    assert.equal(given.plays[0]!.hosts, 'etcd_eu');
    const fallback = await loadPlaybook(file, { modules: FAKE_MODULES });
    assert.equal(fallback.plays[0]!.hosts, 'etcd');
  });
  it('accepts a template string where the schema wants an integer', async () => {
    const { plays } = await loadPlaybook(join(fixtures, 'templated-args.yml'), { modules: FAKE_MODULES, extraVars: { target: 'etcd' } });
    assert.equal(plays[0]!.hosts, 'etcd');
    assert.deepEqual(flattenTasks(plays[0]!.tasks)[0]!.args, { port: '{{ etcd_port }}', timeout: 5 });
  });
});
