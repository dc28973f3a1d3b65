// etcd_space: reads every member's database size, size in use and revision, and the raised alarms, and
// sets the facts defrag.yml and recover-space.yml decide with: which members the defragmentation rule
// picks (followers in inventory order, the leader last) and whether the NOSPACE alarm is raised.
import { readClusterSpace, type ClusterSpace, type MemberSpace } from '../etcd/backend-space.js';
import { defragDecision, type DefragThresholds } from '../etcd/defrag-rule.js';
import { noop } from '../plan/change.js';
import { clusterAccess, memberEndpoints, memberHosts } from '../etcd/cluster-spec.js';
import { defineModule, type ModuleContext } from './module.js';
import { TaskFailure } from './task-failure.js';
import { unappliedSummary } from '../etcd/gate-plan.js';

export interface EtcdSpaceArgs {
  readonly min_free_mib?: number;
  readonly min_free_percent?: number;
  readonly force?: boolean;
  readonly local_pki_dir?: string;
}

/** The rule's defaults, as in the role defaults (etcd_defrag_min_free_mib, etcd_defrag_min_free_percent). */
export const DEFAULT_THRESHOLDS: DefragThresholds = { minFreeMiB: 100, minFreePercent: 25 };

export function thresholdsOf(args: Pick<EtcdSpaceArgs, 'min_free_mib' | 'min_free_percent'>): DefragThresholds {
  return { minFreeMiB: args.min_free_mib ?? DEFAULT_THRESHOLDS.minFreeMiB, minFreePercent: args.min_free_percent ?? DEFAULT_THRESHOLDS.minFreePercent };
}

/** Members in inventory order (members of no inventory host after them), so followers go in a predictable order. */
function inInventoryOrder(members: readonly MemberSpace[], hosts: readonly string[]): MemberSpace[] {
  const rank = (m: MemberSpace): number => (hosts.includes(m.name) ? hosts.indexOf(m.name) : hosts.length);
  return [...members].sort((a, b) => rank(a) - rank(b));
}

export function spaceFacts(args: EtcdSpaceArgs, space: ClusterSpace, hosts: readonly string[]): Record<string, unknown> {
  const thresholds = thresholdsOf(args);
  const members = inInventoryOrder(space.members, hosts).map((m) => {
    const decision = defragDecision(m, thresholds, args.force === true);
    return {
      name: m.name,
      id: m.id,
      leader: m.isLeader,
      learner: m.isLearner,
      db_size: m.dbSize,
      db_size_in_use: m.dbSizeInUse,
      free_percent: decision.freePercent,
      revision: m.revision,
      defragment: decision.defragment,
      reason: decision.reason,
    };
  });
  const picked = members.filter((m) => m.defragment);
  const leader = picked.find((m) => m.leader);
  const names = (id: string): string => space.members.find((m) => m.id === id)?.name ?? id;
  return {
    etcd_space_members: members,
    etcd_defrag_pending: [...picked.filter((m) => !m.leader).map((m) => m.name), ...(leader ? [leader.name] : [])],
    etcd_defrag_leader: leader?.name ?? '',
    etcd_space_alarms: space.alarms.map((a) => `${a.alarm} on ${names(a.memberId)}`),
    etcd_nospace: space.alarms.some((a) => a.alarm === 'NOSPACE'),
    etcd_space_revision: Math.max(0, ...members.map((m) => m.revision)),
  };
}

function describe(facts: Record<string, unknown>): string {
  const members = facts.etcd_space_members as { name: string; leader: boolean; defragment: boolean; reason: string }[];
  const lines = members.map((m) => `${m.name}${m.leader ? ' (leader)' : ''}: ${m.reason}${m.defragment ? ' → defragment' : ''}`);
  const alarms = facts.etcd_space_alarms as string[];
  return [...lines, alarms.length ? `alarms: ${alarms.join(', ')}` : 'no alarm'].join('; ');
}

export function planSpace(args: EtcdSpaceArgs, space: ClusterSpace | undefined, ctx: ModuleContext) {
  if (space === undefined) {
    const unapplied = unappliedSummary(ctx);
    if (unapplied !== undefined) return { changes: [], deferred: `no admin certificate yet: the cluster is made by ${unapplied}` };
    throw new TaskFailure('no admin client certificate on the control node: build the cluster with playbooks/site.yml first');
  }
  if (space.unreachable.length > 0) {
    throw new TaskFailure(
      `cannot read the database size of ${space.unreachable.map((u) => `${u.name} (${u.error})`).join(', ')}: bring every member back (etcdops etcdctl -i INV -- endpoint health --cluster) and run again`,
    );
  }
  const facts = spaceFacts(args, space, memberHosts(ctx));
  return noop(describe(facts), { ansible_facts: facts });
}

export const etcdSpaceModule = defineModule<EtcdSpaceArgs, ClusterSpace | undefined>({
  name: 'etcd_space',
  description:
    'Read every etcd member\'s database size, size in use and revision and the raised alarms; set etcd_space_members (sizes and the defragmentation decision), etcd_defrag_pending (followers first, the leader last), etcd_defrag_leader, etcd_space_alarms, etcd_nospace, etcd_space_revision.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      min_free_mib: { type: 'number', minimum: 0, description: `Defragment a member when at least this many MiB of its file are free (default ${DEFAULT_THRESHOLDS.minFreeMiB}) ...` },
      min_free_percent: { type: 'number', minimum: 0, maximum: 100, description: `... and at least this percentage of its file is free (default ${DEFAULT_THRESHOLDS.minFreePercent}).` },
      force: { type: 'boolean', description: 'Pick every member whatever its sizes (NOSPACE recovery); default false.' },
      local_pki_dir: { type: 'string', description: 'Folder of the admin client certificate on the control node (default: etcd_local_pki_dir).' },
    },
  },
  example: `- name: Which members would a defragmentation pick?
  etcd_space:
    min_free_mib: 100
    min_free_percent: 25
  run_once: true
- debug:
    msg: "defragment {{ etcd_defrag_pending | join(', ') }}"
  run_once: true
`,
  idempotent: true,
  controlOnly: true,
  facts: ['etcd_space_members', 'etcd_defrag_pending', 'etcd_defrag_leader', 'etcd_space_alarms', 'etcd_nospace', 'etcd_space_revision'],
  async gather(args, ctx) {
    const access = await clusterAccess(ctx, { pkiDir: args.local_pki_dir, timeoutMs: 5000 });
    return access === undefined ? undefined : readClusterSpace(await memberEndpoints(access));
  },
  plan: (args, space, ctx) => planSpace(args, space, ctx),
  apply: async (_args, plan) => ({ changed: false, result: plan.result }),
});
