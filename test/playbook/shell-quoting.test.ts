// Values templated into a shell line must go through `| quote` (issue 10: an unquoted etcd_snapshot_kind
// ran `$(...)` on a member). The check is a table here, and every shipped playbook must pass it at load.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { modules } from '../../src/modules/registry.js';
import { loadPlaybook } from '../../src/playbook/loader.js';
import { flattenTasks } from '../../src/playbook/playbook.js';
import { unquotedShellValue } from '../../src/playbook/template-checks.js';

describe('unquoted values in shell lines', () => {
  const table: { line: string; unquoted?: string }[] = [
    { line: 'ls /etc' },
    { line: 'rm -rf {{ dir }}', unquoted: '{{ dir }}' },
    { line: 'rm -rf {{ dir | quote }}' },
    { line: 'rm -rf {{dir|quote}}/x' },
    { line: 'echo {{ a | quote }} {{ b }}', unquoted: '{{ b }}' },
    { line: 'echo {{ name | default("x") | quote }}' },
    { line: 'echo {{ name | quote | upper }}', unquoted: '{{ name | quote | upper }}' },
    { line: 'echo {{ name | quote ~ suffix }}', unquoted: '{{ name | quote ~ suffix }}' },
    { line: 'echo {{ a if c else b | quote }}', unquoted: '{{ a if c else b | quote }}' },
    { line: 'echo {{ (a if c else b) | quote }}' },
    { line: 'echo {{ "|" ~ x }}', unquoted: '{{ "|" ~ x }}' },
    { line: 'for u in {% for u in urls %}{{ u | quote }} {% endfor %}; do :; done' },
    { line: 'for u in {% for u in urls %}{{ u }} {% endfor %}; do :; done', unquoted: '{{ u }}' },
  ];
  for (const { line, unquoted } of table) {
    it(`${line} → ${unquoted ?? 'quoted'}`, () => assert.equal(unquotedShellValue(line), unquoted));
  }
});

describe('shipped playbooks', () => {
  const files = readdirSync('playbooks').filter((f) => f.endsWith('.yml')).map((f) => join('playbooks', f));
  it('are all found', () => assert.ok(files.length >= 10, files.join(' ')));
  for (const file of files) {
    it(`${file} loads: Jinja parses, filters and tests exist, every shell value is quoted`, async () => {
      const playbook = await loadPlaybook(file, { modules });
      const shellTasks = playbook.plays.flatMap((p) => flattenTasks([...p.preTasks, ...p.tasks, ...p.postTasks, ...p.handlers])).filter((t) => t.module === 'shell' || t.module === 'command');
      for (const task of shellTasks) assert.equal(unquotedShellValue(String(task.args.cmd)), undefined, `${task.source.file}:${task.source.line}`);
    });
  }
});
