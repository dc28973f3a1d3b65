// The engine's own JSON text, read back with what JavaScript numbers lose: a float with no fraction stays a
// float (WholeFloat), an int past 2**53 keeps every digit, mappings arrive as Maps as the engine hands them.
import assert from 'node:assert/strict';
import { readEngineJson } from '../../src/playbook/engine-json.js';
import { renderJinja } from '../../src/playbook/jinja-engine.js';
import { renderValue } from '../../src/playbook/templating.js';
import { pyRepr, WholeFloat } from '../../src/playbook/python-values.js';

const where = { file: 'site.yml', line: 3 };

describe('readEngineJson', () => {
  it('keeps 2.0 a float, 2 an int, 2.5 a number and big ints whole', () => {
    assert.deepEqual(readEngineJson('[2.0,2,2.5,-0.0,1e300,18446744073709551616]'), [new WholeFloat(2), 2, 2.5, new WholeFloat(-0), new WholeFloat(1e300), 18446744073709551616n]);
  });
  it('reads mappings as Maps in their order, strings with escapes, true, false and null', () => {
    assert.deepEqual(readEngineJson(' {"b": [true, false, null], "a": "x\\u003cy\\"\\ud83d\\ude00"} '), new Map<string, unknown>([['b', [true, false, undefined]], ['a', 'x<y"😀']]));
  });
  it('prints as Python prints', () => {
    assert.equal(pyRepr([new WholeFloat(2), new WholeFloat(-0), 18446744073709551616n]), '[2.0, -0.0, 18446744073709551616]');
  });
  it('refuses text that is not one JSON value', () => {
    for (const text of ['[1,', '{"a" 1}', '[1] 2', 'nan']) assert.throws(() => readEngineJson(text), /unreadable value from the template engine/, text);
  });
});

describe('whole floats a template computes', () => {
  const table: [string, string][] = [
    ['{{ [4 / 2] }}', '[2.0]'],
    ["{{ {'a': 3 * 1.0} }}", "{'a': 3.0}"],
    ["{{ (4 / 2) ~ 'x' }}", '2.0x'],
    ['{{ (4 / 2) | string }}', '2.0'],
    ['{{ [4 / 2, 1] | to_json }}', '[2.0, 1]'],
    ['{{ (4 / 2) | type_debug }}', 'float'],
    ['{% for i in [4 / 2, 3] %}{{ i }},{% endfor %}', '2.0,3,'],
    ["{{ [4 / 2] | join('-') }}", '2.0'],
    ['{{ [10 / 5] | to_yaml }}', '[2.0]\n'],
  ];
  for (const [template, expected] of table) it(`${template} → ${expected}`, () => assert.equal(renderJinja(template, {}, where), expected));

  it('a list or dict value holding one is refused, as it would be stored with an int', () => {
    assert.throws(() => renderValue('{{ [4 / 2] }}', {}, where), /holds a float with nothing after its point .* apply '\| int'/);
    assert.deepEqual(renderValue('{{ [4 / 2] | map("int") | list }}', {}, where), [2]);
    assert.deepEqual(renderValue('{{ [2.5, 1] }}', {}, where), [2.5, 1]);
    assert.equal(renderValue('{{ 4 / 2 }}', {}, where), '2.0');
  });

  it("etcdops' filters read it from the engine: printed with its point, refused when handed back inside a value", () => {
    // As ansible-playbook printed them.
    const printed: [string, string][] = [
      ['{{ (4 / 2) | quote }}', '2.0'],
      ['{{ (4 / 2) | b64encode }}', 'Mi4w'],
      ["{{ (4 / 2) | regex_replace('0', 'x') }}", '2.x'],
      ["{{ (4 / 2) | regex_search('[.]0') }}", '.0'],
      ["{{ (4 / 2) | replace('.', ',') }}", '2,0'],
      ["{{ [4 / 2] | map('string') | list }}", "['2.0']"],
      ['{{ [true, 3] | intersect([1]) }}', '[True]'],
    ];
    for (const [template, expected] of printed) assert.equal(renderJinja(template, {}, where), expected, template);
    for (const template of ["{{ {'a': 4 / 2} | combine({'b': 1}) }}", "{{ {'x': 1, 'y': 4 / 2} }}", '{{ dict(a=4 / 2, b=1) }}', "{{ {'a': 4 / 2, 'b': 1}.items() | list }}", '{{ [4 / 2, 1] | union([3]) }}']) {
      assert.throws(() => renderJinja(template, {}, where), /the result holds 2\.0, a float with nothing after its point .* apply '\| int'/, template);
    }
    // Python runs these on text only.
    for (const name of ['basename', 'dirname', 'indent', 'comment']) assert.throws(() => renderJinja(`{{ (4 / 2) | ${name} }}`, {}, where), new RegExp(`${name} needs text, not float`));
  });

  it('from_json and from_yaml refuse a float with no fraction, which would come back as an int', () => {
    assert.throws(() => renderJinja(`{{ '{"a": 1.0}' | from_json }}`, {}, where), /from_json: the JSON holds a float with nothing after its point/);
    assert.throws(() => renderJinja(`{{ 'a: 1.0' | from_yaml }}`, {}, where), /from_yaml.*float 1\.0 has nothing after its point/);
    assert.equal(renderJinja(`{{ '{"a": 1.5, "b": "1.0"}' | from_json }}`, {}, where), "{'a': 1.5, 'b': '1.0'}");
  });
});
