// etcd_health: the health gate. Asks the cluster once while planning; when it does not pass yet, apply polls
// it (no fixed sleeps) until every member has started and is healthy, exactly one leader is agreed on, no
// alarm is raised, voting members' raft indexes are close, no learner is pending and every standby learner
// is caught up with the leader, and fails the host with every problem found when the deadline passes.
import { checkClusterHealth, DEFAULT_MAX_RAFT_INDEX_SPREAD, isAllowedAlarm, type ClusterHealth } from '../etcd/cluster-health.js';
import { learnerLag, standbyLearners } from './etcd-cluster-facts.js';
import { clusterAccess, memberEndpoints } from '../etcd/cluster-spec.js';
import { planGate, pollGate, unappliedSummary } from '../etcd/gate-plan.js';
import { defineModule, type GatherContext, type ModuleContext } from './module.js';
import { TaskFailure } from './task-failure.js';

export interface EtcdHealthArgs {
  readonly timeout?: number;
  readonly interval?: number;
  readonly max_raft_index_spread?: number;
  readonly allow_pending_learners?: boolean;
  readonly voting_members?: number;
  readonly allow_alarms?: readonly string[];
  readonly local_pki_dir?: string;
}

export interface EtcdHealthFacts {
  /** Undefined when there is no admin certificate yet. */
  readonly health?: ClusterHealth;
}

/**
 * Everything that keeps the gate shut, beyond what the health check itself reports. `standby` names the
 * started learners the inventory keeps as learners by design: they are not pending, but must keep up.
 */
export function gateProblems(args: EtcdHealthArgs, health: ClusterHealth, standby: readonly string[] = []): string[] {
  const allowed = new Set(args.allow_alarms ?? []);
  const problems = health.problems.filter((p) => {
    const alarm = /^alarm (.+) raised on (unknown )?member \S+$/.exec(p);
    return alarm === null || !isAllowedAlarm(alarm[1]!, allowed);
  });
  // An allowed alarm must not hide a member that is down for another reason.
  for (const m of health.members) {
    const hiddenError = m.alarms.length > 0 && m.error !== null && !m.error.startsWith('alarm ');
    if (allowed.size > 0 && m.started && hiddenError) problems.push(`member ${m.name || m.id} is unhealthy: ${m.error}`);
  }
  const pending = health.pendingLearners.filter((name) => !standby.includes(name));
  if (!args.allow_pending_learners && pending.length > 0) problems.push(`learner ${pending.join(', ')} not promoted yet`);
  const bound = args.max_raft_index_spread ?? DEFAULT_MAX_RAFT_INDEX_SPREAD;
  for (const name of standby) {
    const lag = learnerLag(health, name);
    if (lag === null) problems.push(`standby learner ${name}: its raft index or the leader's is unknown`);
    else if (lag > bound) problems.push(`standby learner ${name} lags the leader by ${lag} raft entries (bound ${bound})`);
  }
  const unstarted = health.members.filter((m) => !m.started);
  if (unstarted.length > 0) problems.push(`member ${unstarted.map((m) => m.id).join(', ')} added but not started`);
  const voters = health.members.filter((m) => !m.isLearner).length;
  if (args.voting_members !== undefined && voters !== args.voting_members) problems.push(`${voters} voting members, expected ${args.voting_members}`);
  return [...new Set(problems)];
}

function summary(health: ClusterHealth, standby: readonly string[]): string {
  const voters = health.members.filter((m) => !m.isLearner);
  const leader = health.members.find((m) => m.isLeader);
  const indexes = voters.map((m) => m.raftIndex ?? 0);
  const spread = indexes.length ? Math.max(...indexes) - Math.min(...indexes) : 0;
  const even = voters.length % 2 === 0 ? ` (warning: ${voters.length} voting members tolerate no more failures than ${voters.length - 1} would)` : '';
  const learners = standby.map((name) => `, standby learner ${name} ${learnerLag(health, name)} raft entries behind the leader`).join('');
  const alarms = [...new Set(health.members.flatMap((m) => m.alarms))];
  const alarmText = alarms.length === 0 ? 'no alarm' : `alarm ${alarms.join(', ')} allowed`;
  return `${voters.length} voting members healthy${even}${learners}, leader ${leader?.name ?? health.leaderId}, raft index spread ${spread}, ${alarmText}`;
}

/** The registered result: each member as the gate saw it last. */
function healthResult(health: ClusterHealth, problems: readonly string[], waitedMs: number, checks: number): Record<string, unknown> {
  const members = health.members.map((m) => ({
    name: m.name,
    id: m.id,
    leader: m.isLeader,
    learner: m.isLearner,
    healthy: m.healthy,
    version: m.version,
    raft_index: m.raftIndex,
    db_size: m.dbSize,
    error: m.error,
  }));
  return { healthy: problems.length === 0, members, leader: health.leaderId, waited_ms: waitedMs, checks, ...(problems.length ? { problems } : {}) };
}

/** Reads the cluster's health once, bounded by `timeoutMs`; undefined without an admin certificate. */
async function readHealth(args: EtcdHealthArgs, ctx: ModuleContext & Pick<GatherContext, 'connection'>) {
  const access = await clusterAccess(ctx, { pkiDir: args.local_pki_dir });
  if (access === undefined) return undefined;
  const options = { ...(await memberEndpoints({ ...access, timeoutMs: 3000 })), maxRaftIndexSpread: args.max_raft_index_spread };
  return (timeoutMs: number) => checkClusterHealth({ ...options, timeoutMs: Math.max(1000, Math.min(5000, timeoutMs)) });
}

export const etcdHealthModule = defineModule<EtcdHealthArgs, EtcdHealthFacts>({
  name: 'etcd_health',
  description:
    'Health gate: wait until every etcd member is started and healthy, one leader, no alarm, raft indexes close, no learner pending and standby learners (etcd_learner: true) caught up; fail with the problems otherwise.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      timeout: { type: 'number', exclusiveMinimum: 0, description: 'Seconds to wait for the cluster to pass (default 120).' },
      interval: { type: 'number', exclusiveMinimum: 0, description: 'Seconds between checks (default 0.5).' },
      max_raft_index_spread: {
        type: 'integer',
        minimum: 0,
        description: `Largest allowed raft index difference between voting members, and between the leader and a standby learner (default ${DEFAULT_MAX_RAFT_INDEX_SPREAD}).`,
      },
      allow_pending_learners: { type: 'boolean', description: 'Pass even while a learner waits for promotion (default false); standby learners (etcd_learner: true) are never pending.' },
      voting_members: { type: 'integer', minimum: 1, description: 'Also require exactly this many voting members.' },
      allow_alarms: {
        type: 'array',
        items: { type: 'string', enum: ['NOSPACE', 'CORRUPT'] },
        description: 'Alarms that do not shut the gate, e.g. [NOSPACE] while recover-space.yml frees space (default: none).',
      },
      local_pki_dir: { type: 'string', description: 'Folder of the admin client certificate on the control node (default: etcd_local_pki_dir).' },
    },
  },
  example: `- name: Wait for a healthy cluster
  etcd_health:
    timeout: 60
  run_once: true
`,
  idempotent: true,
  controlOnly: true,
  async gather(args, ctx) {
    const read = await readHealth(args, ctx);
    return read === undefined ? {} : { health: await read(5000) };
  },
  plan(args, facts, ctx) {
    if (facts.health === undefined) {
      const unapplied = unappliedSummary(ctx);
      if (unapplied !== undefined) return { changes: [], deferred: `no admin certificate yet: the cluster is made by ${unapplied}` };
      throw new TaskFailure('no admin client certificate on the control node: run playbooks/site.yml first');
    }
    const health = facts.health;
    const standby = standbyLearners(health, ctx);
    const problems = gateProblems(args, health, standby);
    return planGate(ctx, {
      waitsFor: 'every etcd member is healthy, with one leader, no alarm, raft indexes close and no learner pending',
      problems,
      passed: summary(health, standby),
      timeoutSeconds: args.timeout ?? 120,
      target: 'etcd cluster health',
      result: healthResult(health, problems, 0, 1),
    });
  },
  async apply(args, plan, ctx) {
    if (!plan.changes.length) return { changed: false, result: plan.result };
    const read = (await readHealth(args, ctx))!;
    const polled = await pollGate({
      timeoutMs: (args.timeout ?? 120) * 1000,
      intervalMs: (args.interval ?? 0.5) * 1000,
      read,
      problems: (health) => gateProblems(args, health, standbyLearners(health, ctx)),
    });
    const result = healthResult(polled.state, polled.problems, polled.waitedMs, polled.checks);
    if (polled.problems.length > 0) {
      return { changed: false, failed: true, msg: `the etcd cluster is not healthy after ${(polled.waitedMs / 1000).toFixed(1)} s: ${polled.problems.join('; ')}`, result };
    }
    const standby = standbyLearners(polled.state, ctx);
    return { changed: false, result, reason: `${summary(polled.state, standby)} (after ${(polled.waitedMs / 1000).toFixed(1)} s, ${polled.checks} checks)` };
  },
});
