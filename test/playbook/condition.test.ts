// Table tests for Ansible-style conditions: each expression against variables, and the errors users see.
import assert from 'node:assert/strict';
import { evaluateCondition, evaluateExpression } from '../../src/playbook/condition.js';
import { UserError } from '../../src/errors/user-error.js';

const where = { file: 'site.yml', line: 7, field: 'plays[0].tasks[1].when' };
const vars = {
  flag: true,
  off: false,
  name: 'etcd',
  count: 3,
  empty: [],
  nodes: ['n1', 'n2', 'n3'],
  nested: { a: { b: { c: 42 } }, 'dash-key': 'd' },
  ok: { rc: 0, stdout: 'member is healthy', changed: false, failed: false },
  bad: { rc: 2, stdout: '', stderr: 'boom' },
  changed: { rc: 0, changed: true },
  skipped: { skipped: true, changed: false },
  yes_text: 'yes',
  num_text: '12',
  nothing: null,
};

const table: { expr: string; expected: unknown }[] = [
  { expr: 'flag', expected: true },
  { expr: 'off', expected: false },
  { expr: 'not flag', expected: false },
  { expr: 'not off', expected: true },
  { expr: "name == 'etcd'", expected: true },
  { expr: "name != 'x'", expected: true },
  { expr: 'name == "etcd" and count == 3', expected: true },
  { expr: 'flag and off', expected: false },
  { expr: 'flag or off', expected: true },
  { expr: '(flag or off) and not (count > 5)', expected: true },
  { expr: 'undefined_thing is defined', expected: false },
  { expr: 'undefined_thing is not defined', expected: true },
  { expr: 'name is defined', expected: true },
  { expr: 'nested.a.b.c is defined', expected: true },
  { expr: 'nested.a.x.y is defined', expected: false },
  { expr: 'not undefined_thing is defined', expected: true },
  { expr: 'nothing is defined', expected: true },
  { expr: 'nothing is none', expected: true },
  { expr: 'ok is succeeded', expected: true },
  { expr: 'ok is failed', expected: false },
  { expr: 'bad is failed', expected: true },
  { expr: 'bad is not succeeded', expected: true },
  { expr: 'changed is changed', expected: true },
  { expr: 'ok is changed', expected: false },
  { expr: 'skipped is skipped', expected: true },
  { expr: "'healthy' in ok.stdout", expected: true },
  { expr: "'sick' in ok.stdout", expected: false },
  { expr: "'sick' not in ok.stdout", expected: true },
  { expr: "'n2' in nodes", expected: true },
  { expr: "'n9' not in nodes", expected: true },
  { expr: "'a' in nested", expected: true },
  { expr: 'ok.rc == 0', expected: true },
  { expr: 'bad.rc != 0', expected: true },
  { expr: 'nodes | length > 0', expected: true },
  { expr: 'empty | length > 0', expected: false },
  { expr: 'empty', expected: [] },
  { expr: 'yes_text | bool', expected: true },
  { expr: 'num_text | int + 1', expected: 13 },
  { expr: 'num_text | int > 10', expected: true },
  { expr: 'True and not False', expected: true },
  { expr: 'true == True', expected: true },
  { expr: 'nested.a.b.c == 42', expected: true },
  { expr: "nested['a']['b'].c", expected: 42 },
  { expr: "nested['dash-key']", expected: 'd' },
  { expr: 'nodes[1]', expected: 'n2' },
  { expr: "missing | default('fallback')", expected: 'fallback' },
  { expr: 'nested.a.zz | default(7) == 7', expected: true },
  { expr: "name | upper == 'ETCD'", expected: true },
  { expr: "nodes | join(',')", expected: 'n1,n2,n3' },
  { expr: 'nodes | first', expected: 'n1' },
  { expr: "name ~ '-' ~ count", expected: 'etcd-3' },
  { expr: 'count * 2 - 1', expected: 5 },
  { expr: '{{ count >= 3 }}', expected: true },
  { expr: "'it\\'s' == \"it's\"", expected: true },
  { expr: "'not in' in 'this is not in here'", expected: true },
  { expr: "'and' == name or 'or' == 'or'", expected: true },
  { expr: 'nodes == ["n1", "n2", "n3"]', expected: true },
  { expr: "off is defined and off == 'x'", expected: false },
  { expr: 'undefined_thing is defined and undefined_thing > 1', expected: false },
];

describe('evaluateExpression', () => {
  for (const { expr, expected } of table) {
    it(`${expr} → ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(evaluateExpression(expr, vars, where), expected);
    });
  }
});

describe('evaluateCondition', () => {
  const truthiness: { expr: string; expected: boolean }[] = [
    { expr: 'empty', expected: false },
    { expr: 'nodes', expected: true },
    { expr: "''", expected: false },
    { expr: 'nested', expected: true },
    { expr: '0', expected: false },
    { expr: 'count', expected: true },
  ];
  for (const { expr, expected } of truthiness) {
    it(`${expr} is ${expected} with Python truthiness`, () => {
      assert.equal(evaluateCondition(expr, vars, where), expected);
    });
  }
});

describe('condition errors', () => {
  const errors: { expr: string; message: RegExp }[] = [
    { expr: 'missing_var', message: /undefined variable 'missing_var'/ },
    { expr: 'ok.stdot == ""', message: /undefined variable 'ok.stdot'/ },
    { expr: "nested['a']['nope']", message: /undefined variable 'nested\['a'\]\['nope'\]'/ },
    { expr: 'missing_var == 1 or flag', message: /undefined variable 'missing_var'/ },
    { expr: 'x ==', message: /invalid Jinja syntax error.*in "x =="/ },
    { expr: "name | frobnicate", message: /unknown filter 'frobnicate'/ },
    { expr: 'name is sparkly', message: /unknown test 'sparkly'/ },
    { expr: 'constructor', message: /undefined variable 'constructor'/ },
    { expr: '__proto__', message: /undefined variable '__proto__'/ },
    { expr: 'toString == 1', message: /undefined variable 'toString'/ },
    { expr: 'nested.__proto__', message: /undefined variable 'nested.__proto__'/ },
    { expr: 'nested.constructor', message: /undefined variable 'nested.constructor'/ },
    { expr: 'name is failed', message: /needs a registered task result/ },
    { expr: "'unterminated", message: /unterminated/ },
  ];
  for (const { expr, message } of errors) {
    it(`${expr} → ${message}`, () => {
      assert.throws(() => evaluateExpression(expr, vars, where), (error: unknown) => {
        assert.ok(error instanceof UserError, `not a UserError: ${String(error)}`);
        assert.match(error.message, message);
        assert.match(error.message, /^site\.yml:7 \(plays\[0\]\.tasks\[1\]\.when\): /);
        return true;
      });
    });
  }
});
