// Hot prefixes: key counts and bytes (keys plus values) per prefix at a depth of `/`-separated segments,
// the top ones, and the growth of each prefix since a saved baseline.
import { checkReport, type CheckReport, type Finding } from './check-report.js';
import { formatBytes, formatBytesDelta } from './format-bytes.js';
import type { ScannedKey } from './key-scan.js';
import { Severity } from './severity.js';

export const DEFAULT_PREFIX_DEPTH = 2;
export const DEFAULT_TOP = 10;

export interface PrefixStats {
  readonly prefix: string;
  readonly keys: number;
  /** Bytes of the keys and their values. */
  readonly bytes: number;
}

export interface PrefixGrowth {
  readonly prefix: string;
  readonly keysBefore: number;
  readonly keysAfter: number;
  readonly keysDelta: number;
  readonly bytesBefore: number;
  readonly bytesAfter: number;
  readonly bytesDelta: number;
}

export interface BaselineRef {
  readonly takenAt: string;
  readonly revision: number;
}

export interface PrefixesData {
  readonly depth: number;
  readonly totalKeys: number;
  readonly totalBytes: number;
  readonly prefixCount: number;
  /** The prefixes with the most keys, most first. */
  readonly top: readonly PrefixStats[];
  /** The baseline compared against, when one was given. */
  readonly baseline: BaselineRef | null;
  /** Prefixes that changed since the baseline, most grown first; null without a baseline. */
  readonly growth: readonly PrefixGrowth[] | null;
}

/**
 * The prefix of `key` at `depth` segments: `/app/users/7` at depth 2 is `/app/users/`. A leading `/` does not
 * count as a segment; a key with no more segments than `depth` is its own prefix.
 */
export function prefixOf(key: string, depth: number): string {
  const lead = key.startsWith('/') ? '/' : '';
  const parts = key.slice(lead.length).split('/');
  return parts.length > depth ? `${lead}${parts.slice(0, depth).join('/')}/` : key;
}

export class PrefixCollector {
  private readonly stats = new Map<string, { keys: number; bytes: number }>();

  constructor(readonly depth: number) {}

  add(page: readonly ScannedKey[]): void {
    for (const { key, valueBytes } of page) {
      const prefix = prefixOf(key.toString('utf8'), this.depth);
      const entry = this.stats.get(prefix) ?? { keys: 0, bytes: 0 };
      entry.keys += 1;
      entry.bytes += key.length + valueBytes;
      this.stats.set(prefix, entry);
    }
  }

  /** Every prefix, sorted by name. */
  all(): PrefixStats[] {
    return [...this.stats.entries()].map(([prefix, s]) => ({ prefix, keys: s.keys, bytes: s.bytes })).sort((a, b) => compareText(a.prefix, b.prefix));
  }
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Pure: the `n` prefixes with the most keys (then most bytes, then by name). */
export function topPrefixes(stats: readonly PrefixStats[], n: number): PrefixStats[] {
  return [...stats].sort((a, b) => b.keys - a.keys || b.bytes - a.bytes || compareText(a.prefix, b.prefix)).slice(0, n);
}

/** Pure: per prefix, what changed between the baseline and now; unchanged prefixes are left out. */
export function prefixGrowth(before: readonly PrefixStats[], after: readonly PrefixStats[]): PrefixGrowth[] {
  const old = new Map(before.map((s) => [s.prefix, s]));
  const now = new Map(after.map((s) => [s.prefix, s]));
  const names = new Set([...old.keys(), ...now.keys()]);
  return [...names]
    .map((prefix) => {
      const b = old.get(prefix);
      const a = now.get(prefix);
      const keysBefore = b?.keys ?? 0;
      const keysAfter = a?.keys ?? 0;
      const bytesBefore = b?.bytes ?? 0;
      const bytesAfter = a?.bytes ?? 0;
      return { prefix, keysBefore, keysAfter, keysDelta: keysAfter - keysBefore, bytesBefore, bytesAfter, bytesDelta: bytesAfter - bytesBefore };
    })
    .filter((g) => g.keysDelta !== 0 || g.bytesDelta !== 0)
    .sort((x, y) => y.keysDelta - x.keysDelta || y.bytesDelta - x.bytesDelta || compareText(x.prefix, y.prefix));
}

const signed = (n: number) => `${n > 0 ? '+' : ''}${n}`;

export function describeGrowth(g: PrefixGrowth): string {
  return `${g.prefix}: ${signed(g.keysDelta)} keys (${g.keysBefore} → ${g.keysAfter}), ${formatBytesDelta(g.bytesDelta)}`;
}

/** Pure: prefixes inform; growth is reported, not judged, since what growth is normal depends on the application. */
export function judgePrefixes(
  depth: number,
  stats: readonly PrefixStats[],
  top: number,
  baseline: { readonly ref: BaselineRef; readonly prefixes: readonly PrefixStats[] } | null,
): CheckReport<PrefixesData> {
  const growth = baseline ? prefixGrowth(baseline.prefixes, stats) : null;
  const data: PrefixesData = {
    depth,
    totalKeys: stats.reduce((n, s) => n + s.keys, 0),
    totalBytes: stats.reduce((n, s) => n + s.bytes, 0),
    prefixCount: stats.length,
    top: topPrefixes(stats, top),
    baseline: baseline?.ref ?? null,
    growth,
  };
  const findings: Finding[] = (growth ?? []).map((g) => ({ severity: Severity.INFO, message: describeGrowth(g) }));
  let summary = `${data.totalKeys} keys, ${formatBytes(data.totalBytes)} in ${data.prefixCount} prefix${data.prefixCount === 1 ? '' : 'es'} at depth ${depth}`;
  if (baseline && growth) {
    summary += growth.length === 0 ? `; no change since ${baseline.ref.takenAt}` : `; ${growth.length} prefix${growth.length === 1 ? '' : 'es'} changed since ${baseline.ref.takenAt}`;
  }
  return checkReport(summary, findings, data);
}
