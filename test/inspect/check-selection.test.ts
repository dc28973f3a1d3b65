import { deepStrictEqual, throws } from 'node:assert/strict';
import { UserError } from '../../src/errors/user-error.js';
import { selectChecks } from '../../src/inspect/check-selection.js';

const ALL = ['consistency', 'big-values', 'prefixes', 'quota', 'spread', 'hot-prefixes', 'certificates', 'backups', 'versions', 'learners', 'alarms', 'zones'];

describe('selectChecks', () => {
  const table: [string | undefined, string[]][] = [
    [undefined, ALL],
    ['all', ALL],
    ['zones,spread', ['spread', 'zones']],
    ['quota', ['quota']],
    ['quota, consistency,', ['consistency', 'quota']],
    ['prefixes,prefixes', ['prefixes']],
  ];
  for (const [list, checks] of table) it(`${JSON.stringify(list)} → ${checks.join(',')}`, () => deepStrictEqual(selectChecks(list), checks));
  it('names an unknown check and lists the known ones', () =>
    throws(() => selectChecks('quota,hot'), (e: unknown) => e instanceof UserError && /unknown check "hot" \(known: consistency, big-values, prefixes, quota, spread, hot-prefixes, .*, zones\)/.test(e.message)));
});
