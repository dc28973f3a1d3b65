// Membership changes through the etcd API with the admin certificate: list, add (as a learner where the
// server supports it), promote, remove and leadership transfer. Each call changes one member only.
import type { IMember } from 'etcd3';
import { UserError } from '../errors/user-error.js';
import { withAnyEndpoint, withEndpointClient, type ClusterAccess } from './cluster-access.js';
import { memberIdToDecimal, memberIdToHex } from './member-id.js';

export interface MemberInfo {
  /** Hex, as etcdctl prints it. */
  readonly id: string;
  /** Empty until the member has started. */
  readonly name: string;
  readonly peerURLs: readonly string[];
  readonly clientURLs: readonly string[];
  readonly isLearner: boolean;
}

export interface MembershipResult {
  /** The member added, promoted or removed. */
  readonly member: MemberInfo;
  /** The membership after the change. */
  readonly members: readonly MemberInfo[];
}

function toMemberInfo(member: IMember): MemberInfo {
  return {
    id: memberIdToHex(member.ID),
    name: member.name,
    peerURLs: member.peerURLs,
    clientURLs: member.clientURLs,
    isLearner: member.isLearner === true,
  };
}

function failure(action: string, error: unknown): UserError {
  return new UserError(`etcd ${action} failed: ${(error as Error).message}`);
}

export async function memberList(access: ClusterAccess): Promise<MemberInfo[]> {
  const response = await withAnyEndpoint(access, (client) => client.cluster.memberList({ linearizable: true }));
  return response.members.map(toMemberInfo);
}

export interface MemberAddOptions {
  /** Add as a raft learner (etcd 3.4+): it receives the log but does not vote until promoted. */
  readonly learner: boolean;
  /**
   * How long to keep retrying while etcd refuses with "unhealthy cluster": with strict reconfiguration
   * checks it accepts an addition only once every member has been connected for 5 s, e.g. not right after
   * a restart. Nothing is added by such a refusal, so retrying it is safe. Default 15000.
   */
  readonly retryUnhealthyMs?: number;
}

/** etcd's refusal to add while not every member has been connected long enough. */
const NOT_YET_SAFE_TO_ADD = /unhealthy cluster/;
const ADD_RETRY_INTERVAL_MS = 500;

export async function memberAdd(
  access: ClusterAccess,
  peerURLs: string | readonly string[],
  options: MemberAddOptions,
): Promise<MembershipResult> {
  const urls = typeof peerURLs === 'string' ? [peerURLs] : [...peerURLs];
  const deadline = Date.now() + (options.retryUnhealthyMs ?? 15000);
  for (;;) {
    try {
      const response = await withAnyEndpoint(access, (client) =>
        client.cluster.memberAdd({ peerURLs: urls, isLearner: options.learner }),
      );
      return { member: toMemberInfo(response.member), members: response.members.map(toMemberInfo) };
    } catch (error) {
      if (!NOT_YET_SAFE_TO_ADD.test((error as Error).message) || Date.now() + ADD_RETRY_INTERVAL_MS >= deadline) {
        throw failure(`member add ${urls.join(',')}${options.learner ? ' (learner)' : ''}`, error);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, ADD_RETRY_INTERVAL_MS));
  }
}

/**
 * A promotion is sent to the leader: a follower forwards it over the peer port, which etcd 3.5.2x refuses
 * when auth is on ("auth: user name is empty") and retries until the request times out.
 */
export async function memberPromote(access: ClusterAccess, id: string): Promise<MembershipResult> {
  try {
    const leader = await leaderClientUrl(access, 'member promote');
    const response = await withEndpointClient(access, leader, (client) => client.cluster.memberPromote({ ID: memberIdToDecimal(id) }));
    const members = response.members.map(toMemberInfo);
    return { member: members.find((m) => m.id === memberIdToHex(memberIdToDecimal(id)))!, members };
  } catch (error) {
    throw failure(`member promote ${id}`, error);
  }
}

export async function memberRemove(access: ClusterAccess, id: string): Promise<MembershipResult> {
  const before = await memberList(access);
  const member = before.find((m) => m.id === memberIdToHex(memberIdToDecimal(id)));
  if (!member) throw new UserError(`etcd member remove ${id}: no such member (members: ${before.map((m) => `${m.name}=${m.id}`).join(', ')})`);
  try {
    const response = await withAnyEndpoint(access, (client) => client.cluster.memberRemove({ ID: memberIdToDecimal(id) }));
    return { member, members: response.members.map(toMemberInfo) };
  } catch (error) {
    throw failure(`member remove ${id}`, error);
  }
}

/** The leader's ID (decimal, '0' without a leader), as a member reports it. */
async function leaderId(access: ClusterAccess): Promise<string> {
  return (await withAnyEndpoint(access, (client) => client.maintenance.status())).leader;
}

/** A client URL of the current leader, for requests only the leader serves; `what` names the request in errors. */
async function leaderClientUrl(access: ClusterAccess, what: string, id?: string): Promise<string> {
  const leaderAt = id ?? (await leaderId(access));
  if (leaderAt === '0') throw new UserError(`etcd ${what}: the cluster has no leader`);
  const leader = (await memberList(access)).find((m) => m.id === memberIdToHex(leaderAt));
  if (!leader || leader.clientURLs.length === 0) throw new UserError(`etcd ${what}: the leader ${memberIdToHex(leaderAt)} has no client URL to reach it`);
  return leader.clientURLs[0]!;
}

/** Hands leadership to `targetId`: the request must reach the current leader, so it is found first. */
export async function moveLeader(access: ClusterAccess, targetId: string): Promise<void> {
  const current = await leaderId(access);
  const target = memberIdToDecimal(targetId);
  if (current === target) return;
  const leader = await leaderClientUrl(access, 'move-leader', current);
  try {
    await withEndpointClient(access, leader, (client) => client.maintenance.moveLeader({ targetID: target }));
  } catch (error) {
    throw failure(`move-leader to ${targetId}`, error);
  }
}
