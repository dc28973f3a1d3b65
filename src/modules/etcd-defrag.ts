// etcd_defrag: defragments one member's database file when the rule (etcd/defrag-rule.ts) picks it, or
// always with `force`; the plan says why from the member's status (sizes before), and the result reports
// the database size and size in use before and after. Run it one member at a time (serial: 1), the
// leader last after its leadership moved: a member blocks its reads and writes while it defragments.
import { defragmentMember, readMemberSpace } from '../etcd/backend-space.js';
import { defragDecision, mib } from '../etcd/defrag-rule.js';
import { ChangeAction, noop, type TaskPlan } from '../plan/change.js';
import { thresholdsOf, DEFAULT_THRESHOLDS } from './etcd-space.js';
import { clientUrl, clusterAccess } from '../etcd/cluster-spec.js';
import { defineModule, type ModuleContext } from './module.js';
import { TaskFailure } from './task-failure.js';
import { unappliedSummary } from '../etcd/gate-plan.js';

export interface EtcdDefragArgs {
  readonly member?: string;
  readonly min_free_mib?: number;
  readonly min_free_percent?: number;
  readonly force?: boolean;
  readonly timeout?: number;
  readonly local_pki_dir?: string;
}

export interface EtcdDefragFacts {
  readonly member: string;
  readonly size?: { readonly dbSize: number; readonly dbSizeInUse: number };
}

const sizes = (s: { dbSize: number; dbSizeInUse: number }): string => `db size ${mib(s.dbSize)}, in use ${mib(s.dbSizeInUse)}\n`;

export function planDefrag(args: EtcdDefragArgs, facts: EtcdDefragFacts, ctx: ModuleContext): TaskPlan {
  if (facts.size === undefined) {
    const unapplied = unappliedSummary(ctx);
    if (unapplied !== undefined) return { changes: [], deferred: `no admin certificate yet: the cluster is made by ${unapplied}` };
    throw new TaskFailure('no admin client certificate on the control node: build the cluster with playbooks/site.yml first');
  }
  const before = { db_size: facts.size.dbSize, db_size_in_use: facts.size.dbSizeInUse };
  const decision = defragDecision(facts.size, thresholdsOf(args), args.force === true);
  if (!decision.defragment) return noop(`${facts.member}: ${decision.reason}`, { member: facts.member, defragmented: false, before, after: before });
  return {
    changes: [
      {
        action: ChangeAction.UPDATE,
        target: `etcd member ${facts.member} database`,
        reason: `defragment ${facts.member}: ${decision.reason}`,
        before: sizes(facts.size),
        after: `db size about ${mib(facts.size.dbSizeInUse)}, in use ${mib(facts.size.dbSizeInUse)}\n`,
      },
    ],
    result: { member: facts.member, defragmented: true, before },
  };
}

export const etcdDefragModule = defineModule<EtcdDefragArgs, EtcdDefragFacts>({
  name: 'etcd_defrag',
  description:
    'Defragment one etcd member (default: this host) when its free pages reach min_free_mib and min_free_percent of the file (or always, with force); reports the db size and size in use before and after.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      member: { type: 'string', description: 'Inventory name of the member to defragment (default: the current host).' },
      min_free_mib: { type: 'number', minimum: 0, description: `Defragment when at least this many MiB of the file are free (default ${DEFAULT_THRESHOLDS.minFreeMiB}) ...` },
      min_free_percent: { type: 'number', minimum: 0, maximum: 100, description: `... and at least this percentage of the file is free (default ${DEFAULT_THRESHOLDS.minFreePercent}).` },
      force: { type: 'boolean', description: 'Defragment whatever the sizes (NOSPACE recovery); default false.' },
      timeout: { type: 'number', exclusiveMinimum: 0, description: 'Seconds the defragmentation may take (default 300): it rewrites the whole file.' },
      local_pki_dir: { type: 'string', description: 'Folder of the admin client certificate on the control node (default: etcd_local_pki_dir).' },
    },
  },
  example: `- name: etcd member defragmented when the rule says so
  etcd_defrag:
    min_free_mib: 100
    min_free_percent: 25
  register: etcd_defrag_result
`,
  idempotent: true,
  controlOnly: true,
  async gather(args, ctx) {
    const member = args.member ?? ctx.host;
    const access = await clusterAccess(ctx, { pkiDir: args.local_pki_dir, timeoutMs: 5000, hosts: [member] });
    if (access === undefined) return { member };
    return { member, size: await readMemberSpace(access, clientUrl(ctx, member)) };
  },
  plan: (args, facts, ctx) => planDefrag(args, facts, ctx),
  async apply(args, plan, ctx) {
    const member = String(plan.result!.member);
    const endpoint = clientUrl(ctx, member);
    const access = (await clusterAccess(ctx, { pkiDir: args.local_pki_dir, timeoutMs: (args.timeout ?? 300) * 1000, hosts: [member] }))!;
    const started = Date.now();
    try {
      await defragmentMember(access, endpoint);
    } catch (error) {
      return { changed: true, failed: true, msg: `defragmentation of ${member} failed: ${(error as Error).message}; look at its log (journalctl -u etcd) and run again`, result: plan.result };
    }
    const after = await readMemberSpace({ ...access, timeoutMs: 5000 }, endpoint);
    return {
      changed: true,
      result: { ...plan.result, after: { db_size: after.dbSize, db_size_in_use: after.dbSizeInUse }, duration_ms: Date.now() - started },
    };
  },
});
