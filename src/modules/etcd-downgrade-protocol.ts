// etcd_downgrade_protocol: before a forced downgrade from etcd 3.6+ changes any binary, runs etcd's own
// downgrade protocol through the cluster API (validate, enable, then waits until every member reports the
// target's storage version), as src/etcd/downgrade-protocol.ts plans it from what the cluster reports.
// Anything else (an upgrade, a patch change, a cluster below 3.6) plans nothing.
import { checkClusterHealth } from '../etcd/cluster-health.js';
import type { ClusterAccess } from '../etcd/cluster-access.js';
import { withAnyEndpoint } from '../etcd/cluster-access.js';
import { DowngradeStepKind, downgradeProtocolSteps, type DowngradeState } from '../etcd/downgrade-protocol.js';
import { ChangeAction, noop, type TaskPlan } from '../plan/change.js';
import { fetchVersions } from '../etcd/cluster-version.js';
import { clientHttpPort, clusterAccess, memberEndpoints } from '../etcd/cluster-spec.js';
import { pollGate, unappliedSummary } from '../etcd/gate-plan.js';
import { parseVersion } from '../etcd/upgrade-step.js';
import { defineModule } from './module.js';
import { TaskFailure } from './task-failure.js';

export interface EtcdDowngradeProtocolArgs {
  readonly version: string;
  readonly timeout?: number;
  readonly local_pki_dir?: string;
}

/** What the cluster reports: every member's version and storage version, and the cluster version. */
async function readState(access: ClusterAccess, httpPort: number, target: string): Promise<DowngradeState> {
  const health = await checkClusterHealth(await memberEndpoints(access));
  const answers = await Promise.all(
    health.members.map((m) => (m.endpoint ? fetchVersions(access, m.endpoint, httpPort).catch(() => null) : Promise.resolve(null))),
  );
  return {
    versions: health.members.flatMap((m) => (m.version ? [m.version] : [])),
    target,
    clusterVersion: answers.find((a) => a !== null)?.cluster ?? null,
    storageVersions: answers.map((a) => a?.storage ?? null),
  };
}

const minorOf = (version: string): string => version.split('.').slice(0, 2).join('.');

export const etcdDowngradeProtocolModule = defineModule<EtcdDowngradeProtocolArgs, DowngradeState | undefined>({
  name: 'etcd_downgrade_protocol',
  description:
    "Before a downgrade from etcd 3.6+ by one minor: etcd's downgrade protocol (downgrade validate, downgrade enable, every member's storage version on the target); plans nothing for any other version change.",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['version'],
    properties: {
      version: { type: 'string', description: 'The etcd release the members go back to, e.g. 3.5.30.' },
      timeout: { type: 'number', exclusiveMinimum: 0, description: 'Seconds to wait for every member\'s storage version after enabling (default 60).' },
      local_pki_dir: { type: 'string', description: 'Folder of the admin client certificate on the control node (default: etcd_local_pki_dir).' },
    },
  },
  example: `- name: etcd downgrade protocol (3.6+)
  etcd_downgrade_protocol:
    version: "{{ etcd_version }}"
  run_once: true
`,
  idempotent: true,
  controlOnly: true,
  async gather(args, ctx) {
    const access = await clusterAccess(ctx, { pkiDir: args.local_pki_dir, timeoutMs: 3000 });
    return access === undefined ? undefined : readState(access, clientHttpPort(ctx), parseVersion(args.version, 'etcd_version').version);
  },
  plan(_args, state, ctx): TaskPlan {
    if (state === undefined) {
      const unapplied = unappliedSummary(ctx);
      if (unapplied !== undefined) return { changes: [], deferred: `no admin certificate yet: the cluster is made by ${unapplied}` };
      throw new TaskFailure('no admin client certificate on the control node: build the cluster with playbooks/site.yml first');
    }
    let steps;
    try {
      steps = downgradeProtocolSteps(state);
    } catch (error) {
      throw new TaskFailure(`etcd's downgrade protocol cannot go on: ${(error as Error).message}`);
    }
    const owed = steps.filter((s) => s.kind !== DowngradeStepKind.ROLL_MEMBERS);
    if (owed.length === 0) {
      return noop(steps.length ? `the cluster runs at cluster version ${state.clusterVersion} with every storage version migrated: the members may go back one at a time` : `not a downgrade from etcd 3.6+ to ${minorOf(state.target)}: etcd's downgrade protocol does not apply`, { steps: steps.map((s) => s.kind) });
    }
    return {
      changes: owed.map((step) => ({
        action: ChangeAction.UPDATE,
        target: `etcd cluster ${step.kind === DowngradeStepKind.WAIT_STORAGE ? 'storage versions' : 'version'}`,
        reason: step.command,
      })),
      result: { steps: steps.map((s) => s.kind) },
    };
  },
  async apply(args, plan, ctx) {
    const access = await memberEndpoints((await clusterAccess(ctx, { pkiDir: args.local_pki_dir, timeoutMs: 10_000 }))!);
    const target = parseVersion(args.version, 'etcd_version').version;
    const minor = minorOf(target);
    const kinds = plan.result!.steps as DowngradeStepKind[];
    for (const [kind, action] of [[DowngradeStepKind.VALIDATE, 'Validate'], [DowngradeStepKind.ENABLE, 'Enable']] as const) {
      if (!kinds.includes(kind)) continue;
      try {
        await withAnyEndpoint(access, (client) => client.maintenance.downgrade({ action, version: minor }));
      } catch (error) {
        return { changed: kind === DowngradeStepKind.ENABLE, failed: true, msg: `etcdctl downgrade ${action.toLowerCase()} ${minor} refused: ${(error as Error).message}; nothing else was changed` };
      }
    }
    const polled = await pollGate({
      timeoutMs: (args.timeout ?? 60) * 1000,
      intervalMs: 500,
      read: () => readState(access, clientHttpPort(ctx), target),
      problems: (state) => downgradeProtocolSteps(state).filter((s) => s.kind !== DowngradeStepKind.ROLL_MEMBERS).map((s) => s.command),
    });
    if (polled.problems.length > 0) {
      return { changed: true, failed: true, msg: `downgrade to ${minor} enabled, but after ${(polled.waitedMs / 1000).toFixed(1)} s still owed: ${polled.problems.join('; ')}; run again, or cancel with etcdops etcdctl -i INVENTORY -- downgrade cancel` };
    }
    return { changed: true, result: { cluster_version: polled.state.clusterVersion } };
  },
});
