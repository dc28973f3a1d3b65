import { deepStrictEqual, throws } from 'node:assert/strict';
import { ParseError } from '../../src/errors/user-error.js';
import { makeBaseline, parseBaseline } from '../../src/inspect/baseline.js';

describe('parseBaseline', () => {
  const good = makeBaseline(42, 2, [{ prefix: '/a/b/', keys: 3, bytes: 99 }], new Date('2025-05-01T10:00:00Z'));
  it('reads back what was made', () => deepStrictEqual(parseBaseline(JSON.stringify(good), 'b.json'), good));

  const bad: { name: string; text: string; error: RegExp }[] = [
    { name: 'not JSON', text: '{', error: /^b\.json: not JSON/ },
    { name: 'another file', text: JSON.stringify({ ...good, format: 'other' }), error: /^b\.json \(format\): not an inspection baseline: must be equal to constant/ },
    { name: 'a negative count', text: JSON.stringify({ ...good, prefixes: [{ prefix: 'x', keys: -1, bytes: 0 }] }), error: /^b\.json \(prefixes\.0\.keys\): not an inspection baseline: must be >= 0/ },
    { name: 'a missing depth', text: JSON.stringify({ ...good, depth: undefined }), error: /^b\.json: not an inspection baseline: must have required property 'depth'/ },
  ];
  for (const row of bad) it(`refuses ${row.name}`, () => throws(() => parseBaseline(row.text, 'b.json'), (e: unknown) => e instanceof ParseError && row.error.test(e.message)));
});
