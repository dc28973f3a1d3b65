import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { judgeHotPrefixes, rankHotPrefixes } from '../../src/inspect/hot-prefixes.js';
import { Severity } from '../../src/inspect/severity.js';

const sample = (seconds: number, counts: [string, number][]) => ({ fromRevision: 10, toRevision: 1010, seconds, counts: new Map(counts) });

describe('rankHotPrefixes', () => {
  const table: { name: string; seconds: number; counts: [string, number][]; top: number; ranked: [string, number, number][] }[] = [
    { name: 'busiest first, one decimal', seconds: 5, counts: [['/app/', 5], ['/hot/spot/', 1003], ['/jobs/', 6]], top: 10, ranked: [['/hot/spot/', 1003, 200.6], ['/jobs/', 6, 1.2], ['/app/', 5, 1]] },
    { name: 'ties by name, cut at top', seconds: 2, counts: [['/b/', 4], ['/a/', 4], ['/c/', 1]], top: 2, ranked: [['/a/', 4, 2], ['/b/', 4, 2]] },
    { name: 'no time, no rate', seconds: 0, counts: [['/a/', 3]], top: 1, ranked: [['/a/', 3, 0]] },
  ];
  for (const row of table) {
    it(row.name, () => deepStrictEqual(rankHotPrefixes(sample(row.seconds, row.counts), row.top).map((p) => [p.prefix, p.writes, p.perSecond]), row.ranked));
  }
});

describe('judgeHotPrefixes', () => {
  it('a prefix above the threshold is a warning naming it', () => {
    const report = judgeHotPrefixes(sample(5, [['/hot/spot/', 1003], ['/app/', 5]]), 2, 10, 100);
    strictEqual(report.severity, Severity.WARNING);
    strictEqual(report.summary, '201.6 writes/s over 5 s; busiest /hot/spot/ at 200.6/s');
    deepStrictEqual(report.findings.map((f) => f.message), ['prefix /hot/spot/ takes 200.6 writes/s, more than 100: find the client writing it (a loop, a missing backoff)']);
  });
  it('below the threshold, and a quiet cluster, are fine', () => {
    strictEqual(judgeHotPrefixes(sample(5, [['/hot/spot/', 1003]]), 2, 10, 250).severity, Severity.OK);
    const quiet = judgeHotPrefixes(sample(5, []), 2, 10, 100);
    deepStrictEqual([quiet.severity, quiet.summary], [Severity.OK, 'no write in 5 s']);
  });
});
