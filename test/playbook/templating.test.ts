// Table tests for templating: native types for single expressions, helpers, and strict undefined errors.
import assert from 'node:assert/strict';
import { renderTemplateFile, renderValue } from '../../src/playbook/templating.js';
import { UserError } from '../../src/errors/user-error.js';

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
  { input: '{{ result.rc }}', expected: 0 },
  { input: '{{ nodes.[1] }}', expected: 'n2' },
  { input: '{{ html }}', expected: '<a & b>' },
  { input: 'x {{ html }} y', expected: 'x <a & b> y' },
  { input: '{{default missing "fallback"}}', expected: 'fallback' },
  { input: '{{default port 1}}', expected: 2379 },
  { input: '{{join nodes ","}}', expected: 'n1,n2' },
  { input: '{{json conf}}', expected: '{"a":1,"b":[true]}' },
  { input: '{{yaml conf}}', expected: 'a: 1\nb:\n  - true' },
  { input: 'a:\n  {{indent multi 2}}', expected: 'a:\n  x\n  y' },
  { input: '{{hostvar "n2" "ansible_host"}}', expected: '10.213.0.12' },
  { input: '{{ groupHosts "etcd" }}', expected: ['n1', 'n2'] },
  { input: '{{#each (groupHosts "etcd")}}{{this}}={{hostvar this "ansible_host"}} {{/each}}', expected: 'n1=10.213.0.11 n2=10.213.0.12 ' },
  { input: '{{#if (eq name "etcd")}}yes{{else}}no{{/if}}', expected: 'yes' },
  { input: '{{#if (ne port 2379)}}yes{{else}}no{{/if}}', expected: 'no' },
  { input: '{{#if (and enabled (not (eq port 1)))}}on{{/if}}', expected: 'on' },
  { input: '{{#if (or false enabled)}}on{{/if}}', expected: 'on' },
  { input: '{{upper name}}-{{lower "ABC"}}', expected: 'ETCD-abc' },
  { input: '{{b64encode name}}', expected: 'ZXRjZA==' },
  { input: "echo {{quote \"it's\"}}", expected: "echo 'it'\\''s'" },
  { input: '{{lookup result "stdout"}}', expected: 'ok' },
  { input: ['{{ port }}', { deep: '{{ name }}-x' }, 5, null], expected: [2379, { deep: 'etcd-x' }, 5, null] },
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
    { input: '{{ port | default(1) }}', message: /invalid template syntax.*Handlebars/ },
    { input: '{{hostvar "n9" "ansible_host"}}', message: /unknown host 'n9'/ },
    { input: '{{groupHosts "web"}}', message: /unknown group 'web'/ },
    { input: '{{join port ","}}', message: /needs a list/ },
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
  it('renders a file without HTML escaping', () => {
    assert.equal(renderTemplateFile('name: {{ name }}\nhtml: {{ html }}\n', vars, 'templates/a.hbs'), 'name: etcd\nhtml: <a & b>\n');
  });
  it('reports an undefined variable at its line in the file', () => {
    assert.throws(() => renderTemplateFile('line one\nport: {{ nope }}\n', vars, 'templates/a.hbs'), /^UserError: templates\/a\.hbs:2:\d+: undefined variable 'nope'/);
  });
});
