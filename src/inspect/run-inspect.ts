// Runs the chosen checks against a cluster at one revision. The checks are one literal map from name to
// implementation; the keyspace is read once, in pages, for every check that needs it.
import { withAnyEndpoint, type ClusterAccess } from '../etcd/cluster-access.js';
import type { Baseline } from './baseline.js';
import { BigValueCollector, judgeBigValues, type BigValuesData } from './big-values.js';
import { failedCheck, type CheckReport } from './check-report.js';
import { collectHashes, currentRevision, judgeConsistency, type ConsistencyData } from './consistency.js';
import { scanKeys } from './key-scan.js';
import { judgePrefixes, PrefixCollector, type PrefixesData, type PrefixStats } from './prefixes.js';
import { collectQuota, judgeQuota, type QuotaData } from './quota.js';
import { Severity, worstSeverity } from './severity.js';

export interface InspectMember {
  /** Inventory name. */
  readonly name: string;
  readonly endpoint: string;
  readonly quota: { readonly bytes: number; readonly source: 'inventory' | 'default' };
}

export interface InspectOptions {
  readonly checks: readonly CheckName[];
  readonly bigValueBytes: number;
  readonly prefixDepth: number;
  /** How many prefixes and big values to list. */
  readonly top: number;
  readonly quotaWarnPercent: number;
  readonly baseline: Baseline | null;
  /** Keys per page of the scan. */
  readonly pageKeys?: number;
}

interface Context {
  readonly access: ClusterAccess;
  readonly members: readonly InspectMember[];
  readonly options: InspectOptions;
  readonly revision: number;
  /** The keyspace scan, started by the first check that needs it. */
  readonly scan: () => Promise<{ bigValues: BigValuesData; prefixes: PrefixStats[] }>;
}

export const CHECKS = {
  consistency: {
    description: "every member's HashKV at the same revision is equal",
    run: async (ctx: Context): Promise<CheckReport<ConsistencyData>> => judgeConsistency(ctx.revision, await collectHashes(ctx.access, ctx.members, ctx.revision)),
  },
  'big-values': {
    description: 'keys whose value exceeds --big-value-bytes, largest first',
    run: async (ctx: Context): Promise<CheckReport<BigValuesData>> => judgeBigValues((await ctx.scan()).bigValues),
  },
  prefixes: {
    description: 'keys and bytes per prefix at --prefix-depth, and growth since --baseline',
    run: async (ctx: Context): Promise<CheckReport<PrefixesData>> => {
      const base = ctx.options.baseline;
      return judgePrefixes(ctx.options.prefixDepth, (await ctx.scan()).prefixes, ctx.options.top, base && { ref: { takenAt: base.takenAt, revision: base.revision }, prefixes: base.prefixes });
    },
  },
  quota: {
    description: 'per member backend size and size in use against the quota, and alarms',
    run: async (ctx: Context): Promise<CheckReport<QuotaData>> => judgeQuota(await collectQuota(ctx.access, ctx.members), ctx.options.quotaWarnPercent),
  },
} as const;

export type CheckName = keyof typeof CHECKS;
export const CHECK_NAMES = Object.keys(CHECKS) as CheckName[];

export type CheckReports = { readonly [K in CheckName]?: Awaited<ReturnType<(typeof CHECKS)[K]['run']>> | CheckReport<null> };

export interface InspectReport {
  /** The revision every check looked at. */
  readonly revision: number;
  readonly members: readonly string[];
  readonly severity: Severity;
  readonly checkedAt: string;
  readonly durationMs: number;
  readonly checks: CheckReports;
}

export interface InspectResult {
  readonly report: InspectReport;
  /** Every prefix's figures at the report's revision (for a new baseline), when the prefixes were counted. */
  readonly prefixStats: readonly PrefixStats[] | null;
}

export async function runInspect(access: ClusterAccess, members: readonly InspectMember[], options: InspectOptions): Promise<InspectResult> {
  const started = Date.now();
  const revision = await currentRevision(access);
  let scanned: ReturnType<Context['scan']> | undefined;
  const scan = () =>
    (scanned ??= withAnyEndpoint(access, async (client) => {
      const big = new BigValueCollector(options.bigValueBytes, options.top);
      const prefixes = new PrefixCollector(options.prefixDepth);
      await scanKeys(client, revision, (page) => {
        big.add(page);
        prefixes.add(page);
      }, options.pageKeys);
      return { bigValues: big.data(), prefixes: prefixes.all() };
    }));
  const ctx: Context = { access, members, options, revision, scan };
  const entries = await Promise.all(
    options.checks.map(async (name) => {
      try {
        return [name, await CHECKS[name].run(ctx)] as const;
      } catch (error) {
        return [name, failedCheck((error as Error).message)] as const;
      }
    }),
  );
  const checks = Object.fromEntries(entries) as CheckReports;
  const prefixStats = scanned ? await scanned.then((s) => s.prefixes, () => null) : null;
  return {
    report: {
      revision,
      members: members.map((m) => m.name),
      severity: worstSeverity(entries.map(([, r]) => r.severity)),
      checkedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      checks,
    },
    prefixStats,
  };
}
