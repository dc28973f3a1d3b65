// The health gate: asks every member, over TLS with the admin certificate, for its status and a quorum
// read, and turns the answers into a verdict with one problem line per thing that is wrong.
import type { Etcd3, IMember, IStatusResponse } from 'etcd3';
import { withEndpointClient, type ClusterAccess } from './cluster-access.js';
import { memberIdToHex } from './member-id.js';
import type { MemberInfo } from './membership.js';

/** A member as the membership list shows it (membership.ts), with what its status and a read told. */
export interface MemberHealth extends MemberInfo {
  /** False for a member that was added but has never started (no name, no client URLs yet). */
  readonly started: boolean;
  /** Answered its status and a read (linearizable for voters, so it proves quorum), with no alarm. */
  readonly healthy: boolean;
  readonly isLeader: boolean;
  readonly raftIndex: number | null;
  readonly raftAppliedIndex: number | null;
  readonly raftTerm: number | null;
  /** Server version, e.g. `3.4.23`. */
  readonly version: string | null;
  /** Physically allocated backend size, bytes. */
  readonly dbSize: number | null;
  /** Alarms raised on this member, e.g. `NOSPACE`. */
  readonly alarms: readonly string[];
  /** The endpoint that answered for this member, or was tried. */
  readonly endpoint: string | null;
  /** Why the member is not healthy. */
  readonly error: string | null;
}

export interface ClusterHealth {
  /** True when there is no problem (pending learners alone do not make a cluster unhealthy). */
  readonly healthy: boolean;
  readonly members: readonly MemberHealth[];
  /** Hex ID of the one leader every healthy member agrees on, or null. */
  readonly leaderId: string | null;
  readonly problems: readonly string[];
  /** Names (or IDs, before they start) of learners not promoted yet. */
  readonly pendingLearners: readonly string[];
  readonly checkedAt: string;
  readonly durationMs: number;
}

export interface HealthCheckOptions extends ClusterAccess {
  /** Largest allowed difference between voting members' raft indexes (default 1000). */
  readonly maxRaftIndexSpread?: number;
}

export const DEFAULT_MAX_RAFT_INDEX_SPREAD = 1000;

interface Probe {
  readonly endpoint: string;
  readonly status?: IStatusResponse;
  readonly members?: readonly IMember[];
  readonly alarms?: readonly { readonly memberID: string; readonly alarm: string }[];
  /** Set when status answered but the read did not. */
  readonly readError?: string;
  readonly error?: string;
}

/** The key read to prove the member serves requests (it need not exist). */
const HEALTH_KEY = 'health';

async function readsThroughQuorum(client: Etcd3, isLearner: boolean): Promise<string | undefined> {
  try {
    // Learners serve serializable reads only; a voter's linearizable read needs the leader and a quorum.
    await client.get(HEALTH_KEY).serializable(isLearner).exec();
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    // With auth enabled a user without read access still proves the member answers through raft.
    return /permission denied/i.test(message) ? undefined : message;
  }
}

async function probe(access: ClusterAccess, endpoint: string): Promise<Probe> {
  try {
    return await withEndpointClient(access, endpoint, async (client) => {
      const status = await client.maintenance.status();
      const [readError, list, alarm] = await Promise.all([
        readsThroughQuorum(client, status.isLearner === true),
        client.cluster.memberList({}).catch(() => undefined),
        client.maintenance.alarm({ action: 'Get', alarm: 'None', memberID: 0 }).catch(() => undefined),
      ]);
      return { endpoint, status, members: list?.members, alarms: alarm?.alarms, readError };
    });
  } catch (error) {
    return { endpoint, error: (error as Error).message };
  }
}

function toNumber(value: string | undefined): number | null {
  return value === undefined || value === '' ? null : Number(value);
}

/**
 * Whether an alarm entry of a member (an alarm name, `NOSPACE` as etcdctl prints it or `Nospace` as the
 * client decodes it, or a status error such as `memberID:... alarm:NOSPACE`) is one of `allowed`.
 */
export function isAllowedAlarm(entry: string, allowed: ReadonlySet<string>): boolean {
  const names = [...allowed].map((name) => name.toUpperCase());
  return names.includes(entry.toUpperCase()) || names.some((name) => new RegExp(`alarm:${name}\\b`, 'i').test(entry));
}

/**
 * Healthy, or unhealthy only because of alarms in `allowed` (while recovering from NOSPACE a member still
 * serves reads and raft; only its alarm keeps it from counting as healthy).
 */
export function healthyDespite(member: MemberHealth, allowed: ReadonlySet<string>): boolean {
  if (member.healthy) return true;
  const onlyAlarms = member.started && member.alarms.length > 0 && member.error !== null && member.error.startsWith('alarm ');
  return onlyAlarms && member.alarms.every((a) => isAllowedAlarm(a, allowed));
}

export async function checkClusterHealth(options: HealthCheckOptions): Promise<ClusterHealth> {
  const started = Date.now();
  const probes = await Promise.all(options.endpoints.map((endpoint) => probe(options, endpoint)));
  const answered = probes.filter((p) => p.status !== undefined);
  // Prefer the leader's view of the membership: it is the most recent.
  const listing =
    answered.find((p) => p.members && p.status!.leader === p.status!.header.member_id) ?? answered.find((p) => p.members);
  const listed = listing?.members ?? [];

  // Members not reached through the given endpoints are asked at their own advertised client URL.
  const seen = new Set(answered.map((p) => p.status!.header.member_id));
  const tried = new Set(options.endpoints);
  const extra = await Promise.all(
    listed
      .filter((m) => !seen.has(m.ID) && m.clientURLs.length > 0 && !m.clientURLs.some((url) => tried.has(url)))
      .map((m) => probe(options, m.clientURLs[0]!)),
  );
  const allProbes = [...probes, ...extra];
  const byId = new Map(allProbes.filter((p) => p.status).map((p) => [p.status!.header.member_id, p]));
  const alarms = answered.find((p) => p.alarms)?.alarms ?? [];

  const problems: string[] = [];
  if (answered.length === 0) {
    problems.push(`no endpoint answered: ${probes.map((p) => `${p.endpoint}: ${p.error}`).join('; ') || 'none given'}`);
  }

  // Leader: what every member that answered and read through quorum believes.
  const leaders = new Set(
    [...byId.values()]
      .filter((p) => p.readError === undefined && p.status!.leader !== '0')
      .map((p) => p.status!.leader),
  );
  const leaderDecimal = leaders.size === 1 ? [...leaders][0]! : null;
  if (answered.length > 0 && leaders.size === 0) problems.push('no leader: the cluster has no quorum');
  if (leaders.size > 1) {
    problems.push(`members disagree on the leader (${[...leaders].map(memberIdToHex).join(', ')})`);
  }

  const members: MemberHealth[] = listed.map((m) => {
    const p = byId.get(m.ID) ?? allProbes.find((candidate) => m.clientURLs.includes(candidate.endpoint));
    const memberAlarms = [
      ...alarms.filter((a) => a.memberID === m.ID).map((a) => a.alarm),
      ...(p?.status?.errors ?? []),
    ];
    const isStarted = m.name !== '' && m.clientURLs.length > 0;
    const error = !isStarted
      ? 'added but not started'
      : p === undefined
        ? 'not reached: no endpoint of this member answered'
        : (p.error ?? p.readError ?? (memberAlarms.length > 0 ? `alarm ${memberAlarms.join(', ')}` : null));
    return {
      name: m.name,
      id: memberIdToHex(m.ID),
      peerURLs: m.peerURLs,
      clientURLs: m.clientURLs,
      isLearner: m.isLearner === true,
      started: isStarted,
      healthy: error === null,
      isLeader: m.ID === leaderDecimal,
      raftIndex: toNumber(p?.status?.raftIndex),
      raftAppliedIndex: toNumber(p?.status?.raftAppliedIndex),
      raftTerm: toNumber(p?.status?.raftTerm),
      version: p?.status?.version ?? null,
      dbSize: toNumber(p?.status?.dbSize),
      alarms: memberAlarms,
      endpoint: p?.endpoint ?? null,
      error,
    };
  });

  for (const m of members) {
    const label = m.name || m.id;
    if (m.isLearner && !m.started) continue;
    if (!m.healthy && m.alarms.length === 0) problems.push(`member ${label} is unhealthy: ${m.error}`);
    for (const alarm of m.alarms) problems.push(`alarm ${alarm} raised on member ${label}`);
  }
  for (const a of alarms) {
    if (!listed.some((m) => m.ID === a.memberID)) problems.push(`alarm ${a.alarm} raised on unknown member ${memberIdToHex(a.memberID)}`);
  }
  for (const p of probes) {
    const attributed = listed.some((m) => m.clientURLs.includes(p.endpoint));
    if (p.error !== undefined && answered.length > 0 && !attributed) problems.push(`endpoint ${p.endpoint} did not answer: ${p.error}`);
  }
  if (leaderDecimal !== null && !listed.some((m) => m.ID === leaderDecimal)) {
    problems.push(`the leader ${memberIdToHex(leaderDecimal)} is not in the member list`);
  }

  const bound = options.maxRaftIndexSpread ?? DEFAULT_MAX_RAFT_INDEX_SPREAD;
  const voterIndexes = members.filter((m) => !m.isLearner && m.raftIndex !== null).map((m) => m.raftIndex!);
  if (voterIndexes.length > 1) {
    const spread = Math.max(...voterIndexes) - Math.min(...voterIndexes);
    if (spread > bound) problems.push(`raft indexes of voting members differ by ${spread} (bound ${bound})`);
  }

  return {
    healthy: problems.length === 0,
    members,
    leaderId: leaderDecimal === null ? null : memberIdToHex(leaderDecimal),
    problems,
    pendingLearners: members.filter((m) => m.isLearner).map((m) => m.name || m.id),
    checkedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
  };
}
