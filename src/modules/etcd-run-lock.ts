// etcd_run_lock: the first step of every playbook that changes members. Takes the cluster's run lock
// (src/etcd/run-lock.ts) for this run, or fails naming the run that holds it; a crashed run's lock
// expires with its lease, or is taken over at once by a run of the same control node that sees the
// holder's process gone. Before the cluster exists there is nothing to lock. The lock is bookkeeping,
// not managed state: the shipped task file (roles/etcd/tasks/run-lock.yml) reports it unchanged and
// skips it under --check, so plans take no lock and a converged cluster still plans no change.
import { breakRunLock, describeHolder, holderIsGone, readRunLock, takeRunLock, thisHolder, THIS_RUN, RUN_LOCK_KEY, type RunLockHolder } from '../etcd/run-lock.js';
import { ChangeAction, noop } from '../plan/change.js';
import { booleanWord } from '../playbook/ansible-boolean.js';
import { clusterAccess } from '../etcd/cluster-spec.js';
import { defineModule } from './module.js';
import { TaskFailure } from './task-failure.js';

export interface EtcdRunLockArgs {
  /** What this run does, shown to whoever is refused (e.g. `upgrade.yml`). */
  readonly operation: string;
  readonly ttl?: number;
  /** Delete the lock another run holds first (strings too, as -e gives them). */
  readonly break?: boolean | 'true' | 'false' | 'yes' | 'no';
}

export interface EtcdRunLockFacts {
  /** Why there is nothing to lock: no cluster yet, or it cannot be read (the run then goes on unlocked). */
  readonly unlockable?: string;
  readonly holder?: RunLockHolder;
  /** The holder was a run of this control node whose process is gone: its lock is taken over. */
  readonly holderGone?: boolean;
}

const breaks = (args: EtcdRunLockArgs) => args.break === true || (typeof args.break === 'string' && booleanWord(args.break) === true);

export const etcdRunLockModule = defineModule<EtcdRunLockArgs, EtcdRunLockFacts>({
  name: 'etcd_run_lock',
  description: "Take the cluster's run lock for this run (a key on a lease this process renews), or fail naming the run that holds it.",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['operation'],
    properties: {
      operation: { type: 'string', minLength: 1, description: 'What this run does, shown to a run that is refused.' },
      ttl: { type: 'integer', minimum: 5, maximum: 3600, description: 'Seconds a crashed run keeps the lock (default 30).' },
      break: {
        anyOf: [{ type: 'boolean' }, { type: 'string', enum: ['true', 'false', 'yes', 'no'] }],
        description: 'Delete the lock another run holds before taking it: only after checking that run is gone.',
      },
    },
  },
  example: `- name: etcd run lock
  etcd_run_lock:
    operation: upgrade.yml
  run_once: true
`,
  idempotent: true,
  controlOnly: true,
  changesNoHost: true,
  async gather(_args, ctx) {
    const access = await clusterAccess(ctx);
    if (!access) return { unlockable: 'no cluster yet: nothing to lock' };
    try {
      const { holder } = await readRunLock(access);
      return holder ? { holder, holderGone: holderIsGone(holder) } : {};
    } catch (error) {
      // A run that starts stopped members or renews expired certificates must not be blocked by the cluster
      // it is there to repair; no other run can change that cluster through its API meanwhile either.
      const why = (error as Error).message.split('\n')[0]!.slice(0, 300);
      return { unlockable: `the cluster cannot be read (${why}): the run goes on without the lock` };
    }
  },
  plan(args, facts) {
    if (facts.unlockable) return noop(facts.unlockable);
    const holder = facts.holder;
    if (holder?.run === THIS_RUN) return noop(`this run holds ${RUN_LOCK_KEY}`);
    if (holder && !breaks(args) && !facts.holderGone) {
      throw new TaskFailure(
        `the cluster is locked by another run: ${describeHolder(holder)}. Wait for it to end; if that run died, its lock expires by itself within its TTL, or run again with -e etcd_break_lock=true once you are sure it is gone`,
      );
    }
    const broken = !holder ? '' : facts.holderGone ? `take over the lock of a run that died (${describeHolder(holder)}), then ` : `break the lock of ${describeHolder(holder)}, then `;
    return { changes: [{ action: ChangeAction.CREATE, target: RUN_LOCK_KEY, reason: `${broken}take the run lock for ${args.operation}` }] };
  },
  async apply(args, _plan, ctx) {
    const access = (await clusterAccess(ctx))!;
    const found = await readRunLock(access);
    // A dead run's lock is replaced only if it is still that run's: a run that took it meanwhile wins.
    const replacing = found.holder && found.value !== undefined && holderIsGone(found.holder) ? found.value : undefined;
    if (breaks(args) && replacing === undefined) await breakRunLock(access);
    const me = thisHolder(args.operation);
    const other = await takeRunLock(access, me, args.ttl ?? 30, replacing);
    if (other) return { changed: false, failed: true, msg: `the cluster is locked by another run: ${describeHolder(other)}` };
    return { changed: true, result: { lock: RUN_LOCK_KEY, holder: me.holder, ttl: args.ttl ?? 30 } };
  },
});
