// etcd_alarm_disarm: disarms a raised NOSPACE alarm once every member's database fits under the quota
// again, then proves a write is accepted. It refuses while a member's size in use (the data itself) or
// its file (which etcd compares with the quota on every write) is still at or above the quota: the
// alarm would only be raised again by the next write.
import { disarmAlarm, proveWrite, readClusterSpace, type ClusterSpace } from '../etcd/backend-space.js';
import { mib } from '../etcd/defrag-rule.js';
import { ChangeAction, noop, type TaskPlan } from '../plan/change.js';
import { clusterAccess, memberEndpoints } from '../etcd/cluster-spec.js';
import { defineModule, type ModuleContext } from './module.js';
import { TaskFailure } from './task-failure.js';
import { unappliedSummary } from '../etcd/gate-plan.js';

export interface EtcdAlarmDisarmArgs {
  readonly quota_bytes?: number;
  readonly probe_key?: string;
  readonly local_pki_dir?: string;
}

const DEFAULT_PROBE_KEY = 'etcdops/recover-space/write-probe';

/** etcd's own default quota when none is configured: 2 GiB. */
const ETCD_DEFAULT_QUOTA = 2 * 1024 * 1024 * 1024;

function quotaOf(args: EtcdAlarmDisarmArgs, ctx: ModuleContext): number {
  const quota = Number(args.quota_bytes ?? ctx.vars.etcd_quota_backend_bytes ?? 0);
  return quota > 0 ? quota : ETCD_DEFAULT_QUOTA;
}

export function planDisarm(args: EtcdAlarmDisarmArgs, space: ClusterSpace | undefined, ctx: ModuleContext): TaskPlan {
  if (space === undefined) {
    const unapplied = unappliedSummary(ctx);
    if (unapplied !== undefined) return { changes: [], deferred: `no admin certificate yet: the cluster is made by ${unapplied}` };
    throw new TaskFailure('no admin client certificate on the control node: build the cluster with playbooks/site.yml first');
  }
  const raised = space.alarms.filter((a) => a.alarm === 'NOSPACE');
  const name = (id: string): string => space.members.find((m) => m.id === id)?.name ?? id;
  if (raised.length === 0) return noop('no NOSPACE alarm is raised', { disarmed: [] });
  const quota = quotaOf(args, ctx);
  const inUse = space.members.filter((m) => m.dbSizeInUse >= quota);
  if (inUse.length > 0) {
    throw new TaskFailure(
      `refusing to disarm NOSPACE: the data in use is still at or above the quota of ${mib(quota)} on ${inUse.map((m) => `${m.name} (${mib(m.dbSizeInUse)})`).join(', ')}; delete keys, compact keeping fewer revisions (etcd_recover_keep_revisions) or raise etcd_quota_backend_bytes, then run again`,
    );
  }
  const file = space.members.filter((m) => m.dbSize >= quota);
  if (file.length > 0) {
    throw new TaskFailure(
      `refusing to disarm NOSPACE: the database file is still at or above the quota of ${mib(quota)} on ${file.map((m) => `${m.name} (${mib(m.dbSize)}, ${mib(m.dbSizeInUse)} in use)`).join(', ')}; defragment those members first`,
    );
  }
  const where = raised.map((a) => name(a.memberId));
  const largest = Math.max(...space.members.map((m) => m.dbSize));
  return {
    changes: [
      {
        action: ChangeAction.UPDATE,
        target: 'etcd alarm NOSPACE',
        reason: `every member's database fits under the quota of ${mib(quota)} (largest file ${mib(largest)}): disarm NOSPACE and prove a write`,
        before: `NOSPACE raised on ${where.join(', ')}\n`,
        after: 'no alarm; a write is accepted\n',
      },
    ],
    result: { disarmed: where, alarms: raised },
  };
}

export const etcdAlarmDisarmModule = defineModule<EtcdAlarmDisarmArgs, ClusterSpace | undefined>({
  name: 'etcd_alarm_disarm',
  description:
    'Disarm a raised NOSPACE alarm when every member\'s database (in use and on disk) is under the quota, then prove a write is accepted; refuses otherwise.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      quota_bytes: { type: 'integer', minimum: 0, description: 'The members\' backend quota (default: etcd_quota_backend_bytes; 0 is etcd\'s default, 2 GiB).' },
      probe_key: { type: 'string', minLength: 1, description: `Key written then deleted to prove writes work (default ${DEFAULT_PROBE_KEY}).` },
      local_pki_dir: { type: 'string', description: 'Folder of the admin client certificate on the control node (default: etcd_local_pki_dir).' },
    },
  },
  example: `- name: etcd NOSPACE alarm disarmed
  etcd_alarm_disarm:
    quota_bytes: "{{ etcd_quota_backend_bytes }}"
  run_once: true
`,
  idempotent: true,
  controlOnly: true,
  async gather(args, ctx) {
    const access = await clusterAccess(ctx, { pkiDir: args.local_pki_dir, timeoutMs: 5000 });
    return access === undefined ? undefined : readClusterSpace(await memberEndpoints(access));
  },
  plan: (args, space, ctx) => planDisarm(args, space, ctx),
  async apply(args, plan, ctx) {
    const access = await memberEndpoints((await clusterAccess(ctx, { pkiDir: args.local_pki_dir, timeoutMs: 10_000 }))!);
    for (const alarm of plan.result!.alarms as { memberId: string; alarm: string }[]) await disarmAlarm(access, alarm);
    try {
      const revision = await proveWrite(access, args.probe_key ?? DEFAULT_PROBE_KEY);
      return { changed: true, result: { disarmed: plan.result!.disarmed, write_revision: revision } };
    } catch (error) {
      return { changed: true, failed: true, msg: `NOSPACE was disarmed but a write still fails: ${(error as Error).message}`, result: { disarmed: plan.result!.disarmed } };
    }
  },
});
