// Hot prefixes: which prefixes take the most writes per second. A watch from the current revision sees
// every put and delete for a window; the window is measured between two revisions read on the same
// member, and only writes between them count, so the rate is what the cluster applied in that time.
import { Range, type Etcd3, type IKeyValue } from 'etcd3';
import { checkReport, type CheckReport, type Finding } from './check-report.js';
import { prefixOf } from './prefixes.js';
import { Severity } from './severity.js';

export const DEFAULT_HOT_WINDOW_SECONDS = 5;
export const DEFAULT_HOT_WRITES_PER_SECOND = 100;
/** After the window, how long the watch may take to deliver the writes up to its closing revision. */
const DRAIN_MS = 3000;

export interface HotPrefix {
  readonly prefix: string;
  /** Puts and deletes seen in the window. */
  readonly writes: number;
  readonly perSecond: number;
}

export interface WriteSample {
  readonly fromRevision: number;
  readonly toRevision: number;
  readonly seconds: number;
  /** Prefix → puts and deletes. */
  readonly counts: ReadonlyMap<string, number>;
}

export interface HotPrefixesData {
  readonly depth: number;
  readonly windowSeconds: number;
  readonly fromRevision: number;
  readonly toRevision: number;
  readonly threshold: number;
  readonly totalPerSecond: number;
  readonly top: readonly HotPrefix[];
}

/** Pure: prefixes by writes per second, busiest first (ties by name), one decimal. */
export function rankHotPrefixes(sample: WriteSample, top: number): HotPrefix[] {
  const rate = (n: number) => (sample.seconds > 0 ? Math.round((n / sample.seconds) * 10) / 10 : 0);
  return [...sample.counts.entries()]
    .map(([prefix, writes]) => ({ prefix, writes, perSecond: rate(writes) }))
    .sort((a, b) => b.writes - a.writes || (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0))
    .slice(0, top);
}

/** Pure: a prefix written faster than the threshold is a warning (one client may be hammering it). */
export function judgeHotPrefixes(sample: WriteSample, depth: number, top: number, threshold: number): CheckReport<HotPrefixesData> {
  const ranked = rankHotPrefixes(sample, top);
  const total = [...sample.counts.values()].reduce((n, c) => n + c, 0);
  const totalPerSecond = sample.seconds > 0 ? Math.round((total / sample.seconds) * 10) / 10 : 0;
  const data = { depth, windowSeconds: Math.round(sample.seconds * 10) / 10, fromRevision: sample.fromRevision, toRevision: sample.toRevision, threshold, totalPerSecond, top: ranked };
  const findings: Finding[] = ranked
    .filter((p) => p.perSecond > threshold)
    .map((p) => ({ severity: Severity.WARNING, message: `prefix ${p.prefix} takes ${p.perSecond} writes/s, more than ${threshold}: find the client writing it (a loop, a missing backoff)` }));
  const busiest = ranked[0];
  const summary = busiest
    ? `${totalPerSecond} writes/s over ${data.windowSeconds} s; busiest ${busiest.prefix} at ${busiest.perSecond}/s`
    : `no write in ${data.windowSeconds} s`;
  return checkReport(summary, findings, data);
}

const revisionOf = async (client: Etcd3) => Number((await client.get('\0').exec()).header.revision);

/** Watches every key for `windowMs` and counts puts and deletes per prefix at `depth`. */
export async function sampleWrites(client: Etcd3, windowMs: number, depth: number): Promise<WriteSample> {
  const counts = new Map<string, number>();
  // Writes that arrive after the window closed are held until the closing revision is known.
  let late: { revision: number; prefix: string }[] | null = null;
  let seen = 0;
  const add = (prefix: string) => counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
  const onWrite = (kv: IKeyValue) => {
    const revision = Number(kv.mod_revision);
    seen = Math.max(seen, revision);
    const prefix = prefixOf(kv.key.toString('utf8'), depth);
    if (late === null) add(prefix);
    else late.push({ revision, prefix });
  };
  const fromRevision = await revisionOf(client);
  seen = fromRevision;
  const started = Date.now();
  const watcher = await client.watch().inRange(new Range(Buffer.from([0]), Buffer.from([0]))).startRevision(String(fromRevision + 1)).create();
  try {
    watcher.on('put', onWrite);
    watcher.on('delete', onWrite);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, windowMs - (Date.now() - started))));
    late = [];
    const toRevision = await revisionOf(client);
    const seconds = (Date.now() - started) / 1000;
    const drainUntil = Date.now() + DRAIN_MS;
    while (seen < toRevision && Date.now() < drainUntil) await new Promise((resolve) => setTimeout(resolve, 20));
    for (const w of late) if (w.revision <= toRevision) add(w.prefix);
    return { fromRevision, toRevision, seconds, counts };
  } finally {
    await watcher.cancel();
  }
}
