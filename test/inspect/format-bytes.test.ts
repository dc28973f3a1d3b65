import { strictEqual } from 'node:assert/strict';
import { formatBytes, formatBytesDelta } from '../../src/inspect/format-bytes.js';

describe('formatBytes', () => {
  const table: [number, string][] = [
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [131072, '128.0 KiB'],
    [1536 * 1024, '1.5 MiB'],
    [8 * 1024 ** 3, '8.0 GiB'],
    [-2048, '-2.0 KiB'],
  ];
  for (const [bytes, text] of table) it(`${bytes} → ${text}`, () => strictEqual(formatBytes(bytes), text));
  const deltas: [number, string][] = [
    [0, '0 B'],
    [5, '+5 B'],
    [-5, '-5 B'],
    [2048, '+2.0 KiB'],
  ];
  for (const [bytes, text] of deltas) it(`delta ${bytes} → ${text}`, () => strictEqual(formatBytesDelta(bytes), text));
});
