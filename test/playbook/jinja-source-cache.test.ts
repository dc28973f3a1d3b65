// What templating keeps per text must never serve a stale result: the same expression guarded with other
// locals, as a statement, or with another undefined-variable function is another entry, and rendering the
// same text with other variables renders their values. Each row is asked right after another row of the
// same code, so a key that left one of these inputs out would return the previous row's result.
import { deepStrictEqual, strictEqual, throws } from 'node:assert/strict';
import { guardedCode, inspectTemplate } from '../../src/playbook/jinja-source.js';
import { renderValue } from '../../src/playbook/templating.js';

describe('templating caches', () => {
  const rows: { title: string; code: string; statement: boolean; locals: string[]; undefinedVariable: string; expected: string }[] = [
    {
      title: 'nothing local: both names guarded',
      code: 'x.y ~ z',
      statement: false,
      locals: [],
      undefinedVariable: 'U',
      expected: '(((x.y if (x is defined and x.y is defined) else U("x.y"))) | tojson | __pystr_json) ~ (((z if (z is defined) else U("z"))) | tojson | __pystr_json)',
    },
    {
      title: 'x local: only z guarded',
      code: 'x.y ~ z',
      statement: false,
      locals: ['x'],
      undefinedVariable: 'U',
      expected: '((x.y) | tojson | __pystr_json) ~ (((z if (z is defined) else U("z"))) | tojson | __pystr_json)',
    },
    {
      title: 'another undefined-variable function',
      code: 'x.y ~ z',
      statement: false,
      locals: ['x'],
      undefinedVariable: 'V',
      expected: '((x.y) | tojson | __pystr_json) ~ (((z if (z is defined) else V("z"))) | tojson | __pystr_json)',
    },
    {
      title: 'a for statement: the loop keeps dict order',
      code: 'for k in x.items()',
      statement: true,
      locals: ['k'],
      undefinedVariable: 'U',
      expected: 'for k in (((x if (x is defined) else U("x")) | tojson | __json___dict_items) | __in_order if ((x if (x is defined) else U("x")) | tojson | __json___dict_items) is mapping else ((x if (x is defined) else U("x")) | tojson | __json___dict_items))',
    },
    {
      title: 'the same code as an expression',
      code: 'for k in x.items()',
      statement: false,
      locals: ['k'],
      undefinedVariable: 'U',
      expected: '(for if (for is defined) else U("for")) k in (x if (x is defined) else U("x")) | tojson | __json___dict_items',
    },
  ];
  for (const row of rows) {
    it(row.title, () => {
      const guard = () => guardedCode(row.code, row.statement, new Set(row.locals), row.undefinedVariable);
      strictEqual(guard(), row.expected);
      strictEqual(guard(), row.expected, 'asked again (from the cache)');
    });
  }

  it('renders the same text with each run of variables', () => {
    const where = { file: 'play.yml', line: 1 };
    for (const [vars, expected] of [
      [{ who: 'a', n: 1 }, 'a-1'],
      [{ who: 'b', n: 2 }, 'b-2'],
      [{ who: 'a', n: 1 }, 'a-1'],
    ] as const) {
      strictEqual(renderValue('{{ who }}-{{ n }}', vars, where), expected);
    }
    throws(() => renderValue('{{ who }}-{{ n }}', { who: 'c' }, where), /undefined variable 'n'/);
  });

  it('shares what a template reads frozen, so no caller can change it for the next', () => {
    const facts = inspectTemplate('{{ a.b | default(c) }}');
    deepStrictEqual(facts.filters, ['default']);
    throws(() => (facts.filters as string[]).push('upper'), TypeError);
    deepStrictEqual(inspectTemplate('{{ a.b | default(c) }}').filters, ['default']);
  });
});
