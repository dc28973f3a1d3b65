// etcd_member_ready: the gate for one member, typically the one just restarted: asked once while planning,
// then, when not ready yet, polled in apply (no fixed sleeps) until it answers healthy through a quorum
// read, has applied the leader's log up to a small lag and reports the expected version; fails with what
// is still missing when the deadline passes.
import { checkClusterHealth, type ClusterHealth } from '../etcd/cluster-health.js';
import { clusterAccess, memberEndpoints } from '../etcd/cluster-spec.js';
import { planGate, pollGate, unappliedSummary } from '../etcd/gate-plan.js';
import { defineModule, type GatherContext, type ModuleContext } from './module.js';
import { TaskFailure } from './task-failure.js';

export interface EtcdMemberReadyArgs {
  readonly name?: string;
  readonly version?: string;
  readonly timeout?: number;
  readonly interval?: number;
  readonly max_raft_index_lag?: number;
  readonly local_pki_dir?: string;
}

export interface EtcdMemberReadyFacts {
  readonly health?: ClusterHealth;
}

export const DEFAULT_MAX_RAFT_INDEX_LAG = 100;

/** What the member still lacks; empty when it is ready. */
export function readinessProblems(health: ClusterHealth, name: string, version: string | undefined, maxLag: number): string[] {
  const member = health.members.find((m) => m.name === name);
  if (!member) return [`${name} is not a member (members: ${health.members.map((m) => m.name || m.id).join(', ')})`];
  const problems: string[] = [];
  if (!member.healthy) problems.push(`${name} is unhealthy: ${member.error}`);
  if (version !== undefined && member.version !== version) problems.push(`${name} reports version ${member.version ?? 'none'}, not ${version}`);
  const leader = health.members.find((m) => m.isLeader);
  if (!leader) problems.push('the cluster has no leader');
  else if (member.healthy) {
    const applied = member.raftAppliedIndex ?? member.raftIndex ?? 0;
    const lag = (leader.raftIndex ?? 0) - applied;
    if (lag > maxLag) problems.push(`${name} has applied raft index ${applied}, ${lag} behind the leader ${leader.name} (bound ${maxLag})`);
  }
  return problems;
}

/** Reads the cluster once, bounded by `timeoutMs`; undefined without an admin certificate. */
async function readHealth(args: EtcdMemberReadyArgs, ctx: ModuleContext & Pick<GatherContext, 'connection'>) {
  const access = await clusterAccess(ctx, { pkiDir: args.local_pki_dir, timeoutMs: 3000 });
  if (access === undefined) return undefined;
  const endpoints = await memberEndpoints(access);
  return (timeoutMs: number) => checkClusterHealth({ ...endpoints, timeoutMs: Math.max(1000, Math.min(3000, timeoutMs)) });
}

function readyResult(health: ClusterHealth, name: string, waitedMs: number, checks: number): Record<string, unknown> {
  const member = health.members.find((m) => m.name === name);
  return { name, version: member?.version ?? null, healthy: member?.healthy ?? false, raft_applied_index: member?.raftAppliedIndex ?? null, waited_ms: waitedMs, checks };
}

export const etcdMemberReadyModule = defineModule<EtcdMemberReadyArgs, EtcdMemberReadyFacts>({
  name: 'etcd_member_ready',
  description: 'Wait until one etcd member is healthy, caught up with the leader and reports the expected version; fail with what is missing otherwise.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      name: { type: 'string', description: 'Member name (default: the current host).' },
      version: { type: 'string', description: 'The etcd version the member must report, e.g. 3.5.16.' },
      timeout: { type: 'number', exclusiveMinimum: 0, description: 'Seconds to wait (default 120).' },
      interval: { type: 'number', exclusiveMinimum: 0, description: 'Seconds between checks (default 0.25).' },
      max_raft_index_lag: { type: 'integer', minimum: 0, description: `Largest allowed gap between the leader's raft index and the member's applied index (default ${DEFAULT_MAX_RAFT_INDEX_LAG}).` },
      local_pki_dir: { type: 'string', description: 'Folder of the admin client certificate on the control node (default: etcd_local_pki_dir).' },
    },
  },
  example: `- name: Member back, caught up and on the new version
  etcd_member_ready:
    version: "{{ etcd_version }}"
    timeout: 120
`,
  idempotent: true,
  controlOnly: true,
  async gather(args, ctx) {
    const read = await readHealth(args, ctx);
    return read === undefined ? {} : { health: await read(3000) };
  },
  plan(args, facts, ctx) {
    const name = args.name ?? ctx.host;
    if (facts.health === undefined) {
      const unapplied = unappliedSummary(ctx);
      if (unapplied !== undefined) return { changes: [], deferred: `no admin certificate yet: the cluster is made by ${unapplied}` };
      throw new TaskFailure('no admin client certificate on the control node: build the cluster with playbooks/site.yml first');
    }
    const maxLag = args.max_raft_index_lag ?? DEFAULT_MAX_RAFT_INDEX_LAG;
    return planGate(ctx, {
      waitsFor: `${name} is healthy, caught up${args.version ? ` and on ${args.version}` : ''}`,
      problems: readinessProblems(facts.health, name, args.version, maxLag),
      passed: `${name} healthy, caught up${args.version ? `, on ${args.version}` : ''}`,
      timeoutSeconds: args.timeout ?? 120,
      target: `etcd member ${name}`,
      result: readyResult(facts.health, name, 0, 1),
    });
  },
  async apply(args, plan, ctx) {
    if (!plan.changes.length) return { changed: false, result: plan.result };
    const name = args.name ?? ctx.host;
    const maxLag = args.max_raft_index_lag ?? DEFAULT_MAX_RAFT_INDEX_LAG;
    const polled = await pollGate({
      timeoutMs: (args.timeout ?? 120) * 1000,
      intervalMs: (args.interval ?? 0.25) * 1000,
      read: (await readHealth(args, ctx))!,
      problems: (health) => readinessProblems(health, name, args.version, maxLag),
    });
    const result = readyResult(polled.state, name, polled.waitedMs, polled.checks);
    if (polled.problems.length > 0) {
      return { changed: false, failed: true, msg: `${name} is not ready after ${(polled.waitedMs / 1000).toFixed(1)} s: ${polled.problems.join('; ')}`, result: { ...result, problems: polled.problems } };
    }
    return { changed: false, result, reason: `${name} healthy, caught up${args.version ? `, on ${args.version}` : ''} (after ${(polled.waitedMs / 1000).toFixed(1)} s, ${polled.checks} checks)` };
  },
});
