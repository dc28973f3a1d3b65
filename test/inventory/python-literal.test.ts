// INI inventory values are typed as Ansible types them, with Python's ast.literal_eval (text when the value is
// not a Python literal), and host lines are split as Python's shlex splits them. Python itself is the oracle:
// one python3 run evaluates the whole table, so each case is checked against the real thing.
import { deepStrictEqual, throws } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { iniValue } from '../../src/inventory/ini-inventory.js';
import { splitShellWords, ShellWordsError } from '../../src/inventory/shell-words.js';

const values = [
  '5', '-3', '+7', '0', '000', '0123', '1_000', '1__0', '0x1F', '0o17', '0b101', '0X_ff', '1.5', '.5', '5.', '1e3', '1E-2', '1.5e+2', '1_0.2_5', '1.0', '[2.0, 1]', "{'a': -0.0}",
  'True', 'False', 'None', 'true', 'yes', 'no', 'null', 'on',
  '"a b"', "'it''s'", '"a" \'b\'', '"tab\\there"', "'\\x41\\u00e9\\101'", "r'\\x41'", "u'text'", "b'bytes'", '"""triple"""', "'unterminated", '"\\d kept"',
  '[1, 2, 3]', '[1, 2,]', '[]', '()', '(1)', '(1,)', "(1, 'two')", '1, 2', "{'a': 1, 'b': [True, None]}", '{}', "{'a': 1,}", '{1: 2}',
  '[1, [2, [3]]]', "{'k': {'n': -1.5}}",
  'hello', 'hello world', 'a=b', '1 2', '1abc', '1.2.3', '--1', '-True', '1+2', 'f"x"', 'abc()', "['a', b]", '[1, 2', '{1: }',
  '5 # a comment', 'hello # a comment', '# only a comment', '/usr/bin/python3', 'http://example.com/?a=1', '10.0.0.1', '2379:2380', '~/path', '$HOME', '{{ var }}',
  'é', "'é'", '1 if 1 else 0', 'not True', '[*x]', 'Ellipsis',
];

const lines = [
  'a b', 'a#b c', 'x="a b" y', "x='a\\b'", 'x="a\\"b"', 'a \\# b', '"" x=1', 'x=""#c', 'x=a\\ b', "x='a''b'", 'x="say \\\\ \\$HOME"', '  lead  trail  ', 'a\tb',
];

const python = String.raw`
import ast, json, shlex, sys
cases = json.load(sys.stdin)
def whole_float(v):
    if isinstance(v, float):
        return v.is_integer()
    if isinstance(v, (list, tuple, set)):
        return any(whole_float(i) for i in v)
    if isinstance(v, dict):
        return any(whole_float(i) for i in v.values())
    return False
def value(text):
    try:
        v = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    if isinstance(v, bytes):
        return v.decode()
    if whole_float(v):
        return {'whole float': True}
    return v
def split(line):
    try:
        return shlex.split(line, comments=True)
    except ValueError as e:
        return {'error': str(e)}
print(json.dumps({'values': [value(v) for v in cases['values']], 'lines': [split(l) for l in cases['lines']]}))
`;

const isWholeFloat = (value: unknown): boolean => typeof value === 'object' && value !== null && 'whole float' in value;

describe('INI values and host lines, with Python as the oracle', () => {
  const expected = JSON.parse(execFileSync('python3', ['-W', 'ignore', '-c', python], { input: JSON.stringify({ values, lines }) }).toString()) as {
    values: unknown[];
    lines: (string[] | { error: string })[];
  };
  values.forEach((text, index) => {
    const want = expected.values[index];
    const where = { file: 'hosts.ini', line: 3, field: 'x' };
    // A float with no fraction would print as an int here: refused, naming the place, rather than read so.
    if (isWholeFloat(want)) it(`value ${text} is refused`, () => throws(() => iniValue(text, where), /hosts\.ini:3.*x.*nothing after its point/));
    else it(`value ${text}`, () => deepStrictEqual(iniValue(text, where), want));
  });
  lines.forEach((line, index) => {
    it(`host line ${JSON.stringify(line)}`, () => {
      const want = expected.lines[index]!;
      if (Array.isArray(want)) deepStrictEqual(splitShellWords(line), want);
      else deepStrictEqual(() => splitShellWords(line), () => { throw new ShellWordsError(want.error); });
    });
  });
  it('unclosed quotes are refused as shlex refuses them', () => {
    for (const line of ['x="a', "x='a", 'x=a\\']) {
      let message = '';
      try {
        splitShellWords(line);
      } catch (error) {
        message = (error as Error).message;
      }
      deepStrictEqual(/No closing quotation|No escaped character/.test(message), true, line);
    }
  });
});
