// Host pattern syntax: how patterns split into terms, and which ones are rejected (exit code 5).
import { deepStrictEqual, ok, strictEqual, throws } from 'node:assert';
import { ExitCode } from '../../src/errors/exit-code.js';
import { HostPatternError, parseHostPattern, splitHostPattern } from '../../src/inventory/host-pattern.js';
import { selectHosts } from '../../src/inventory/select-hosts.js';
import type { Inventory } from '../../src/inventory/inventory.js';

const splits: readonly [string, string[]][] = [
  ['web', ['web']],
  ['web:db', ['web', 'db']],
  ['web,db', ['web', 'db']],
  [' web , db[0] ', ['web', 'db[0]']],
  ['web:&db:!web1', ['web', '&db', '!web1']],
  ['node[1:3]', ['node[1:3]']],
  ['web[1:2]:db', ['web[1:2]', 'db']],
  ['host1:22', ['host1:22']],
  ['fe80::1', ['fe80::1']],
  ['10.0.0.1', ['10.0.0.1']],
  ['~(web|db)1', ['~(web|db)1']],
  ['', []],
];

const bad: readonly [string, RegExp][] = [
  ['web:&', /'&' must be followed/],
  ['web,!', /'!' must be followed/],
  ['~(web', /invalid regular expression/],
  ['web[1', /unbalanced/],
  ['web]:db', /unbalanced/],
];

describe('host patterns', () => {
  for (const [pattern, terms] of splits) {
    it(`splits ${JSON.stringify(pattern)}`, () => deepStrictEqual(splitHostPattern(pattern), terms));
  }

  it('evaluates unions, then intersections, then exclusions; only exclusions start from all', () => {
    deepStrictEqual(
      parseHostPattern('!c:&b:a').map((term) => `${term.kind}:${term.text}`),
      ['UNION:a', 'INTERSECTION:b', 'EXCLUSION:c'],
    );
    deepStrictEqual(
      parseHostPattern('!c').map((term) => `${term.kind}:${term.text}`),
      ['UNION:all', 'EXCLUSION:c'],
    );
  });

  it('reads subscripts, including the old [x-y] form', () => {
    deepStrictEqual(parseHostPattern('g[-1]')[0]!.subscript, { start: -1 });
    deepStrictEqual(parseHostPattern('g[2:]')[0]!.subscript, { start: 2, end: -1 });
    deepStrictEqual(parseHostPattern('g[1-3]')[0]!.subscript, { start: 1, end: 3 });
  });

  it('matches wildcards like fnmatch: case-sensitive, whole name, [!x] negated', () => {
    const [term] = parseHostPattern('web-[!2]?');
    deepStrictEqual(['web-1a', 'web-2a', 'WEB-1a', 'web-1ab'].map((name) => term!.matches(name)), [true, false, false, false]);
  });

  for (const [pattern, message] of bad) {
    it(`rejects ${JSON.stringify(pattern)}`, () => {
      throws(() => parseHostPattern(pattern), (error: unknown) => {
        ok(error instanceof HostPatternError);
        strictEqual(error.exitCode, ExitCode.BAD_OPTIONS);
        ok(message.test(error.message), error.message);
        return true;
      });
    });
  }

  it('rejects a single subscript past the end, but not an empty slice', () => {
    const inventory: Inventory = {
      source: 'inline',
      hosts: new Map(['a', 'b'].map((name) => [name, { name, vars: {}, groups: ['all', 'g'] }])),
      groups: new Map([
        ['all', { name: 'all', children: ['g'], hosts: [], vars: {} }],
        ['g', { name: 'g', children: [], hosts: ['a', 'b'], vars: {} }],
      ]),
    };
    throws(() => selectHosts(inventory, 'g[2]'), /no host at index 2/);
    deepStrictEqual(selectHosts(inventory, 'g[-2]'), ['a']);
    deepStrictEqual(selectHosts(inventory, 'g[5:9]'), []);
    deepStrictEqual(selectHosts(inventory, 'missing[3]'), []);
  });
});
