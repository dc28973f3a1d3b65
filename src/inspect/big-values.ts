// Big values: keys whose value exceeds a threshold, largest first. They slow every read and snapshot and
// count against the request size limit; an accumulator keeps only the largest few while the scan pages by.
import { checkReport, type CheckReport } from './check-report.js';
import { formatBytes } from './format-bytes.js';
import type { ScannedKey } from './key-scan.js';
import { Severity } from './severity.js';

export const DEFAULT_BIG_VALUE_BYTES = 128 * 1024;

export interface BigValue {
  readonly key: string;
  readonly bytes: number;
}

export interface BigValuesData {
  readonly thresholdBytes: number;
  /** Every key above the threshold, counted even when not listed. */
  readonly count: number;
  /** The largest ones, largest first (ties by key). */
  readonly largest: readonly BigValue[];
}

const byLargest = (a: BigValue, b: BigValue) => b.bytes - a.bytes || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export class BigValueCollector {
  private count = 0;
  private largest: BigValue[] = [];

  constructor(
    readonly thresholdBytes: number,
    readonly keep: number,
  ) {}

  add(page: readonly ScannedKey[]): void {
    for (const { key, valueBytes } of page) {
      if (valueBytes <= this.thresholdBytes) continue;
      this.count += 1;
      this.largest.push({ key: key.toString('utf8'), bytes: valueBytes });
    }
    // Trimming per page keeps memory at `keep` entries plus one page.
    this.largest = this.largest.sort(byLargest).slice(0, this.keep);
  }

  data(): BigValuesData {
    return { thresholdBytes: this.thresholdBytes, count: this.count, largest: this.largest };
  }
}

/** Pure: any value above the threshold is a warning, so a cron job hears of it. */
export function judgeBigValues(data: BigValuesData): CheckReport<BigValuesData> {
  const limit = formatBytes(data.thresholdBytes);
  if (data.count === 0) return checkReport(`no value above ${limit}`, [], data);
  const shown = data.largest.length < data.count ? ` (largest ${data.largest.length} listed)` : '';
  return checkReport(
    `${data.count} value${data.count === 1 ? '' : 's'} above ${limit}${shown}`,
    data.largest.map((v) => ({ severity: Severity.WARNING, message: `${v.key}: ${formatBytes(v.bytes)} (${v.bytes} bytes)` })),
    data,
  );
}
