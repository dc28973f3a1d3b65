import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { BigValueCollector, judgeBigValues } from '../../src/inspect/big-values.js';
import type { ScannedKey } from '../../src/inspect/key-scan.js';
import { Severity } from '../../src/inspect/severity.js';

const k = (key: string, valueBytes: number): ScannedKey => ({ key: Buffer.from(key), valueBytes });

describe('big values', () => {
  const table: { name: string; threshold: number; keep: number; pages: ScannedKey[][]; count: number; largest: [string, number][] }[] = [
    { name: 'none above the threshold', threshold: 100, keep: 5, pages: [[k('a', 100), k('b', 3)]], count: 0, largest: [] },
    { name: 'largest first across pages', threshold: 100, keep: 5, pages: [[k('a', 101), k('b', 500)], [k('c', 300), k('d', 1)]], count: 3, largest: [['b', 500], ['c', 300], ['a', 101]] },
    { name: 'ties by key', threshold: 10, keep: 5, pages: [[k('z', 50), k('m', 50)]], count: 2, largest: [['m', 50], ['z', 50]] },
    { name: 'keeps the largest few, counts all', threshold: 10, keep: 2, pages: [[k('a', 20), k('b', 40)], [k('c', 30), k('d', 50)]], count: 4, largest: [['d', 50], ['b', 40]] },
  ];
  for (const row of table) {
    it(row.name, () => {
      const collector = new BigValueCollector(row.threshold, row.keep);
      for (const page of row.pages) collector.add(page);
      deepStrictEqual(collector.data(), { thresholdBytes: row.threshold, count: row.count, largest: row.largest.map(([key, bytes]) => ({ key, bytes })) });
    });
  }

  const verdicts: { name: string; count: number; largest: [string, number][]; severity: Severity; summary: string; messages: string[] }[] = [
    { name: 'no big value is fine', count: 0, largest: [], severity: Severity.OK, summary: 'no value above 128.0 KiB', messages: [] },
    {
      name: 'big values warn, with sizes',
      count: 2,
      largest: [['/b', 307200], ['/a', 204800]],
      severity: Severity.WARNING,
      summary: '2 values above 128.0 KiB',
      messages: ['/b: 300.0 KiB (307200 bytes)', '/a: 200.0 KiB (204800 bytes)'],
    },
    { name: 'says when not all are listed', count: 3, largest: [['/c', 1048576]], severity: Severity.WARNING, summary: '3 values above 128.0 KiB (largest 1 listed)', messages: ['/c: 1.0 MiB (1048576 bytes)'] },
  ];
  for (const row of verdicts) {
    it(row.name, () => {
      const report = judgeBigValues({ thresholdBytes: 131072, count: row.count, largest: row.largest.map(([key, bytes]) => ({ key, bytes })) });
      strictEqual(report.severity, row.severity);
      strictEqual(report.summary, row.summary);
      deepStrictEqual(report.findings.map((f) => f.message), row.messages);
    });
  }
});
