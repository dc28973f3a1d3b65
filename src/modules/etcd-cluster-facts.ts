// etcd_cluster_facts: asks the cluster (admin certificate, every member's client URL, a short deadline)
// for its members and health, and sets the facts the etcd playbooks decide with: whether a cluster exists,
// which inventory hosts are members, which form it now and which must join it one at a time. Hosts
// marked `etcd_learner: true` are standby learners: they join as learners and stay learners by design.
import { learnerSlotProblem } from '../etcd/learner-slots.js';
import { checkClusterHealth, type ClusterHealth } from '../etcd/cluster-health.js';
import { noop } from '../plan/change.js';
import { boolFilter } from '../playbook/ansible-boolean.js';
import { clusterAccess, memberEndpoints, memberHosts, peerUrl } from '../etcd/cluster-spec.js';
import { defineModule, type ModuleContext, type UnappliedChange } from './module.js';
import { TaskFailure } from './task-failure.js';

export interface EtcdClusterFactsArgs {
  readonly formation?: 'static' | 'scale-out' | 'discovery-srv';
  /** The hosts about to join as learners (default: etcd_joiners), for etcd_learner_slot_problem. */
  readonly joining?: readonly string[];
  readonly timeout?: number;
  readonly local_pki_dir?: string;
}

/** A member (cluster-health.ts's MemberHealth) as the facts describe it: snake_case, as playbooks read it. */
export interface EtcdMemberFact {
  readonly name: string;
  readonly id: string;
  readonly peer_urls: readonly string[];
  readonly client_urls: readonly string[];
  readonly learner: boolean;
  readonly started: boolean;
  readonly healthy: boolean;
  readonly leader: boolean;
  /** The inventory host this member is (by name, or by peer URL before it has started), or null. */
  readonly host: string | null;
}

/** Undefined when there is no admin certificate yet, so no cluster can have been made by us. */
export type EtcdClusterFactsFacts = ClusterHealth | undefined;

/** Whether the inventory marks `host` as a standby learner (`etcd_learner: true`), a member that never votes until promoted by hand. */
export function isStandbyHost(ctx: ModuleContext, host: string): boolean {
  const vars = host === ctx.host ? ctx.vars : ((ctx.vars.hostvars ?? {}) as Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>>)[host];
  // As the playbooks read it (`etcd_learner | bool`).
  return boolFilter(vars?.etcd_learner) === true;
}

/**
 * Started learners that the inventory marks as standby: learners by design, not a join left half done.
 * A standby added but never started is still a half-done join, so it stays pending.
 */
export function standbyLearners(health: Pick<ClusterHealth, 'members'>, ctx: ModuleContext): string[] {
  return health.members.filter((m) => m.isLearner && m.started && isStandbyHost(ctx, m.name)).map((m) => m.name);
}

/** Learners waiting for a promotion that a join still owes them: every learner but the started standby ones. */
export function pendingLearners(health: Pick<ClusterHealth, 'members' | 'pendingLearners'>, ctx: ModuleContext): string[] {
  const standby = new Set(standbyLearners(health, ctx));
  return health.pendingLearners.filter((name) => !standby.has(name));
}

/** How far a learner's raft index is behind the leader's, or null when either is unknown (no leader, not reached). */
export function learnerLag(health: Pick<ClusterHealth, 'members'>, name: string): number | null {
  const leader = health.members.find((m) => m.isLeader);
  const learner = health.members.find((m) => m.name === name);
  if (leader?.raftIndex == null || learner?.raftIndex == null) return null;
  return Math.max(0, leader.raftIndex - learner.raftIndex);
}

/** The target of every membership change (etcd_member): `member NAME`. */
export const memberTarget = (name: string): string => `member ${name}`;

/** Membership changes among changes planned and not applied: the cluster's members are not yet what they will be. */
export function unappliedMembershipChanges(changes: readonly UnappliedChange[]): UnappliedChange[] {
  return changes.filter((c) => c.target.startsWith(memberTarget('')));
}

export function clusterFacts(args: EtcdClusterFactsArgs, health: EtcdClusterFactsFacts, ctx: ModuleContext): Record<string, unknown> {
  const hosts = memberHosts(ctx);
  const formation = args.formation ?? (String(ctx.vars.etcd_formation ?? 'static') as EtcdClusterFactsArgs['formation']);
  if (formation !== 'static' && formation !== 'scale-out' && formation !== 'discovery-srv') throw new TaskFailure(`etcd_formation must be static, scale-out or discovery-srv, got "${formation}"`);
  const byPeer = new Map(hosts.map((h) => [peerUrl(ctx, h), h]));
  const members: EtcdMemberFact[] = (health?.members ?? []).map((m) => ({
    name: m.name,
    id: m.id,
    peer_urls: m.peerURLs,
    client_urls: m.clientURLs,
    learner: m.isLearner,
    started: m.started,
    healthy: m.healthy,
    leader: m.isLeader,
    host: hosts.includes(m.name) ? m.name : (m.peerURLs.map((u) => byPeer.get(u)).find((h) => h !== undefined) ?? null),
  }));
  const exists = members.length > 0;
  const inCluster = new Set(members.filter((m) => m.started && m.host !== null).map((m) => m.host!));
  // A new cluster forms from voting members only: standby hosts join afterwards, as learners.
  const voters = hosts.filter((h) => !isStandbyHost(ctx, h));
  if (!exists && voters.length === 0) throw new TaskFailure('every etcd host is marked etcd_learner: true; a cluster needs voting members to form from');
  const initial = exists ? hosts.filter((h) => inCluster.has(h)) : formation === 'scale-out' ? voters.slice(0, 1) : voters;
  const standby = health === undefined ? [] : standbyLearners(health, ctx);
  const pending = health === undefined ? [] : pendingLearners(health, ctx);
  // A learner a join left pending (added, maybe started, never promoted): its host's join resumes; one
  // whose host has left the inventory can never finish its join and is removed.
  const leftPending = members.filter((m) => m.learner && pending.includes(m.name || m.id));
  const joiners = hosts.filter((h) => !initial.includes(h));
  // A host whose interrupted join resumes already holds its learner place.
  const interrupted = leftPending.filter((m) => m.host !== null).map((m) => m.host!);
  return {
    etcd_cluster_exists: exists,
    etcd_cluster_healthy: exists && health!.healthy,
    etcd_cluster_problems: health?.problems ?? [],
    etcd_members: members,
    etcd_member_names: members.filter((m) => m.name !== '').map((m) => m.name),
    etcd_voting_members: members.filter((m) => !m.learner).map((m) => m.name || m.id),
    etcd_pending_learners: pending,
    etcd_interrupted_joins: interrupted,
    etcd_stale_learners: leftPending.filter((m) => m.host === null).map((m) => ({ id: m.id, peer_urls: m.peer_urls })),
    etcd_standby_learners: standby,
    etcd_standby_lag: Object.fromEntries(standby.map((name) => [name, learnerLag(health!, name)])),
    etcd_initial_members: initial,
    etcd_joiners: joiners,
    etcd_learner_slot_problem: exists ? learnerSlotProblem(standby, args.joining ?? joiners.filter((h) => !interrupted.includes(h))) : '',
    etcd_leader: members.find((m) => m.leader)?.name ?? null,
    // A voter's health check is a linearizable read, which only a quorum can serve; a learner cut off
    // from the voters may still name the leader it last heard from, so that alone proves nothing.
    etcd_has_quorum: members.some((m) => !m.learner && m.healthy),
  };
}

export const etcdClusterFactsModule = defineModule<EtcdClusterFactsArgs, EtcdClusterFactsFacts>({
  name: 'etcd_cluster_facts',
  description:
    'Ask the etcd cluster for its members and health and set facts: etcd_cluster_exists, etcd_members, etcd_member_names, etcd_initial_members, etcd_joiners, etcd_pending_learners (split into etcd_interrupted_joins, inventory hosts whose join resumes, and etcd_stale_learners, learners of no inventory host), etcd_standby_learners (with etcd_standby_lag, raft entries behind the leader), etcd_cluster_healthy.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      formation: {
        type: 'string',
        enum: ['static', 'scale-out', 'discovery-srv'],
        description: 'How a new cluster forms (default: etcd_formation, else static): every member at once (static, or discovery-srv from DNS SRV records), or the first alone and the others joining.',
      },
      joining: { type: 'array', items: { type: 'string', description: 'An inventory host name.' }, description: 'The hosts about to join as learners (default: etcd_joiners without joins that resume); etcd_learner_slot_problem says why a standby learner blocks them, or is empty.' },
      timeout: { type: 'number', exclusiveMinimum: 0, description: 'Seconds to wait for each member to answer (default 3): a cluster that does not exist yet is known quickly.' },
      local_pki_dir: { type: 'string', description: 'Folder of the admin client certificate on the control node (default: etcd_local_pki_dir).' },
    },
  },
  example: `- name: What does the cluster look like?
  etcd_cluster_facts:
  run_once: true
- debug:
    msg: "members {{ etcd_member_names | join(', ') }}"
  run_once: true
`,
  idempotent: true,
  controlOnly: true,
  facts: [
    'etcd_cluster_exists',
    'etcd_cluster_healthy',
    'etcd_cluster_problems',
    'etcd_learner_slot_problem',
    'etcd_members',
    'etcd_member_names',
    'etcd_voting_members',
    'etcd_pending_learners',
    'etcd_interrupted_joins',
    'etcd_stale_learners',
    'etcd_standby_learners',
    'etcd_standby_lag',
    'etcd_initial_members',
    'etcd_joiners',
    'etcd_leader',
    'etcd_has_quorum',
  ],
  async gather(args, ctx) {
    const access = await clusterAccess(ctx, { pkiDir: args.local_pki_dir, timeoutMs: (args.timeout ?? 3) * 1000 });
    return access === undefined ? undefined : checkClusterHealth(await memberEndpoints(access));
  },
  plan(args, health, ctx) {
    const membership = unappliedMembershipChanges(ctx.unappliedChanges);
    if (membership.length > 0) {
      const changes = [...new Set(membership.map((c) => `${c.target} (${c.task})`))].join(', ');
      return { changes: [], deferred: `the members change before this: ${changes}, planned earlier in this run and not applied yet` };
    }
    const facts = clusterFacts(args, health, ctx);
    const members = facts.etcd_members as EtcdMemberFact[];
    const standby = facts.etcd_standby_learners as string[];
    const reason = !facts.etcd_cluster_exists
      ? `no cluster answers yet: ${(facts.etcd_initial_members as string[]).join(', ')} will form it`
      : `cluster of ${members.length} members (${members.map((m) => `${m.name || m.id}${m.learner ? (standby.includes(m.name) ? ' standby learner' : ' learner') : ''}`).join(', ')}), ${facts.etcd_cluster_healthy ? 'healthy' : `unhealthy: ${(facts.etcd_cluster_problems as string[]).join('; ')}`}`;
    return noop(reason, { ansible_facts: facts });
  },
  apply: async (_args, plan) => ({ changed: false, result: plan.result }),
});
