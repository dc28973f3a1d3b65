// What each member says about itself, read once per inspection and shared by the checks that compare
// members (spread, versions, learners, alarms): its status, and its own key count at the inspection's
// revision read locally (serializable), so two members that agree on a revision must agree on the count.
import { withAnyEndpoint, withEndpointClient, type ClusterAccess } from '../etcd/cluster-access.js';

export interface MemberStatus {
  /** Inventory name. */
  readonly member: string;
  readonly endpoint: string;
  /** etcd's member ID (decimal), null when the member did not answer. */
  readonly memberId: string | null;
  readonly version: string | null;
  /** The member's own latest revision. */
  readonly revision: number | null;
  readonly raftIndex: number | null;
  readonly raftAppliedIndex: number | null;
  readonly isLearner: boolean | null;
  /** The member ID this member believes leads. */
  readonly leaderId: string | null;
  /** Keys at the inspection's revision, counted by this member alone; null when it could not count. */
  readonly keyCount: number | null;
  readonly error: string | null;
}

export interface ClusterAlarm {
  readonly memberId: string;
  /** Inventory name of the member, or its ID when the inventory does not hold it. */
  readonly member: string;
  readonly alarm: string;
}

export interface MembersData {
  readonly statuses: readonly MemberStatus[];
  /** Every alarm raised in the cluster; null when no member could list them. */
  readonly alarms: readonly ClusterAlarm[] | null;
  readonly alarmError: string | null;
}

const failed = (member: string, endpoint: string, error: string): MemberStatus => ({
  member, endpoint, memberId: null, version: null, revision: null, raftIndex: null, raftAppliedIndex: null, isLearner: null, leaderId: null, keyCount: null, error,
});

async function statusOf(access: ClusterAccess, member: string, endpoint: string): Promise<MemberStatus> {
  try {
    const status = await withEndpointClient(access, endpoint, (client) => client.maintenance.status());
    return {
      member,
      endpoint,
      memberId: String(status.header.member_id),
      version: status.version,
      revision: Number(status.header.revision),
      raftIndex: Number(status.raftIndex),
      raftAppliedIndex: status.raftAppliedIndex === undefined || status.raftAppliedIndex === '' ? null : Number(status.raftAppliedIndex),
      isLearner: status.isLearner === true,
      leaderId: String(status.leader),
      keyCount: null,
      error: null,
    };
  } catch (error) {
    return failed(member, endpoint, (error as Error).message);
  }
}

/** Every member's status (no key count yet): the inspection's revision is the lowest they report. */
export function collectStatuses(access: ClusterAccess, members: readonly { name: string; endpoint: string }[]): Promise<MemberStatus[]> {
  return Promise.all(members.map((m) => statusOf(access, m.name, m.endpoint)));
}

async function withKeyCount(access: ClusterAccess, status: MemberStatus, revision: number): Promise<MemberStatus> {
  if (status.revision === null) return status;
  try {
    const keyCount = await withEndpointClient(access, status.endpoint, (client) => client.getAll().serializable(true).revision(revision).count());
    return { ...status, keyCount };
  } catch (error) {
    return { ...status, error: `cannot count keys at revision ${revision}: ${(error as Error).message}` };
  }
}

/** Every member's key count at `revision`, and the cluster's alarms; a member that does not answer carries its error. */
export async function collectMembers(access: ClusterAccess, known: readonly MemberStatus[], revision: number): Promise<MembersData> {
  const statuses = await Promise.all(known.map((s) => withKeyCount(access, s, revision)));
  const names = new Map(statuses.filter((s) => s.memberId !== null).map((s) => [s.memberId!, s.member]));
  try {
    const answer = await withAnyEndpoint(access, (client) => client.maintenance.alarm({ action: 'Get', alarm: 'None', memberID: 0 }));
    const alarms = (answer.alarms ?? []).map((a) => ({ memberId: String(a.memberID), member: names.get(String(a.memberID)) ?? `member ${String(a.memberID)}`, alarm: String(a.alarm) }));
    return { statuses, alarms, alarmError: null };
  } catch (error) {
    return { statuses, alarms: null, alarmError: (error as Error).message };
  }
}
