// Quota: per member, the backend's size on disk and in use against its quota (etcd raises NOSPACE and
// refuses writes once the size on disk reaches it), with the alarms raised. Warn above a percentage.
import { withAnyEndpoint, withEndpointClient, type ClusterAccess } from '../etcd/cluster-access.js';
import { checkReport, type CheckReport, type Finding } from './check-report.js';
import { formatBytes } from './format-bytes.js';
import { Severity } from './severity.js';

/** etcd's own default maximum, and the role's default. */
export const DEFAULT_QUOTA_BYTES = 8 * 1024 ** 3;
export const DEFAULT_QUOTA_WARN_PERCENT = 80;
/** Past this the member is one compaction-less burst from NOSPACE. */
export const QUOTA_CRITICAL_PERCENT = 95;

export interface MemberQuota {
  readonly member: string;
  readonly endpoint: string;
  /** Backend size on disk, bytes (null when the member did not answer). */
  readonly dbSize: number | null;
  /** Backend size logically in use, bytes (what a defragmentation would shrink the file to). */
  readonly dbSizeInUse: number | null;
  readonly quotaBytes: number;
  /** Where the quota came from: the inventory variable or the default. */
  readonly quotaSource: 'inventory' | 'default';
  /** dbSize as a percentage of the quota, one decimal. */
  readonly percentUsed: number | null;
  readonly alarms: readonly string[];
  readonly error: string | null;
}

export interface QuotaData {
  readonly warnPercent: number;
  readonly members: readonly MemberQuota[];
}

/** Pure: the quota configured for a member by its inventory variables. */
export function quotaFromVars(vars: Readonly<Record<string, unknown>>): { bytes: number; source: 'inventory' | 'default' } {
  const raw = vars.etcd_quota_backend_bytes;
  const bytes = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  // etcd treats 0 as "the default quota"; a template we cannot render here falls back the same way.
  return Number.isFinite(bytes) && bytes > 0 ? { bytes, source: 'inventory' } : { bytes: DEFAULT_QUOTA_BYTES, source: 'default' };
}

export function percentOf(used: number, quota: number): number {
  return Math.round((used / quota) * 1000) / 10;
}

/** Pure: alarms are critical, as is a member past 95%; past the warning percentage is a warning. */
export function judgeQuota(members: readonly MemberQuota[], warnPercent: number): CheckReport<QuotaData> {
  const findings: Finding[] = [];
  for (const m of members) {
    if (m.error !== null) {
      findings.push({ severity: Severity.CRITICAL, member: m.member, message: `member ${m.member} did not give its status: ${m.error}` });
      continue;
    }
    for (const alarm of m.alarms) findings.push({ severity: Severity.CRITICAL, member: m.member, message: `alarm ${alarm} raised on member ${m.member}` });
    const percent = m.percentUsed!;
    const figures = `${formatBytes(m.dbSize!)} of ${formatBytes(m.quotaBytes)} (${percent}%)`;
    if (percent >= QUOTA_CRITICAL_PERCENT) findings.push({ severity: Severity.CRITICAL, member: m.member, message: `member ${m.member} uses ${figures}: compact and defragment now` });
    else if (percent > warnPercent) findings.push({ severity: Severity.WARNING, member: m.member, message: `member ${m.member} uses ${figures}, above ${warnPercent}%: compact and defragment, or raise the quota` });
  }
  const answered = members.filter((m) => m.percentUsed !== null);
  const fullest = answered.reduce<MemberQuota | undefined>((top, m) => (top === undefined || m.percentUsed! > top.percentUsed! ? m : top), undefined);
  const summary = fullest
    ? `fullest member ${fullest.member} at ${fullest.percentUsed}% of ${formatBytes(fullest.quotaBytes)}${findings.length === 0 ? ', no alarm' : ''}`
    : 'no member gave its status';
  return checkReport(summary, findings, { warnPercent, members });
}

/** Status of each member, and the cluster's alarms attributed to members by their IDs. */
export async function collectQuota(
  access: ClusterAccess,
  members: readonly { name: string; endpoint: string; quota: { bytes: number; source: 'inventory' | 'default' } }[],
): Promise<MemberQuota[]> {
  const statuses = await Promise.all(
    members.map(async (m) => {
      try {
        return { m, status: await withEndpointClient(access, m.endpoint, (client) => client.maintenance.status()), error: null };
      } catch (error) {
        return { m, status: null, error: (error as Error).message };
      }
    }),
  );
  const alarms = await withAnyEndpoint(access, (client) => client.maintenance.alarm({ action: 'Get', alarm: 'None', memberID: 0 }));
  return statuses.map(({ m, status, error }) => {
    const dbSize = status ? Number(status.dbSize) : null;
    // dbSizeInUse appeared in etcd 3.4; an older member leaves it empty.
    const inUse = status && status.dbSizeInUse !== undefined && status.dbSizeInUse !== '' ? Number(status.dbSizeInUse) : null;
    return {
      member: m.name,
      endpoint: m.endpoint,
      dbSize,
      dbSizeInUse: inUse,
      quotaBytes: m.quota.bytes,
      quotaSource: m.quota.source,
      percentUsed: dbSize === null ? null : percentOf(dbSize, m.quota.bytes),
      alarms: status ? alarms.alarms.filter((a) => a.memberID === status.header.member_id).map((a) => a.alarm) : [],
      error,
    };
  });
}
