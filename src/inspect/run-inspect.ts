// Runs the chosen checks against a cluster at one revision. The checks are one literal map from name to
// implementation; the keyspace is read once, in pages, for every check that needs it.
import { DEFAULT_CALL_TIMEOUT_MS, withAnyEndpoint, type ClusterAccess } from '../etcd/cluster-access.js';
import { judgeAlarms, type AlarmsData } from './alarms.js';
import { backupCommand, judgeBackups, parseBackupOutput, type BackupHost, type BackupsData } from './backup-age.js';
import type { Baseline } from './baseline.js';
import { BigValueCollector, judgeBigValues, type BigValuesData } from './big-values.js';
import { collectCertificates, judgeCertificates, type CertificatesData } from './certificate-expiry.js';
import { failedCheck, type CheckReport } from './check-report.js';
import { collectHashes, currentRevision, judgeConsistency, type ConsistencyData } from './consistency.js';
import { judgeHotPrefixes, sampleWrites, type HotPrefixesData } from './hot-prefixes.js';
import { scanKeys } from './key-scan.js';
import { judgeLearners, type LearnersData } from './learner-lag.js';
import { judgeSpread, type SpreadData, type SpreadLimits } from './member-spread.js';
import { collectMembers, collectStatuses, type MembersData, type MemberStatus } from './member-status.js';
import { judgePrefixes, PrefixCollector, type PrefixesData, type PrefixStats } from './prefixes.js';
import { collectQuota, judgeQuota, type QuotaData } from './quota.js';
import { Severity, worstSeverity } from './severity.js';
import { judgeVersions, type AllowedSkew, type VersionsData } from './version-skew.js';
import { judgeZones } from './zone-check.js';
import type { ZoneSpread } from '../etcd/zone-spread.js';

export interface InspectMember {
  /** Inventory name. */
  readonly name: string;
  readonly endpoint: string;
  /** The member's peer URL, e.g. `https://10.213.0.11:2380`. */
  readonly peerEndpoint: string;
  readonly quota: { readonly bytes: number; readonly source: 'inventory' | 'default' };
  /** `etcd_zone` of its host. */
  readonly zone?: string;
  /** False for a standby learner (`etcd_learner: true`). */
  readonly voter: boolean;
}

/** The hosts holding backup.yml's snapshots, and how to run a command on one (over SSH). */
export interface BackupSource {
  readonly hosts: readonly BackupHost[];
  readonly run: (host: string, command: string) => Promise<string>;
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
  readonly spreadLimits: SpreadLimits;
  readonly allowedVersionSkew: AllowedSkew;
  readonly learnerMaxLag: number;
  readonly certWarnDays: number;
  readonly backupMaxAgeHours: number;
  readonly backups: BackupSource | null;
  readonly hotWindowSeconds: number;
  readonly hotDepth: number;
  readonly hotWritesPerSecond: number;
}

interface Context {
  readonly access: ClusterAccess;
  readonly members: readonly InspectMember[];
  readonly options: InspectOptions;
  readonly revision: number;
  /** The keyspace scan, started by the first check that needs it. */
  readonly scan: () => Promise<{ bigValues: BigValuesData; prefixes: PrefixStats[] }>;
  /** Every member's status and the alarms, read once for the checks comparing members. */
  readonly status: () => Promise<MembersData>;
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
  spread: {
    description: 'key count at one revision, revision and raft index of every member: the odd member out (--max-key-count-spread, --max-revision-spread, --max-raft-index-spread)',
    run: async (ctx: Context): Promise<CheckReport<SpreadData>> => judgeSpread(ctx.revision, (await ctx.status()).statuses, ctx.options.spreadLimits),
  },
  'hot-prefixes': {
    description: 'writes per second per prefix over --hot-window seconds at --hot-depth, a finding above --hot-writes-per-second',
    run: async (ctx: Context): Promise<CheckReport<HotPrefixesData>> => {
      const o = ctx.options;
      const sample = await withAnyEndpoint(ctx.access, (client) => sampleWrites(client, o.hotWindowSeconds * 1000, o.hotDepth));
      return judgeHotPrefixes(sample, o.hotDepth, o.top, o.hotWritesPerSecond);
    },
  },
  certificates: {
    description: "each member's server and peer certificate (read over TLS) and the admin client certificate: days left (--cert-warn-days)",
    run: async (ctx: Context): Promise<CheckReport<CertificatesData>> =>
      judgeCertificates(
        await collectCertificates({ members: ctx.members.map((m) => ({ name: m.name, endpoint: m.endpoint, peerEndpoint: m.peerEndpoint })), ca: ctx.access.ca, cert: ctx.access.cert, key: ctx.access.key, timeoutMs: ctx.access.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS }),
        ctx.options.certWarnDays,
      ),
  },
  backups: {
    description: 'age of the newest verified snapshot on the backup hosts and the last off-site copy (--backup-max-age-hours)',
    run: async (ctx: Context): Promise<CheckReport<BackupsData>> => {
      const source = ctx.options.backups;
      const hosts = await Promise.all(
        (source?.hosts ?? []).map(async (h) => {
          try {
            return parseBackupOutput(h.name, await source!.run(h.name, backupCommand(h).text));
          } catch (error) {
            return { host: h.name, newestAt: null, newestFile: null, offsiteOk: null, error: (error as Error).message };
          }
        }),
      );
      return judgeBackups(hosts, ctx.options.backupMaxAgeHours, Date.now() / 1000);
    },
  },
  versions: {
    description: 'the etcd version of every member: skew across members (--allowed-version-skew)',
    run: async (ctx: Context): Promise<CheckReport<VersionsData>> => judgeVersions((await ctx.status()).statuses, ctx.options.allowedVersionSkew),
  },
  learners: {
    description: 'learners and how far behind the leader they are (--max-learner-lag)',
    run: async (ctx: Context): Promise<CheckReport<LearnersData>> => judgeLearners((await ctx.status()).statuses, ctx.options.learnerMaxLag),
  },
  alarms: {
    description: 'alarms raised in the cluster (NOSPACE, CORRUPT), by member',
    run: async (ctx: Context): Promise<CheckReport<AlarmsData>> => {
      const { alarms, alarmError } = await ctx.status();
      return judgeAlarms(alarms, alarmError);
    },
  },
  zones: {
    description: 'whether losing any one zone (etcd_zone) loses the quorum',
    run: async (ctx: Context): Promise<CheckReport<ZoneSpread>> => judgeZones(ctx.members.map((m) => ({ name: m.name, zone: m.zone, voter: m.voter }))),
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

/**
 * Pure: the revision every check looks at. Every member that answered has applied the lowest revision any
 * of them reports, so all can hash and count at it: a member whose data diverged then answers with other
 * figures, not an error. A member further behind in the raft log than the limit is left out (the spread
 * check names it), so one lagging member does not pull the revision back to one compaction may have removed.
 */
export function commonRevision(latest: number, statuses: readonly MemberStatus[], raftLimit: number): number {
  const answered = statuses.filter((s) => s.revision !== null && s.raftIndex !== null);
  const newest = Math.max(...answered.map((s) => s.raftIndex!));
  return Math.min(latest, ...answered.filter((s) => s.raftIndex! >= newest - raftLimit).map((s) => s.revision!));
}

export async function runInspect(access: ClusterAccess, members: readonly InspectMember[], options: InspectOptions): Promise<InspectResult> {
  const started = Date.now();
  const [latest, statuses] = await Promise.all([currentRevision(access), collectStatuses(access, members)]);
  const revision = commonRevision(latest, statuses, options.spreadLimits.raftIndex);
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
  let status: Promise<MembersData> | undefined;
  const ctx: Context = { access, members, options, revision, scan, status: () => (status ??= collectMembers(access, statuses, revision)) };
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
