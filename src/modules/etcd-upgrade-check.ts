// etcd_upgrade_check: the gates around a rolling upgrade. `before`: every member healthy, one leader, no
// alarm, no learner, every member an inventory host, and a supported version step; sets the order
// (followers, then the leader) and each member's rollback steps. `after`: a gate that passes once every
// member reports the target version and the cluster version has followed (asked once while planning, then
// polled in apply), and returns the record of the upgrade.
import type Semver from 'semver';
import { onFirstUse } from '../startup/on-first-use.js';
import { checkClusterHealth, type ClusterHealth } from '../etcd/cluster-health.js';
import { noop, type TaskPlan } from '../plan/change.js';
import { fetchVersions } from '../etcd/cluster-version.js';
import type { ClusterAccess } from '../etcd/cluster-access.js';
import { clientHttpPort, clusterAccess, memberEndpoints, memberHosts } from '../etcd/cluster-spec.js';
import { planGate, pollGate, unappliedSummary } from '../etcd/gate-plan.js';
import { rollbackSteps, upgradeOrder, type UpgradeCandidate } from '../etcd/upgrade-order.js';
import { expectedClusterVersion, parseVersion, upgradeStep } from '../etcd/upgrade-step.js';
import { defineModule, type ModuleContext } from './module.js';
import { TaskFailure } from './task-failure.js';

const semver = onFirstUse<typeof Semver>('semver');

export interface EtcdUpgradeCheckArgs {
  readonly version: string;
  readonly stage?: 'before' | 'after';
  readonly allow_downgrade?: boolean | string;
  readonly timeout?: number;
  readonly local_pki_dir?: string;
}

export interface EtcdUpgradeCheckFacts {
  /** Undefined when there is no admin certificate: nothing was ever deployed. */
  readonly health?: ClusterHealth;
  /** The cluster version the members report, or null when none answered. */
  readonly clusterVersion: string | null;
}

const truthy = (value: boolean | string | undefined): boolean => value === true || /^(true|yes|on|1)$/i.test(String(value ?? ''));

/** The members in inventory order with their versions, and what keeps the cluster from being upgraded. */
function candidates(health: ClusterHealth, hosts: readonly string[]): { members: UpgradeCandidate[]; problems: string[] } {
  const problems = [...health.problems];
  const leaders = health.members.filter((m) => m.isLeader);
  if (leaders.length !== 1 && !problems.some((p) => /leader/.test(p))) problems.push(`${leaders.length} members are leader, expected exactly one`);
  for (const m of health.members) {
    const label = m.name || m.id;
    if (m.isLearner) problems.push(`member ${label} is a learner: promote or remove it before upgrading`);
    if (!m.started) problems.push(`member ${label} was added but never started`);
    else if (!hosts.includes(m.name)) problems.push(`member ${label} is not a host of the inventory group: it could not be upgraded`);
    if (m.started && m.version === null) problems.push(`member ${label} did not report its version`);
  }
  for (const host of hosts) if (!health.members.some((m) => m.name === host)) problems.push(`${host} is not a member yet: run site.yml first`);
  const members = hosts.flatMap((host) => {
    const m = health.members.find((candidate) => candidate.name === host);
    return m?.version ? [{ name: host, version: m.version, leader: m.isLeader }] : [];
  });
  return { members, problems: [...new Set(problems)] };
}

function planBefore(args: EtcdUpgradeCheckArgs, facts: EtcdUpgradeCheckFacts, ctx: ModuleContext, health: ClusterHealth): TaskPlan {
  const target = parseVersion(args.version, 'etcd_version').version;
  const { members, problems } = candidates(health, memberHosts(ctx));
  const versions = [...new Set(members.map((m) => m.version))].sort(semver().compare);
  const steps = versions.map((v) => upgradeStep(v, target, { allowDowngrade: truthy(args.allow_downgrade), clusterVersion: facts.clusterVersion }));
  problems.push(...steps.filter((s) => !s.allowed).map((s) => s.reason));
  if (problems.length > 0) {
    throw new TaskFailure(`pre-flight refused the upgrade to ${target}, nothing was touched: ${problems.join('; ')}`, { problems });
  }
  const { order, last, done } = upgradeOrder(members, target);
  const installDir = String(ctx.vars.etcd_install_dir ?? '/opt/etcd');
  const clusterVersion = facts.clusterVersion ?? 'unknown';
  const rollback = Object.fromEntries(
    order.map((host, i) => [
      host,
      rollbackSteps({
        host,
        from: members.find((m) => m.name === host)!.version,
        to: target,
        installDir,
        untouched: order.slice(i + 1).map((name) => members.find((m) => m.name === name)!),
        upgraded: [...done, ...order.slice(0, i)],
        clusterVersion,
      }),
    ]),
  );
  const leader = members.find((m) => m.leader)!.name;
  const record = {
    from: versions,
    to: target,
    order,
    leader,
    last,
    done,
    versions: Object.fromEntries(members.map((m) => [m.name, m.version])),
    cluster_version: clusterVersion,
  };
  const upgradeFacts = {
    etcd_upgrade: record,
    etcd_upgrade_pending: order,
    etcd_upgrade_last: last ?? '',
    etcd_upgrade_rollback: rollback,
  };
  const sequence = order.length === 0 ? '' : last ? [...order.slice(0, -1), `then the leader ${last} last`].join(', ') : `${order.join(', ')} (the leader ${leader} already runs ${target})`;
  const reason =
    order.length === 0
      ? `every member already runs ${target}: nothing to upgrade`
      : `${members.length} members healthy, leader ${leader}, no alarm; ${steps.filter((s) => s.step !== 'SAME').map((s) => s.reason).join('; ')}; order: ${sequence}; cluster version ${clusterVersion}`;
  return noop(reason, { ansible_facts: upgradeFacts, upgrade: record });
}

/** What keeps the upgrade from being complete: a member not on the target, unhealthy, or a cluster version behind. */
export function afterProblems(target: string, health: ClusterHealth, clusterVersion: string | null): string[] {
  const problems = [...health.problems];
  for (const m of health.members) if (m.version !== target) problems.push(`member ${m.name || m.id} reports ${m.version ?? 'no version'}, not ${target}`);
  const versions = health.members.flatMap((m) => (m.version ? [m.version] : []));
  if (versions.length > 0) {
    const expected = expectedClusterVersion(versions);
    if (!clusterVersion || !semver().valid(clusterVersion) || semver().lt(clusterVersion, expected)) {
      problems.push(`cluster version ${clusterVersion ?? 'unknown'}, not ${expected} yet`);
    }
  }
  return [...new Set(problems)];
}

/** The registered result of `after`; the cluster version becomes a fact once the upgrade is complete. */
function afterResult(facts: Required<EtcdUpgradeCheckFacts>, complete: boolean, waitedMs: number): Record<string, unknown> {
  const versions = Object.fromEntries(facts.health.members.map((m) => [m.name || m.id, m.version]));
  const leader = facts.health.members.find((m) => m.isLeader)?.name ?? null;
  return { cluster_version: facts.clusterVersion, versions, leader, waited_ms: waitedMs, ...(complete ? { ansible_facts: { etcd_cluster_version: facts.clusterVersion } } : {}) };
}

function planAfter(args: EtcdUpgradeCheckArgs, facts: Required<EtcdUpgradeCheckFacts>, ctx: ModuleContext): TaskPlan {
  const target = parseVersion(args.version, 'etcd_version').version;
  const problems = afterProblems(target, facts.health, facts.clusterVersion);
  const leader = facts.health.members.find((m) => m.isLeader)?.name ?? null;
  return planGate(ctx, {
    waitsFor: `every member runs ${target} and the cluster version has followed`,
    problems,
    passed: `every member runs ${target}, cluster version ${facts.clusterVersion}, leader ${leader}`,
    timeoutSeconds: args.timeout ?? 60,
    target: 'etcd member and cluster versions',
    result: afterResult(facts, problems.length === 0, 0),
  });
}

/** The members' health and the cluster version, asked once (the leader first for the version). */
async function readUpgradeState(access: ClusterAccess, httpPort: number): Promise<Required<EtcdUpgradeCheckFacts>> {
  const health = await checkClusterHealth(await memberEndpoints(access));
  const leader = health.members.find((m) => m.isLeader && m.endpoint);
  const endpoints = [...new Set([leader?.endpoint, ...health.members.map((m) => m.endpoint)].filter((e): e is string => !!e))];
  for (const endpoint of endpoints) {
    const clusterVersion = await fetchVersions(access, endpoint, httpPort).then((v) => v.cluster, () => null);
    if (clusterVersion !== null) return { health, clusterVersion };
  }
  return { health, clusterVersion: null };
}

export const etcdUpgradeCheckModule = defineModule<EtcdUpgradeCheckArgs, EtcdUpgradeCheckFacts>({
  name: 'etcd_upgrade_check',
  description:
    'Gates of a rolling upgrade: before (healthy, one leader, no alarm, a supported version step; sets etcd_upgrade, the order and rollback steps) and after (every member and the cluster version on the target).',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['version'],
    properties: {
      version: { type: 'string', description: 'The etcd version to upgrade to, e.g. 3.5.16.' },
      stage: { type: 'string', enum: ['before', 'after'], description: 'before: the pre-flight gate and the order (default); after: wait until the upgrade is complete.' },
      allow_downgrade: { type: ['boolean', 'string'], description: 'Allow an older target version: another patch, or one minor while the cluster version is still that minor (a stopped upgrade, or after etcd\'s downgrade protocol on 3.6+).' },
      timeout: { type: 'number', exclusiveMinimum: 0, description: 'after: seconds to wait for the versions to settle (default 60).' },
      local_pki_dir: { type: 'string', description: 'Folder of the admin client certificate on the control node (default: etcd_local_pki_dir).' },
    },
  },
  example: `- name: etcd upgrade pre-flight
  etcd_upgrade_check:
    version: "{{ etcd_version }}"
  run_once: true
- debug:
    msg: "order {{ etcd_upgrade_pending | join(', ') }}"
  run_once: true
`,
  idempotent: true,
  controlOnly: true,
  facts: ['etcd_upgrade', 'etcd_upgrade_pending', 'etcd_upgrade_last', 'etcd_upgrade_rollback', 'etcd_cluster_version'],
  async gather(args, ctx) {
    const access = await clusterAccess(ctx, { pkiDir: args.local_pki_dir, timeoutMs: 3000 });
    return access === undefined ? { clusterVersion: null } : readUpgradeState(access, clientHttpPort(ctx));
  },
  plan(args, facts, ctx) {
    if (facts.health === undefined) {
      const unapplied = unappliedSummary(ctx);
      if (unapplied !== undefined) return { changes: [], deferred: `no admin certificate yet: the cluster is made by ${unapplied}` };
      throw new TaskFailure('no admin client certificate on the control node: build the cluster with playbooks/site.yml first');
    }
    const known = { health: facts.health, clusterVersion: facts.clusterVersion };
    return (args.stage ?? 'before') === 'before' ? planBefore(args, facts, ctx, facts.health) : planAfter(args, known, ctx);
  },
  async apply(args, plan, ctx) {
    if (!plan.changes.length) return { changed: false, result: plan.result };
    const target = parseVersion(args.version, 'etcd_version').version;
    const access = (await clusterAccess(ctx, { pkiDir: args.local_pki_dir, timeoutMs: 3000 }))!;
    const polled = await pollGate({
      timeoutMs: (args.timeout ?? 60) * 1000,
      intervalMs: 500,
      read: () => readUpgradeState(access, clientHttpPort(ctx)),
      problems: (state) => afterProblems(target, state.health, state.clusterVersion),
    });
    const result = afterResult(polled.state, polled.problems.length === 0, polled.waitedMs);
    if (polled.problems.length > 0) {
      return { changed: false, failed: true, msg: `the upgrade to ${target} is not complete after ${(polled.waitedMs / 1000).toFixed(1)} s: ${polled.problems.join('; ')}`, result };
    }
    return { changed: false, result, reason: `every member runs ${target}, cluster version ${polled.state.clusterVersion}, leader ${String(result.leader)} (after ${(polled.waitedMs / 1000).toFixed(1)} s)` };
  },
});
