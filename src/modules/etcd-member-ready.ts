// etcd_member_ready: polls (no fixed sleeps) until one member, typically the one just restarted, answers
// healthy through a quorum read, has applied the leader's log up to a small lag and reports the expected
// version; fails with what is still missing when the deadline passes.
import { checkClusterHealth, type ClusterHealth } from '../etcd/cluster-health.js';
import { noop } from '../plan/change.js';
import { clusterAccess, memberEndpoints } from './etcd-targets.js';
import { defineModule } from './module.js';
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
  readonly waitedMs: number;
  readonly checks: number;
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
    const started = Date.now();
    const access = await clusterAccess(ctx, { pkiDir: args.local_pki_dir, timeoutMs: 3000 });
    if (access === undefined) return { waitedMs: 0, checks: 0 };
    // A check run restarted nothing, so there is nothing to wait for.
    const deadline = started + (ctx.vars.ansible_check_mode === true ? 0 : (args.timeout ?? 120) * 1000);
    const endpoints = await memberEndpoints(access);
    for (let checks = 1; ; checks++) {
      const health = await checkClusterHealth({ ...endpoints, timeoutMs: Math.max(1000, Math.min(3000, deadline - Date.now())) });
      const ready = readinessProblems(health, args.name ?? ctx.host, args.version, args.max_raft_index_lag ?? DEFAULT_MAX_RAFT_INDEX_LAG).length === 0;
      if (ready || Date.now() >= deadline) return { health, waitedMs: Date.now() - started, checks };
      await new Promise((resolve) => setTimeout(resolve, (args.interval ?? 0.25) * 1000));
    }
  },
  plan(args, facts, ctx) {
    const name = args.name ?? ctx.host;
    const check = ctx.vars.ansible_check_mode === true;
    if (facts.health === undefined) {
      if (check) return { changes: [], deferred: 'no admin certificate yet: there is no cluster' };
      throw new TaskFailure('no admin client certificate on the control node: build the cluster with playbooks/site.yml first');
    }
    const problems = readinessProblems(facts.health, name, args.version, args.max_raft_index_lag ?? DEFAULT_MAX_RAFT_INDEX_LAG);
    const member = facts.health.members.find((m) => m.name === name);
    const result = { name, version: member?.version ?? null, healthy: member?.healthy ?? false, raft_applied_index: member?.raftAppliedIndex ?? null, waited_ms: facts.waitedMs, checks: facts.checks };
    if (problems.length > 0) {
      if (check) return { changes: [], deferred: `waits until ${name} is healthy, caught up${args.version ? ` and on ${args.version}` : ''} (now: ${problems.join('; ')})`, result };
      throw new TaskFailure(`${name} is not ready after ${(facts.waitedMs / 1000).toFixed(1)} s: ${problems.join('; ')}`, { ...result, problems });
    }
    return noop(`${name} healthy, caught up${args.version ? `, on ${args.version}` : ''} (after ${(facts.waitedMs / 1000).toFixed(1)} s, ${facts.checks} check${facts.checks > 1 ? 's' : ''})`, result);
  },
  apply: async (_args, plan) => ({ changed: false, result: plan.result }),
});
