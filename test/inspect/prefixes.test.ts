import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { judgePrefixes, PrefixCollector, prefixGrowth, prefixOf, topPrefixes, type PrefixStats } from '../../src/inspect/prefixes.js';
import { Severity } from '../../src/inspect/severity.js';

const s = (prefix: string, keys: number, bytes: number): PrefixStats => ({ prefix, keys, bytes });

describe('prefixOf', () => {
  const table: [string, number, string][] = [
    ['/app/users/7', 1, '/app/'],
    ['/app/users/7', 2, '/app/users/'],
    ['/app/users/7', 3, '/app/users/7'],
    ['/app/users/7', 9, '/app/users/7'],
    ['app/users/7', 1, 'app/'],
    ['/app/', 1, '/app/'],
    ['/app', 1, '/app'],
    ['plain', 2, 'plain'],
    ['a//b', 2, 'a//'],
    ['', 1, ''],
  ];
  for (const [key, depth, prefix] of table) it(`${JSON.stringify(key)} at depth ${depth} → ${JSON.stringify(prefix)}`, () => strictEqual(prefixOf(key, depth), prefix));
});

describe('PrefixCollector', () => {
  it('counts keys and key+value bytes per prefix across pages, sorted by name', () => {
    const c = new PrefixCollector(1);
    c.add([{ key: Buffer.from('/b/1'), valueBytes: 10 }, { key: Buffer.from('/a/1'), valueBytes: 1 }]);
    c.add([{ key: Buffer.from('/b/22'), valueBytes: 0 }, { key: Buffer.from('top'), valueBytes: 5 }]);
    deepStrictEqual(c.all(), [s('/a/', 1, 5), s('/b/', 2, 19), s('top', 1, 8)]);
  });
});

describe('topPrefixes', () => {
  const table: { stats: PrefixStats[]; n: number; top: string[] }[] = [
    { stats: [s('a', 1, 9), s('b', 3, 1), s('c', 2, 1)], n: 2, top: ['b', 'c'] },
    { stats: [s('a', 2, 1), s('b', 2, 5), s('c', 2, 5)], n: 3, top: ['b', 'c', 'a'] },
    { stats: [], n: 3, top: [] },
  ];
  for (const row of table) it(`top ${row.n} of ${row.stats.length}`, () => deepStrictEqual(topPrefixes(row.stats, row.n).map((p) => p.prefix), row.top));
});

describe('prefixGrowth', () => {
  const table: { name: string; before: PrefixStats[]; after: PrefixStats[]; growth: [string, number, number, number, number][] }[] = [
    { name: 'nothing changed', before: [s('a', 1, 10)], after: [s('a', 1, 10)], growth: [] },
    { name: 'one prefix grew', before: [s('a', 1, 10), s('b', 5, 50)], after: [s('a', 1, 10), s('b', 8, 80)], growth: [['b', 5, 8, 50, 80]] },
    { name: 'bytes changed, keys not', before: [s('a', 2, 10)], after: [s('a', 2, 30)], growth: [['a', 2, 2, 10, 30]] },
    { name: 'new and vanished prefixes, most grown first', before: [s('gone', 4, 40)], after: [s('new', 3, 30)], growth: [['new', 0, 3, 0, 30], ['gone', 4, 0, 40, 0]] },
  ];
  for (const row of table) {
    it(row.name, () =>
      deepStrictEqual(
        prefixGrowth(row.before, row.after),
        row.growth.map(([prefix, keysBefore, keysAfter, bytesBefore, bytesAfter]) => ({ prefix, keysBefore, keysAfter, keysDelta: keysAfter - keysBefore, bytesBefore, bytesAfter, bytesDelta: bytesAfter - bytesBefore })),
      ));
  }
});

describe('judgePrefixes', () => {
  const stats = [s('/a/', 3, 300), s('/b/', 1, 2048)];
  it('informs without a baseline', () => {
    const report = judgePrefixes(1, stats, 1, null);
    strictEqual(report.severity, Severity.OK);
    strictEqual(report.summary, '4 keys, 2.3 KiB in 2 prefixes at depth 1');
    deepStrictEqual(report.data, { depth: 1, totalKeys: 4, totalBytes: 2348, prefixCount: 2, top: [s('/a/', 3, 300)], baseline: null, growth: null });
  });
  it('reports growth as information', () => {
    const report = judgePrefixes(1, stats, 5, { ref: { takenAt: '2025-01-01T00:00:00.000Z', revision: 9 }, prefixes: [s('/a/', 1, 100), s('/b/', 1, 2048)] });
    strictEqual(report.severity, Severity.INFO);
    strictEqual(report.summary, '4 keys, 2.3 KiB in 2 prefixes at depth 1; 1 prefix changed since 2025-01-01T00:00:00.000Z');
    deepStrictEqual(report.findings, [{ severity: Severity.INFO, message: '/a/: +2 keys (1 → 3), +200 B' }]);
  });
  it('says when nothing changed', () => {
    strictEqual(judgePrefixes(1, stats, 5, { ref: { takenAt: 'T', revision: 9 }, prefixes: stats }).summary, '4 keys, 2.3 KiB in 2 prefixes at depth 1; no change since T');
  });
});
