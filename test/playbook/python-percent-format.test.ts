// The `format` filter is Python's `%` formatting; python3 itself is the oracle for every case, errors included.
import { deepStrictEqual, throws } from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { percentFormat } from '../../src/playbook/python-percent-format.js';

type Case = [string, unknown[]] | [string, Record<string, unknown>];

const cases: Case[] = [
  ['%s-%s', ['a', 1]], ['%5s|%-5s|', ['a', 'b']], ['%.2s', ['abcdef']], ['%r', ['it']], ['%d%%', [50]], ['%d', [3.9]], ['%d', [-3.9]], ['%i %u', [7, 8]],
  ['%05d', [-42]], ['%+d % d', [5, 5]], ['%x %X %#x %#o %o', [255, 255, 255, 8, 8]], ['%08.3f', [3.14159]], ['%.0f', [2.5]], ['%f', [1e20]],
  ['%e', [12345.678]], ['%.0e', [2.5]], ['%.1e', [9.96]], ['%e', [0]], ['%.3e', [1e-310]], ['%.2f', [2.675]], ['%.1f', [0.25]], ['%.3f', [1e22]], ['%e', [1e300]], ['%.2E', [0.000123]], ['%c%c', [65, 'b']], ['%s', [[1, 'a']]], ['%s', [{ a: 1 }]], ['%s %s', [true, null]],
  ['%(a)s and %(b)05d', { a: 'x', b: 42 }], ['%d', ['abc']], ['%s %s', ['only one']], ['%s', ['a', 'b']], ['%(missing)s', { a: 1 }],
  ['100%', []], ['%-6.2f|', [2.345]], ['%#X', [255]], ['%+.1e', [-0.5]],
];

const python = String.raw`
import json, sys
out = []
for fmt, args in json.load(sys.stdin):
    try:
        out.append({'ok': fmt % (args if isinstance(args, dict) else tuple(args))})
    except Exception as e:
        out.append({'error': type(e).__name__})
print(json.dumps(out))
`;

describe('the format filter, with python3 as the oracle', () => {
  it('refuses a conversion etcdops does not do, rather than leaving it in the text', () => {
    throws(() => percentFormat('%g', 1.5), /unsupported format character 'g'/);
  });

  const expected = JSON.parse(execFileSync('python3', ['-c', python], { input: JSON.stringify(cases) }).toString()) as ({ ok: string } | { error: string })[];
  cases.forEach(([format, args], index) => {
    const want = expected[index]!;
    it(`${format} % ${JSON.stringify(args)} → ${'ok' in want ? JSON.stringify(want.ok) : want.error}`, () => {
      let got: { ok: string } | { error: string };
      try {
        got = { ok: Array.isArray(args) ? percentFormat(format, ...args) : percentFormat(format, args) };
      } catch {
        got = { error: 'error' in want ? want.error : 'an error' };
      }
      deepStrictEqual(got, want);
    });
  });
});
