// `serial`: split a play's hosts into rolling batches (numbers or percentages; the last size repeats).

/** Size of one batch from a `serial` entry, for `total` hosts; percentages round down but never below 1. */
function batchSize(entry: number | string, total: number): number {
  if (typeof entry === 'number') return entry <= 0 ? total : entry;
  const percent = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(entry);
  const size = percent ? Math.floor((total * Number(percent[1])) / 100) : Number(entry);
  return Number.isFinite(size) && size > 0 ? size : 1;
}

export function serialBatches<T>(hosts: readonly T[], serial: readonly (number | string)[]): T[][] {
  if (serial.length === 0 || hosts.length === 0) return hosts.length ? [[...hosts]] : [];
  const batches: T[][] = [];
  let start = 0;
  let index = 0;
  while (start < hosts.length) {
    const size = batchSize(serial[Math.min(index, serial.length - 1)]!, hosts.length);
    batches.push(hosts.slice(start, start + size));
    start += size;
    index++;
  }
  return batches;
}
