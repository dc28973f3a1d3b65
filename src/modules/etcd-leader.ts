// etcd_leader: hands leadership to a chosen member (`to`), or away from a member about to restart
// (`away_from`), preferring healthy voters that run `prefer_version` (an upgraded member) and are the
// most caught up; waits until the cluster agrees on the new leader.
import { checkClusterHealth, healthyDespite, type ClusterHealth, type MemberHealth } from '../etcd/cluster-health.js';
import { moveLeader } from '../etcd/membership.js';
import { ChangeAction, noop, type TaskPlan } from '../plan/change.js';
import { clusterAccess, memberEndpoints } from '../etcd/cluster-spec.js';
import { unappliedSummary } from '../etcd/gate-plan.js';
import { defineModule, type ModuleContext } from './module.js';
import { TaskFailure } from './task-failure.js';

export interface EtcdLeaderArgs {
  readonly to?: string;
  readonly away_from?: string;
  readonly prefer_version?: string;
  readonly timeout?: number;
  readonly allow_alarms?: readonly string[];
  readonly local_pki_dir?: string;
}

export interface EtcdLeaderFacts {
  readonly health?: ClusterHealth;
}

const label = (m: MemberHealth): string => m.name || m.id;

/** The member leadership goes to when it leaves `away`: preferred version first, then the highest raft index, then by name. */
export function successor(health: ClusterHealth, away: string, preferVersion?: string, allowAlarms: readonly string[] = []): { member?: MemberHealth; preferred: boolean } {
  const allowed = new Set(allowAlarms);
  const others = health.members
    .filter((m) => !m.isLearner && m.started && healthyDespite(m, allowed) && m.name !== away)
    .sort((a, b) => (b.raftIndex ?? 0) - (a.raftIndex ?? 0) || a.name.localeCompare(b.name));
  const preferred = preferVersion === undefined ? undefined : others.find((m) => m.version === preferVersion);
  return { member: preferred ?? others[0], preferred: preferred !== undefined };
}

export function planLeader(args: EtcdLeaderArgs, facts: EtcdLeaderFacts, ctx: ModuleContext): TaskPlan {
  // Set when earlier changes of this run were planned, not applied: the members they upgrade are not upgraded yet.
  const unapplied = unappliedSummary(ctx);
  if (facts.health === undefined) {
    if (unapplied !== undefined) return { changes: [], deferred: `no admin certificate yet: the cluster is made by ${unapplied}` };
    throw new TaskFailure('no admin client certificate on the control node: build the cluster with playbooks/site.yml first');
  }
  const health = facts.health;
  const leader = health.members.find((m) => m.isLeader);
  if (!leader) throw new TaskFailure(`the etcd cluster has no leader: ${health.problems.join('; ') || 'no member agrees on one'}`);
  const move = (to: MemberHealth, why: string): TaskPlan => ({
    changes: [{ action: ChangeAction.UPDATE, target: 'etcd leader', reason: why, before: `${label(leader)}\n`, after: `${label(to)}\n` }],
    result: { from: label(leader), to: label(to), to_id: to.id },
  });
  if (args.to !== undefined) {
    const to = health.members.find((m) => m.name === args.to);
    if (!to) throw new TaskFailure(`cannot move leadership to ${args.to}: not a member (members: ${health.members.map(label).join(', ')})`);
    if (to.isLeader) return noop(`${args.to} is the leader`, { from: args.to, to: args.to });
    if (to.isLearner || !healthyDespite(to, new Set(args.allow_alarms ?? []))) throw new TaskFailure(`cannot move leadership to ${args.to}: it is ${to.isLearner ? 'a learner' : `unhealthy (${to.error})`}`);
    return move(to, `leadership moves from ${label(leader)} to ${args.to}`);
  }
  const away = args.away_from ?? ctx.host;
  if (leader.name !== away) return noop(`the leader is ${label(leader)}, not ${away}: nothing to move`, { from: label(leader), to: label(leader) });
  const next = successor(health, away, args.prefer_version, args.allow_alarms);
  if (!next.member) return noop(`${away} leads and no other healthy voting member could take over`, { from: away, to: away });
  if (args.prefer_version !== undefined && !next.preferred && unapplied !== undefined) {
    return { changes: [], deferred: `leadership moves from ${away} to a member running ${args.prefer_version}, once the members before it are upgraded, judged after ${unapplied}` };
  }
  const why = next.preferred
    ? `${away} leads: leadership moves to ${label(next.member)}, which runs ${args.prefer_version}`
    : `${away} leads: leadership moves to ${label(next.member)}, the most caught-up healthy member${args.prefer_version ? ` (none runs ${args.prefer_version} yet)` : ''}`;
  return move(next.member, why);
}

export const etcdLeaderModule = defineModule<EtcdLeaderArgs, EtcdLeaderFacts>({
  name: 'etcd_leader',
  description:
    'Move etcd leadership to a given member, or away from a member (default: this host) to a healthy one, preferring members on prefer_version; waits until the cluster agrees.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      to: { type: 'string', description: 'Member name that must lead; when set, away_from and prefer_version are not used.' },
      away_from: { type: 'string', description: 'Member name that must not lead (default: the current host); nothing moves when it does not lead.' },
      prefer_version: { type: 'string', description: 'Prefer a new leader that runs this etcd version, e.g. an already upgraded member.' },
      timeout: { type: 'number', exclusiveMinimum: 0, description: 'Seconds to wait for the cluster to agree on the new leader (default 30).' },
      allow_alarms: {
        type: 'array',
        items: { type: 'string', enum: ['NOSPACE', 'CORRUPT'] },
        description: 'Members raising only these alarms may still take leadership, e.g. [NOSPACE] during recover-space.yml (default: none).',
      },
      local_pki_dir: { type: 'string', description: 'Folder of the admin client certificate on the control node (default: etcd_local_pki_dir).' },
    },
  },
  example: `- name: Leadership off this member before its restart
  etcd_leader:
    away_from: "{{ inventory_hostname }}"
    prefer_version: "{{ etcd_version }}"
`,
  idempotent: true,
  controlOnly: true,
  async gather(args, ctx) {
    const access = await clusterAccess(ctx, { pkiDir: args.local_pki_dir, timeoutMs: 3000 });
    return access === undefined ? {} : { health: await checkClusterHealth(await memberEndpoints(access)) };
  },
  plan: (args, facts, ctx) => planLeader(args, facts, ctx),
  async apply(args, plan, ctx) {
    const started = Date.now();
    const access = await memberEndpoints((await clusterAccess(ctx, { pkiDir: args.local_pki_dir, timeoutMs: 3000 }))!);
    const to = String(plan.result!.to_id);
    await moveLeader(access, to);
    const deadline = started + (args.timeout ?? 30) * 1000;
    for (;;) {
      const health = await checkClusterHealth(access);
      const result = { from: plan.result!.from, to: plan.result!.to, waited_ms: Date.now() - started };
      if (health.leaderId === to) return { changed: true, result };
      if (Date.now() >= deadline) {
        return { changed: true, failed: true, msg: `leadership did not settle on ${String(plan.result!.to)} within ${args.timeout ?? 30} s (leader now ${health.leaderId ?? 'none'})`, result };
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  },
});
