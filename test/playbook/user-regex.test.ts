// Regular expressions from playbooks run on text that may come from hosts: a pattern that backtracks without
// end fails within the time limit, naming the pattern (and file:line for a template), while ordinary
// patterns, backreferences, lookarounds and named groups included, give what Python's re gives.
import assert from 'node:assert/strict';
import { evaluateCondition, evaluateExpression } from '../../src/playbook/condition.js';
import { editLineInFile } from '../../src/os/lineinfile-edit.js';
import { editBlockInFile } from '../../src/os/blockinfile-edit.js';

const where = { file: 'site.yml', line: 7 };

describe('playbook regular expressions give what Python re gives', () => {
  // Patterns and texts are variables, so each reaches the filter exactly as written here.
  const rows: { expression: string; vars: Record<string, unknown>; expected: unknown }[] = [
    { expression: "out | regex_search(p, '\\\\g<minor>', '\\\\1')", vars: { out: 'etcd Version: 3.5.17', p: 'Version: (?P<major>\\d+)\\.(?P<minor>\\d+)' }, expected: ['5', '3'] },
    { expression: 'out | regex_search(p)', vars: { out: 'xyz abcabc', p: '(?P<w>abc)(?P=w)' }, expected: 'abcabc' },
    { expression: 'out | regex_search(p)', vars: { out: 'hello', p: '(\\w)\\1' }, expected: 'll' },
    { expression: 'out | regex_search(p)', vars: { out: 'no digits', p: '\\d+' }, expected: null },
    { expression: 'out | regex_findall(p)', vars: { out: 'etcd-1 etcd-2x', p: 'etcd-\\d(?=x)' }, expected: ['etcd-2'] },
    { expression: 'out | regex_findall(p)', vars: { out: 'v3.5 w4', p: '(?<=v)\\d+' }, expected: ['3'] },
    { expression: 'out | regex_findall(p)', vars: { out: 'a=1 b=2', p: '(\\w)=(\\d)' }, expected: [['a', '1'], ['b', '2']] },
    { expression: 'out | regex_findall(p, multiline=True)', vars: { out: 'one\ntwo', p: '^\\w+$' }, expected: ['one', 'two'] },
    { expression: 'out | regex_replace(p, r)', vars: { out: 'key=value', p: '^(?P<k>\\w+)=(?P<v>.*)$', r: '\\g<v>=\\g<k>' }, expected: 'value=key' },
    { expression: 'out | regex_replace(p, r)', vars: { out: 'a1b22', p: '(\\d)\\1?', r: '<\\1>' }, expected: 'a<1>b<2>' },
    { expression: 'out | regex_replace(p, r, ignorecase=True)', vars: { out: 'ETCD etcd', p: 'etcd', r: 'x' }, expected: 'x x' },
    { expression: "names | select('match', p) | list", vars: { names: ['etcd1', 'web1', 'xetcd2'], p: 'etcd\\d' }, expected: ['etcd1'] },
    { expression: "names | select('search', p) | list", vars: { names: ['etcd1', 'web1', 'xetcd2'], p: 'etcd\\d' }, expected: ['etcd1', 'xetcd2'] },
    { expression: "names | reject('regex', p) | list", vars: { names: ['#c', 'key'], p: '^(?!#)\\w' }, expected: ['#c'] },
  ];
  for (const row of rows) {
    it(`${row.expression} with ${JSON.stringify(row.vars)}`, () => assert.deepEqual(evaluateExpression(row.expression, row.vars, where), row.expected));
  }

  const conditions: { condition: string; vars: Record<string, unknown>; expected: boolean }[] = [
    { condition: 'out is match(p)', vars: { out: 'abc', p: 'ab' }, expected: true },
    { condition: 'out is match(p)', vars: { out: 'xabc', p: 'abc' }, expected: false },
    { condition: 'out is match(p, multiline=True)', vars: { out: 'x\nabc', p: '^abc' }, expected: false },
    { condition: 'out is search(p, ignorecase=True)', vars: { out: 'ETCD OK', p: 'etcd\\s+ok' }, expected: true },
    { condition: 'out is regex(p)', vars: { out: 'aa-aa', p: '^(a+)-\\1$' }, expected: true },
    { condition: 'out is not search(p)', vars: { out: 'alarm:NOSPACE', p: '(?<!no)SPACE' }, expected: false },
  ];
  for (const row of conditions) {
    it(`when: ${row.condition} with ${JSON.stringify(row.vars)}`, () => assert.equal(evaluateCondition(row.condition, row.vars, where), row.expected));
  }

  it('lineinfile backrefs with named groups and a lookahead', () => {
    const edit = editLineInFile('debug=off\nport=1\n', { regexp: '^(?P<k>debug)=(?!on)', line: '\\g<k>=on', backrefs: true });
    assert.equal(edit.text, 'debug=on\nport=1\n');
  });
});

describe('a playbook regular expression that backtracks without end fails within the time limit', function () {
  // Each pattern takes seconds or more on these texts with plain backtracking, and hours on a 40-character one.
  this.timeout(4000);
  const hostile = (n: number) => `${'a'.repeat(n)}!`;
  const rows: { name: string; pattern: string; run: (pattern: string) => unknown }[] = [
    { name: 'regex_search', pattern: '(a+)+$', run: (p) => evaluateExpression('out | regex_search(p)', { out: hostile(30), p }, where) },
    { name: 'regex_replace', pattern: '(a+)+b', run: (p) => evaluateExpression("out | regex_replace(p, 'x')", { out: hostile(30), p }, where) },
    { name: 'regex_findall with a backreference', pattern: '(a+)+\\1$', run: (p) => evaluateExpression('out | regex_findall(p)', { out: hostile(27), p }, where) },
    { name: 'match test with ignorecase', pattern: '(a+)+$', run: (p) => evaluateCondition('out is match(p, ignorecase=True)', { out: hostile(26), p }, where) },
    { name: "select('search') with a lookahead", pattern: '(?=a)(a+)+$', run: (p) => evaluateExpression("outs | select('search', p) | list", { outs: [hostile(26)], p }, where) },
    { name: 'failed_when regex test', pattern: '(a+)+$', run: (p) => evaluateCondition('out is regex(p)', { out: hostile(30), p }, where) },
    { name: 'lineinfile regexp', pattern: '^(a+)+$', run: (p) => editLineInFile(`x\n${hostile(30)}\n`, { regexp: p, line: 'y' }) },
    { name: 'blockinfile insertafter', pattern: '(a+)+$', run: (p) => editBlockInFile(`${hostile(30)}\n`, { insertafter: p, block: 'b' }) },
  ];
  for (const row of rows) {
    it(`${row.name}: ${row.pattern}`, () => {
      const started = Date.now();
      assert.throws(
        () => row.run(row.pattern),
        (error: Error) => error.message.includes(JSON.stringify(row.pattern)) && /took longer than \d+ ms/.test(error.message),
      );
      assert.ok(Date.now() - started < 3000, `failed after ${Date.now() - started} ms`);
    });
  }

  it('names the file and line of the template that ran the pattern', () => {
    assert.throws(
      () => evaluateExpression('out | regex_search(p)', { out: hostile(30), p: '(a+)+$' }, where),
      (error: Error) => /^site\.yml:7: .*regex_search: pattern "\(a\+\)\+\$" took longer/.test(error.message),
    );
  });
});
