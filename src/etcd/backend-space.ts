// The space a cluster's database files take, and the maintenance calls that give it back: each member's
// status (file size, size in use, revision, leader) and the raised alarms, read through every member's
// own client URL; defragmentation of one member, compaction of the keyspace, disarming NOSPACE alarms,
// and a write that proves the cluster accepts writes again.
import type { ClusterAccess } from './cluster-access.js';
import { withAnyEndpoint, withEndpointClient } from './cluster-access.js';
import { memberList } from './membership.js';
import { memberIdToDecimal, memberIdToHex } from './member-id.js';

export interface MemberSpace {
  readonly name: string;
  /** Hex, as etcdctl prints it. */
  readonly id: string;
  readonly endpoint: string;
  readonly isLearner: boolean;
  readonly isLeader: boolean;
  readonly dbSize: number;
  readonly dbSizeInUse: number;
  /** The keyspace revision this member has applied. */
  readonly revision: number;
}

export interface AlarmRaised {
  /** Hex member ID. */
  readonly memberId: string;
  /** As etcdctl prints it (`NOSPACE`, `CORRUPT`; the client decodes `Nospace`). */
  readonly alarm: string;
}

export interface ClusterSpace {
  /** Members that answered, in the order of the member list. */
  readonly members: readonly MemberSpace[];
  /** Members that did not answer, with the reason. */
  readonly unreachable: readonly { readonly name: string; readonly error: string }[];
  readonly alarms: readonly AlarmRaised[];
}

/** One member's status through its own endpoint. */
export async function readMemberSpace(access: ClusterAccess, endpoint: string): Promise<Omit<MemberSpace, 'name' | 'isLearner'>> {
  const status = await withEndpointClient(access, endpoint, (client) => client.maintenance.status());
  return {
    id: memberIdToHex(status.header.member_id),
    endpoint,
    isLeader: status.leader === status.header.member_id,
    dbSize: Number(status.dbSize),
    dbSizeInUse: Number(status.dbSizeInUse),
    revision: Number(status.header.revision),
  };
}

export async function readClusterSpace(access: ClusterAccess): Promise<ClusterSpace> {
  const members = await memberList(access);
  const answers = await Promise.all(
    members.map(async (m) => {
      const endpoint = m.clientURLs[0];
      if (endpoint === undefined) return { name: m.name || m.id, error: 'no client URL: added but not started' };
      try {
        return { ...(await readMemberSpace(access, endpoint)), name: m.name || m.id, isLearner: m.isLearner };
      } catch (error) {
        return { name: m.name || m.id, error: (error as Error).message };
      }
    }),
  );
  const alarms = await withAnyEndpoint(access, (client) => client.maintenance.alarm({ action: 'Get', alarm: 'None', memberID: 0 }));
  return {
    members: answers.filter((a): a is MemberSpace => !('error' in a)),
    unreachable: answers.filter((a): a is { name: string; error: string } => 'error' in a),
    alarms: (alarms.alarms ?? []).map((a) => ({ memberId: memberIdToHex(a.memberID), alarm: String(a.alarm).toUpperCase() })),
  };
}

/** Defragments the member behind `endpoint` (it blocks that member's reads and writes while it runs). */
export async function defragmentMember(access: ClusterAccess, endpoint: string): Promise<void> {
  await withEndpointClient(access, endpoint, (client) => client.maintenance.defragment());
}

/** True when revisions before `revision` are already compacted away (a read at `revision - 1` is refused). */
export async function compactedUpTo(access: ClusterAccess, revision: number): Promise<boolean> {
  if (revision <= 1) return true;
  try {
    await withAnyEndpoint(access, (client) => client.get('etcdops/compaction-probe').revision(revision - 1).exec());
    return false;
  } catch (error) {
    if (/required revision has been compacted/.test((error as Error).message)) return true;
    throw error;
  }
}

/** Compacts the keyspace's history below `revision`, waiting until the freed pages are physically reusable. */
export async function compactTo(access: ClusterAccess, revision: number): Promise<void> {
  await withAnyEndpoint(access, (client) => client.kv.compact({ revision: String(revision), physical: true }));
}

/**
 * etcd's numbers for alarm types and the deactivate action (rpc.proto): the client decodes enums in
 * answers as their proto names (`NOSPACE`), and numbers in requests are unambiguous.
 */
const ALARM_NUMBERS: Readonly<Record<string, number>> = { NOSPACE: 1, CORRUPT: 2 };
const DEACTIVATE = 2;

/** Disarms one raised alarm. */
export async function disarmAlarm(access: ClusterAccess, raised: AlarmRaised): Promise<void> {
  const alarm = ALARM_NUMBERS[raised.alarm];
  if (alarm === undefined) throw new Error(`unknown etcd alarm ${raised.alarm}`);
  await withAnyEndpoint(access, (client) => client.maintenance.alarm({ action: DEACTIVATE, alarm, memberID: memberIdToDecimal(raised.memberId) }));
}

/** Writes and deletes a key: proves the cluster takes writes. Returns the revision of the write. */
export async function proveWrite(access: ClusterAccess, key: string): Promise<number> {
  return withAnyEndpoint(access, async (client) => {
    const put = await client.put(key).value(new Date().toISOString()).exec();
    await client.delete().key(key).exec();
    return Number(put.header.revision);
  });
}
