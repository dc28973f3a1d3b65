// Table tests for templating: the types Ansible's default templating gives, helpers, and strict undefined errors.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderTemplateFile, renderValue } from '../../src/playbook/templating.js';
import { UserError } from '../../src/errors/user-error.js';
import { KNOWN_FILTERS, KNOWN_TESTS } from '../../src/playbook/condition.js';

const where = { file: 'site.yml', line: 12, field: 'plays[0].tasks[2].copy.content' };
const vars = {
  port: 2379,
  enabled: true,
  name: 'etcd',
  html: '<a & b>',
  nodes: ['n1', 'n2'],
  result: { stdout: 'ok', rc: 0 },
  conf: { a: 1, b: [true] },
  multi: 'x\ny',
  hostvars: { n1: { ansible_host: '10.213.0.11' }, n2: { ansible_host: '10.213.0.12' } },
  groups: { etcd: ['n1', 'n2'], all: ['n1', 'n2'] },
};

const table: { input: unknown; expected: unknown }[] = [
  { input: 'no template', expected: 'no template' },
  { input: '{{ port }}', expected: 2379 },
  { input: '{{port}}', expected: 2379 },
  { input: '{{ enabled }}', expected: true },
  { input: '{{ nodes }}', expected: ['n1', 'n2'] },
  { input: '{{ conf }}', expected: { a: 1, b: [true] } },
  { input: 'port={{ port }}', expected: 'port=2379' },
  { input: '{{ result.stdout }}', expected: 'ok' },
  { input: '{{ result.rc }}', expected: '0' },
  { input: '{{ port + 1 }}', expected: '2380' },
  { input: '{{ port | string }}', expected: '2379' },
  { input: '[{{ port }}]', expected: [2379] },
  { input: '{{ "[1, true, null]" }}', expected: [1, true, null] },
  { input: '{{ "True" }}', expected: true },
  { input: '{{ "None" }}', expected: 'None' },
  { input: '{{ none }}', expected: '' },
  { input: '{{ nodes | to_json }}', expected: '["n1", "n2"]' },
  { input: '{{ nodes | to_json | trim }}', expected: ['n1', 'n2'] },
  { input: '{% for n in nodes %}{{ loop.first }}{% endfor %}', expected: 'TrueFalse' },
  { input: '{{ nodes.1 }}', expected: 'n2' },
  { input: '{{ nodes[1] }}', expected: 'n2' },
  { input: '{{ html }}', expected: '<a & b>' },
  { input: 'x {{ html }} y', expected: 'x <a & b> y' },
  { input: '{{ missing | default("fallback") }}', expected: 'fallback' },
  { input: '{{ result.nope.deeper | default("fallback") }}', expected: 'fallback' },
  { input: '{{ port | default(1) }}', expected: '2379' },
  { input: '{{ nodes | join(",") }}', expected: 'n1,n2' },
  { input: '{{ conf | to_json }}', expected: '{"a": 1, "b": [true]}' },
  { input: 'conf={{ conf }} on={{ enabled }} none={{ none }} in-list={{ [none] }}', expected: "conf={'a': 1, 'b': [True]} on=True none= in-list=[None]" },
  { input: '{{ hostvars["n2"].ansible_host }}', expected: '10.213.0.12' },
  { input: '{{ groups.etcd }}', expected: ['n1', 'n2'] },
  { input: '{% for n in groups.etcd %}{{ n }}={{ hostvars[n].ansible_host }} {% endfor %}', expected: 'n1=10.213.0.11 n2=10.213.0.12 ' },
  { input: '{% if name == "etcd" %}yes{% else %}no{% endif %}', expected: 'yes' },
  { input: '{{ "yes" if port != 2379 else "no" }}', expected: 'no' },
  { input: '{{ name | upper }}-{{ "ABC" | lower }}', expected: 'ETCD-abc' },
  { input: '{{ name | b64encode }}', expected: 'ZXRjZA==' },
  { input: '{{ "it\'s" | quote }}', expected: "'it'\"'\"'s'" },
  { input: "echo {{ 'a b' | quote }} {{ name | quote }}", expected: "echo 'a b' etcd" },
  { input: '{{ result["stdout"] }}', expected: 'ok' },
  { input: ['{{ port }}', { deep: '{{ name }}-x' }, 5, null], expected: [2379, { deep: 'etcd-x' }, 5, null] },
  { input: { mode: '{{ missing | default(omit) }}', owner: '{{ name | default(omit) }}' }, expected: { owner: 'etcd' } },
];

describe('renderValue', () => {
  for (const { input, expected } of table) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(renderValue(input, vars, where), expected);
    });
  }
});

describe('template errors', () => {
  const errors: { input: string; message: RegExp }[] = [
    { input: '{{ missing }}', message: /undefined variable 'missing'/ },
    { input: 'x {{ missing }} y', message: /undefined variable 'missing'/ },
    { input: '{{ result.stdot }}', message: /undefined variable 'result.stdot'/ },
    { input: 'rc={{ result.nope }}', message: /undefined variable 'result.nope'/ },
    { input: '{{ hostvars["n9"].ansible_host }}', message: /undefined/ },
    { input: '{{ groups.web }}', message: /undefined variable 'groups.web'/ },
    { input: '{{ port | nosuch }}', message: /unknown filter 'nosuch'/ },
    { input: '{{ port + }}', message: /invalid Jinja syntax error/ },
    { input: '{{ nodes.constructor }}', message: /undefined variable 'nodes.constructor'/ },
    { input: '{{ __proto__ }}', message: /undefined variable '__proto__'/ },
    { input: '{{ toString }}', message: /undefined variable 'toString'/ },
    { input: '{{ conf.constructor.name }}', message: /undefined variable 'conf.constructor.name'/ },
  ];
  for (const { input, message } of errors) {
    it(`${input} → ${message}`, () => {
      assert.throws(() => renderValue(input, vars, where), (error: unknown) => {
        assert.ok(error instanceof UserError);
        assert.match(error.message, message);
        assert.match(error.message, /^site\.yml:12 \(plays\[0\]\.tasks\[2\]\.copy\.content\): /);
        return true;
      });
    });
  }
});

describe('renderTemplateFile', () => {
  it('renders a .hbs file with Handlebars, without HTML escaping', () => {
    assert.equal(renderTemplateFile('name: {{ name }}\nhtml: {{ html }}\n', vars, 'templates/a.hbs'), 'name: etcd\nhtml: <a & b>\n');
  });
  it('reports an undefined variable at its line in the file', () => {
    assert.throws(() => renderTemplateFile('line one\nport: {{ nope }}\n', vars, 'templates/a.hbs'), /^UserError: templates\/a\.hbs:2:\d+: undefined variable 'nope'/);
  });
  it('refuses Jinja statements in a .hbs file instead of copying them as text', () => {
    assert.throws(() => renderTemplateFile('a\n{% if x %}b{% endif %}\n', vars, 'templates/a.hbs'), /^UserError: templates\/a\.hbs:2: '\{%' is Jinja syntax.*rename it to \.j2/);
  });
  it('renders a .j2 file with Jinja: statements, loops, filters, comments and hostvars', () => {
    const text = '{# a comment #}\nnodes:\n{% for n in groups.etcd %}\n  - {{ n }}: {{ hostvars[n].ansible_host }}\n{% endfor %}\n{% if enabled %}\non: {{ enabled }}\n{% endif %}\nname: {{ name | upper }}\n';
    assert.equal(renderTemplateFile(text, vars, 'templates/a.j2'), 'nodes:\n  - n1: 10.213.0.11\n  - n2: 10.213.0.12\non: True\nname: ETCD\n');
  });
  it('reports an undefined variable in a .j2 file at its line', () => {
    assert.throws(() => renderTemplateFile('line one\n{% if enabled %}\nport: {{ nope }}\n{% endif %}\n', vars, 'templates/a.j2'), /^UserError: templates\/a\.j2:3: undefined variable 'nope'/);
  });
});

describe('the filters and tests the loader accepts', () => {
  it('all exist in the engine, so a template the loader passed never fails on an unknown name', () => {
    const unknown: string[] = [];
    const probe = (text: string, name: string) => {
      try {
        renderValue(text, { x: 1 }, where);
      } catch (error) {
        if (/unknown (filter|test)/.test((error as Error).message)) unknown.push(name);
      }
    };
    for (const name of KNOWN_FILTERS) probe(`x={{ x | ${name} }}`, name);
    for (const name of KNOWN_TESTS) probe(`x={{ x is ${name} }}`, name);
    assert.deepEqual(unknown, []);
  });
});

describe('lookups', () => {
  const dir = mkdtempSync(join(tmpdir(), 'etcdops-lookup-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  it("reads files and renders templates relative to playbook_dir, nested in the caller's render", () => {
    writeFileSync(join(dir, 'motd.txt'), 'welcome\n');
    writeFileSync(join(dir, 'inner.j2'), '{% for n in nodes %}{{ n }};{% endfor %}');
    const scope = { ...vars, playbook_dir: dir };
    assert.equal(renderValue("{{ lookup('file', 'motd.txt') }}!", scope, where), 'welcome!');
    assert.equal(renderValue("[{{ lookup('template', 'inner.j2') | upper }}]", scope, where), '[N1;N2;]');
  });
  it('names an unsupported lookup plugin', () => {
    assert.throws(() => renderValue("{{ lookup('pipe', 'id') }}", vars, where), /lookup plugin 'pipe' is not supported/);
  });
});

describe('bounds and recovery', () => {
  it('stops a runaway template quickly with a clear error', () => {
    const started = Date.now();
    assert.throws(() => renderValue('{% for i in range(100000) %}{% for j in range(100000) %}.{% endfor %}{% endfor %}', vars, where), /takes too long to render/);
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });
  it('reports a failing filter and keeps rendering afterwards', () => {
    assert.throws(() => renderValue("{{ 'not json' | from_json }}", vars, where), /from_json: .*JSON/);
    assert.equal(renderValue('{{ name }}-{{ port }}', vars, where), 'etcd-2379');
  });
});

describe('Jinja statements in .j2 files', () => {
  const table: { text: string; expected: string }[] = [
    { text: '{% set greeting %}hi {{ name }}{% endset %}{{ greeting | upper }}', expected: 'HI ETCD' },
    { text: '{% filter upper %}{{ name }}{% endfilter %}', expected: 'ETCD' },
    { text: '{% set ns = namespace(hit=false) %}{% for n in nodes %}{% if n == "n2" %}{% set ns.hit = true %}{% endif %}{% endfor %}{{ ns.hit }}', expected: 'True' },
    { text: '{% for k, v in conf | dictsort %}{{ k }}={{ v }} {% endfor %}', expected: 'a=1 b=[True] ' },
    { text: '{% for n in nodes if n != "n1" %}{{ loop.index }}:{{ n }}{% endfor %}', expected: '1:n2' },
    { text: '{% macro row(k) %}<{{ k }}>{% endmacro %}{{ row(name) }}{{ row("x") }}', expected: '<etcd><x>' },
    { text: '{%- if enabled -%}\n  on\n{%- endif %}', expected: 'on' },
    { text: '{% raw %}{{ kept }}{% endraw %}', expected: '{{ kept }}' },
  ];
  for (const { text, expected } of table) {
    it(`${JSON.stringify(text)} → ${JSON.stringify(expected)}`, () => assert.equal(renderTemplateFile(text, vars, 'templates/t.j2'), expected));
  }
});
