// Table tests for what Python prints and Python means where the engine differs: float repr, tuples,
// chained comparisons, the sign of `%`, ints past 2**53, and the cases refused because the engine cannot tell them apart.
import assert from 'node:assert/strict';
import { evaluateJinja, renderJinja, testJinja } from '../../src/playbook/jinja-engine.js';
import { pyFloatRepr, pyRepr } from '../../src/playbook/python-values.js';
import { pyTuple } from '../../src/playbook/python-tuples.js';

const where = { file: 'site.yml', line: 3 };
const vars = { d: { b: 1, a: 2 }, l: [1, 2, 3], x: 2, sorted: { x: 1, y: 2 }, unsorted: { y: 2, x: 1 } };

describe('pyFloatRepr', () => {
  const table: [number, string][] = [
    [1e20, '1e+20'], [1e16, '1e+16'], [1e15, '1000000000000000.0'], [0.1 + 0.2, '0.30000000000000004'],
    [10 / 3, '3.3333333333333335'], [-0, '-0.0'], [0, '0.0'], [1, '1.0'], [1e-5, '1e-05'], [0.0001, '0.0001'],
    [-1.5e-7, '-1.5e-07'], [2.5e16, '2.5e+16'], [123456789.123, '123456789.123'], [1e300 * 1e10, 'inf'],
    [-Infinity, '-inf'], [Number.NaN, 'nan'], [1.5e300, '1.5e+300'], [-2.5, '-2.5'],
  ];
  for (const [value, expected] of table) it(`${value} → ${expected}`, () => assert.equal(pyFloatRepr(value), expected));
});

describe('pyRepr of tuples', () => {
  const table: [unknown, string][] = [
    [pyTuple([1, 'a']), "(1, 'a')"], [pyTuple([1]), '(1,)'], [pyTuple([]), '()'], [[pyTuple([1, 2]), [3]], '[(1, 2), [3]]'],
  ];
  for (const [value, expected] of table) it(expected, () => assert.equal(pyRepr(value), expected));
});

describe('templates print and compare as Python', () => {
  const table: [string, string][] = [
    ['{{ d.items() | list }}', "[('b', 1), ('a', 2)]"],
    ['{{ (4, 5) }} {{ (4,) }} {{ () }}', '(4, 5) (4,) ()'],
    ["{{ [1, 2, 3] | zip_longest(['a'], fillvalue={'k': 1}) | list }}", "[(1, 'a'), (2, {'k': 1}), (3, {'k': 1})]"],
    ['{{ [1, 2] | zip(d) | list }}', "[(1, 'b'), (2, 'a')]"],
    ['{{ d | dictsort(false, "value") }}', "[('b', 1), ('a', 2)]"],
    ['{{ [1.0, 2.5][0] }} {{ [1e20, -0.0, 1e-05] }}', '1.0 [1e+20, -0.0, 1e-05]'],
    ['{{ 1 < 7 < 5 }} {{ 2 == 2 == 1 }} {{ 0 < x < 3 }}', 'False False True'],
    ["{{ '12345678901234567890' | int }}", '12345678901234567890'],
    ['{{ 7 % -3 }} {{ -7.5 % 2 }} {{ 7.0 % -3 }} {{ x % -(1 + 2) }} {{ 10 % 4 % 3 }}', '-2 0.5 -2.0 -1 2'],
  ];
  for (const [template, expected] of table) it(template, () => assert.equal(renderJinja(template, vars, where), expected));

  it('a chained comparison in a condition holds only when every pair does', () => {
    assert.equal(testJinja('1 < x < 2', vars, where), false);
    assert.equal(testJinja('1 < x <= 2', vars, where), true);
    assert.throws(() => testJinja("1 < x < '3'", vars, where), /'<' not supported between instances of 'int' and 'str'/);
  });

  it('a whole expression keeps lists, and a tuple as its text', () => {
    assert.deepEqual(evaluateJinja("[1, 2] | zip(['a', 'b']) | list", vars, where), [[1, 'a'], [2, 'b']]);
    assert.equal(evaluateJinja('(4, 5)', vars, where), '(4, 5)');
  });
});

describe('what etcdops cannot tell apart is refused, never guessed', () => {
  const table: [string, RegExp][] = [
    ['{{ (1, 2, 3) }} {{ l }}', /cannot tell whether \[1, 2, 3\] is a list or a tuple/],
    ['{{ (4, 5) | list }}', /cannot tell whether \[4, 5\] is a list or a tuple/],
    ['{{ sorted }} {{ unsorted }}', /two dicts with the same keys \('x', 'y'\) and values, in different key orders/],
    ['{{ 1e20 | int }}', /the integer 100000000000000000000 is larger than etcdops computes with \(64 bits\)/],
    ['{{ [2 ** 60] }}', /the integer 1152921504606846976 is beyond 2\*\*53/],
  ];
  for (const [template, message] of table) it(template, () => assert.throws(() => renderJinja(template, vars, where), message));

  it('two dict literals of one content in two orders are refused by name, and the engine renders on afterwards', () => {
    assert.throws(() => renderJinja("{{ [{'a': 1, 'b': 2}, {'b': 2, 'a': 1}] }}", vars, where), /two dicts with the same keys \('a', 'b'\)/);
    assert.equal(renderJinja("{{ [{'a': 1, 'b': 2}] }}", vars, where), "[{'a': 1, 'b': 2}]");
  });
});
