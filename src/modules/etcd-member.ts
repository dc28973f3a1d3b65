// etcd_member: one membership change with its safety checks, from the control node with the admin
// certificate: add a member (as a learner by default) only to a healthy cluster with no learner pending
// (a started standby learner, `etcd_learner: true`, is not pending), promote a learner once it has caught
// up, remove a member only when a healthy majority remains.
import { checkClusterHealth, type ClusterHealth, type MemberHealth } from '../etcd/cluster-health.js';
import type { ClusterAccess } from '../etcd/cluster-access.js';
import { memberAdd, memberRemove } from '../etcd/membership.js';
import { promoteLearnerWhenReady } from '../etcd/promote-learner.js';
import { ChangeAction, type TaskPlan, noop } from '../plan/change.js';
import { memberTarget, pendingLearners, unappliedMembershipChanges } from './etcd-cluster-facts.js';
import { clusterAccess, memberEndpoints, peerUrl } from '../etcd/cluster-spec.js';
import { unappliedSummary } from '../etcd/gate-plan.js';
import { defineModule, type ModuleContext } from './module.js';
import { TaskFailure } from './task-failure.js';

export interface EtcdMemberArgs {
  readonly action: 'add' | 'promote' | 'remove';
  readonly name?: string;
  readonly peer_urls?: readonly string[];
  readonly id?: string;
  readonly learner?: boolean;
  readonly timeout?: number;
  readonly local_pki_dir?: string;
}

export interface EtcdMemberFacts {
  readonly access?: ClusterAccess;
  readonly health?: ClusterHealth;
}

/** Voters needed for a quorum among `voters` voting members. */
export const quorumOf = (voters: number): number => Math.floor(voters / 2) + 1;

function target(args: EtcdMemberArgs, ctx: ModuleContext) {
  // A member chosen by ID alone (e.g. a learner of no inventory host) is named by its ID, not this host.
  const name = args.name ?? (args.id !== undefined ? args.id : ctx.host);
  const hostsHere = (ctx.vars.hostvars ?? {}) as Record<string, unknown>;
  // A member no longer in the inventory (its host is gone) is still found by its name or ID.
  const urls = args.peer_urls ?? (name === ctx.host || name in hostsHere ? [peerUrl(ctx, name)] : []);
  return { name, urls };
}

function findMember(args: EtcdMemberArgs, ctx: ModuleContext, members: readonly MemberHealth[]): MemberHealth | undefined {
  const { name, urls } = target(args, ctx);
  if (args.id !== undefined) return members.find((m) => m.id === args.id!.replace(/^0x/, '').toLowerCase());
  return members.find((m) => m.name === name) ?? members.find((m) => m.peerURLs.some((u) => urls.includes(u)));
}

function describe(m: MemberHealth): string {
  return `${m.name || '(not started)'} ${m.id}${m.isLearner ? ' (learner)' : ''}`;
}

export function planMember(args: EtcdMemberArgs, facts: EtcdMemberFacts, ctx: ModuleContext): TaskPlan {
  const { name, urls } = target(args, ctx);
  const unapplied = unappliedSummary(ctx);
  if (facts.health === undefined) {
    if (unapplied !== undefined) return { changes: [], deferred: `the cluster and its admin certificate do not exist yet: they are made by ${unapplied}` };
    throw new TaskFailure('no admin client certificate on the control node: build the cluster with playbooks/site.yml first');
  }
  const health = facts.health;
  if (health.members.length === 0) throw new TaskFailure(`no etcd member answered: ${health.problems.join('; ')}`);
  // An earlier change of this run to the same member (its removal before a replacement, its add before a
  // promotion) is planned, not applied: today's membership says nothing about what this change will find.
  const earlier = unappliedMembershipChanges(ctx.unappliedChanges).find((c) => c.target === memberTarget(name));
  if (earlier) return { changes: [], deferred: `${memberTarget(name)} is changed by an earlier task of this run ("${earlier.task}"), not applied yet` };
  const member = findMember(args, ctx, health.members);
  const result = (m: MemberHealth | undefined) => ({ id: m?.id ?? null, name, members: health.members.map(describe) });
  if (args.action === 'add') {
    if (member) return noop(`${name} is already a member (${describe(member)})`, result(member));
    if (urls.length === 0) throw new TaskFailure(`no peer URL for ${name}: give peer_urls or put the host in the inventory`);
    if (!health.healthy) throw new TaskFailure(`refusing to add ${name}: the cluster is not healthy: ${health.problems.join('; ')}`);
    const pending = pendingLearners(health, ctx);
    if (pending.length > 0) {
      throw new TaskFailure(`refusing to add ${name}: learner ${pending.join(', ')} is still pending; promote or remove it first`);
    }
    const learner = args.learner ?? true;
    return {
      changes: [{ action: ChangeAction.CREATE, target: memberTarget(name), reason: `not a member yet: added${learner ? ' as a learner' : ''} with peer URL ${urls.join(', ')}` }],
      result: result(undefined),
    };
  }
  if (args.action === 'promote') {
    if (!member) throw new TaskFailure(`cannot promote ${name}: not a member (members: ${health.members.map(describe).join(', ')})`);
    if (!member.isLearner) return noop(`${name} is a voting member`, result(member));
    return { changes: [{ action: ChangeAction.UPDATE, target: memberTarget(name), reason: 'learner: promoted to a voting member once it has caught up with the leader', before: 'learner\n', after: 'voter\n' }], result: result(member) };
  }
  if (!member) return noop(`${name} is not a member`, result(undefined));
  if (!member.isLearner) {
    const voters = health.members.filter((m) => !m.isLearner);
    const remaining = voters.filter((m) => m.id !== member.id);
    const healthy = remaining.filter((m) => m.healthy).length;
    if (remaining.length === 0) throw new TaskFailure(`refusing to remove ${name}: it is the last voting member`);
    if (healthy < quorumOf(remaining.length)) {
      throw new TaskFailure(
        `refusing to remove ${name}: only ${healthy} of the ${remaining.length} remaining voting members are healthy, a quorum needs ${quorumOf(remaining.length)}`,
      );
    }
  }
  return { changes: [{ action: ChangeAction.DELETE, target: memberTarget(name), reason: `member ${describe(member)} is removed`, before: `${describe(member)}\n`, after: '' }], result: result(member) };
}

export const etcdMemberModule = defineModule<EtcdMemberArgs, EtcdMemberFacts>({
  name: 'etcd_member',
  description:
    'Add (as a learner by default), promote or remove one etcd member with its safety checks: adds only to a healthy cluster with no pending learner, removes only while a healthy majority remains.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['action'],
    properties: {
      action: { type: 'string', enum: ['add', 'promote', 'remove'], description: 'The membership change to make.' },
      name: { type: 'string', description: 'Member name, the inventory host name (default: the current host).' },
      peer_urls: {
        type: 'array',
        items: { type: 'string', description: 'A peer URL such as https://10.0.0.4:2380.' },
        description: "Peer URLs of the member (default: computed from the host's etcd_address or ansible_host).",
      },
      id: { type: 'string', description: 'Member ID in hex as etcdctl prints it; selects the member instead of name (remove, promote).' },
      learner: { type: 'boolean', description: 'add: join as a non-voting learner first (default true; etcd 3.4 and later).' },
      timeout: { type: 'number', exclusiveMinimum: 0, description: 'promote: seconds to wait for the learner to catch up (default 120).' },
      local_pki_dir: { type: 'string', description: 'Folder of the admin client certificate on the control node (default: etcd_local_pki_dir).' },
    },
  },
  example: `- name: Add this host as a learner
  etcd_member:
    action: add
  register: added
- name: Promote it once started and caught up
  etcd_member:
    action: promote
`,
  idempotent: true,
  controlOnly: true,
  async gather(args, ctx) {
    const access = await clusterAccess(ctx, { pkiDir: args.local_pki_dir });
    return access === undefined ? {} : { access, health: await checkClusterHealth(await memberEndpoints({ ...access, timeoutMs: 5000 })) };
  },
  plan: (args, facts, ctx) => planMember(args, facts, ctx),
  async apply(args, plan, ctx) {
    const access = (await clusterAccess(ctx, { pkiDir: args.local_pki_dir }))!;
    const { name, urls } = target(args, ctx);
    const id = plan.result?.id as string | null;
    if (args.action === 'add') {
      const added = await memberAdd(access, urls, { learner: args.learner ?? true, retryUnhealthyMs: 30_000 });
      return { changed: true, result: { id: added.member.id, name, learner: added.member.isLearner } };
    }
    if (args.action === 'promote') {
      const promoted = await promoteLearnerWhenReady(access, id!, { timeoutMs: (args.timeout ?? 120) * 1000 });
      return { changed: true, result: { id, name, attempts: promoted.attempts } };
    }
    await memberRemove(access, id!);
    return { changed: true, result: { id, name, removed: true } };
  },
});
