// etcd_compact: compacts the keyspace's history up to the current revision minus `keep_revisions`, so the
// pages of old revisions are free for a defragmentation to give back. Reads first: a history already
// compacted that far plans nothing.
import { compactTo, compactedUpTo } from '../etcd/backend-space.js';
import { withAnyEndpoint } from '../etcd/cluster-access.js';
import { ChangeAction, noop, type TaskPlan } from '../plan/change.js';
import { clusterAccess, memberEndpoints } from '../etcd/cluster-spec.js';
import { defineModule, type ModuleContext } from './module.js';
import { TaskFailure } from './task-failure.js';
import { unappliedSummary } from '../etcd/gate-plan.js';

export interface EtcdCompactArgs {
  readonly keep_revisions?: number;
  readonly local_pki_dir?: string;
}

export interface EtcdCompactFacts {
  readonly revision?: number;
  /** Whether history below the target revision is gone already. */
  readonly compacted?: boolean;
}

export function compactTarget(revision: number, keep: number): number {
  return revision - keep;
}

export function planCompact(args: EtcdCompactArgs, facts: EtcdCompactFacts, ctx: ModuleContext): TaskPlan {
  if (facts.revision === undefined) {
    const unapplied = unappliedSummary(ctx);
    if (unapplied !== undefined) return { changes: [], deferred: `no admin certificate yet: the cluster is made by ${unapplied}` };
    throw new TaskFailure('no admin client certificate on the control node: build the cluster with playbooks/site.yml first');
  }
  const keep = args.keep_revisions ?? 0;
  const target = compactTarget(facts.revision, keep);
  if (target <= 1) return noop(`revision ${facts.revision}: keeping ${keep} revisions leaves nothing to compact`, { revision: facts.revision, compacted_to: null });
  if (facts.compacted) return noop(`history before revision ${target} is compacted already (revision ${facts.revision}, keeping ${keep})`, { revision: facts.revision, compacted_to: target });
  return {
    changes: [
      {
        action: ChangeAction.UPDATE,
        target: 'etcd keyspace history',
        reason: `compact the history before revision ${target} (current revision ${facts.revision}, keeping ${keep})`,
        before: `history from the last compaction to revision ${facts.revision}\n`,
        after: `history from revision ${target} to revision ${facts.revision}\n`,
      },
    ],
    result: { revision: facts.revision, compacted_to: target },
  };
}

export const etcdCompactModule = defineModule<EtcdCompactArgs, EtcdCompactFacts>({
  name: 'etcd_compact',
  description: 'Compact the etcd keyspace history up to the current revision minus keep_revisions (physically: waits until the pages are free).',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      keep_revisions: { type: 'integer', minimum: 0, description: 'Revisions of history to keep below the current one (default 0: compact to the current revision).' },
      local_pki_dir: { type: 'string', description: 'Folder of the admin client certificate on the control node (default: etcd_local_pki_dir).' },
    },
  },
  example: `- name: etcd history compacted
  etcd_compact:
    keep_revisions: 1000
  run_once: true
`,
  idempotent: true,
  controlOnly: true,
  async gather(args, ctx) {
    const found = await clusterAccess(ctx, { pkiDir: args.local_pki_dir, timeoutMs: 5000 });
    if (found === undefined) return {};
    const access = await memberEndpoints(found);
    const status = await withAnyEndpoint(access, (client) => client.maintenance.status());
    const revision = Number(status.header.revision);
    const target = compactTarget(revision, args.keep_revisions ?? 0);
    return { revision, compacted: target <= 1 ? true : await compactedUpTo(access, target) };
  },
  plan: (args, facts, ctx) => planCompact(args, facts, ctx),
  async apply(args, plan, ctx) {
    const access = await memberEndpoints((await clusterAccess(ctx, { pkiDir: args.local_pki_dir, timeoutMs: 120_000 }))!);
    await compactTo(access, Number(plan.result!.compacted_to));
    return { changed: true, result: plan.result };
  },
});
