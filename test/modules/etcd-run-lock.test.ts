// Table test of etcd_run_lock's plan: what it does for each state of the lock it read.
import { deepStrictEqual, strictEqual, throws } from 'node:assert/strict';
import { hostname } from 'node:os';
import { holderIsGone, THIS_RUN, type RunLockHolder } from '../../src/etcd/run-lock.js';
import { etcdRunLockModule, type EtcdRunLockFacts } from '../../src/modules/etcd-run-lock.js';
import { moduleContext } from './module-context.js';

const other: RunLockHolder = { holder: 'ana@ops1 (pid 4242)', operation: 'upgrade.yml', since: '2026-11-30T03:00:00.000Z', run: 'another-run' };

describe('etcd_run_lock plan', () => {
  const rows: { title: string; facts: EtcdRunLockFacts; args?: Record<string, unknown>; plan?: { actions: string[]; reason?: string }; error?: RegExp }[] = [
    { title: 'no cluster yet', facts: { unlockable: 'no cluster yet: nothing to lock' }, plan: { actions: [], reason: 'no cluster yet: nothing to lock' } },
    { title: 'free', facts: {}, plan: { actions: ['CREATE'] } },
    { title: 'held by this run (a later play)', facts: { holder: { ...other, run: THIS_RUN } }, plan: { actions: [], reason: 'this run holds /etcdops/run-lock' } },
    {
      title: 'held by another run',
      facts: { holder: other },
      error: /locked by another run: ana@ops1 \(pid 4242\), running upgrade\.yml since 2026-11-30T03:00:00\.000Z\. .*expires by itself within its TTL.*-e etcd_break_lock=true/,
    },
    { title: 'held by another run, broken on purpose', facts: { holder: other }, args: { break: 'true' }, plan: { actions: ['CREATE'] } },
    { title: 'break given as false', facts: { holder: other }, args: { break: false }, error: /locked by another run/ },
    { title: 'held by a run of this node that died', facts: { holder: other, holderGone: true }, plan: { actions: ['CREATE'] } },
  ];
  for (const row of rows) {
    it(row.title, () => {
      const plan = () => etcdRunLockModule.plan({ operation: 'site.yml', ...row.args }, row.facts, moduleContext());
      if (row.error) return throws(plan, row.error);
      const planned = plan();
      deepStrictEqual(planned.changes.map((c) => c.action), row.plan!.actions);
      if (row.plan!.reason) deepStrictEqual(planned.reason, row.plan!.reason);
    });
  }
});

describe('holderIsGone', () => {
  const alive = (pid: number) => pid === 100;
  const rows: [string, Partial<RunLockHolder>, boolean][] = [
    ['a dead process of this node', { host: hostname(), pid: 200 }, true],
    ['a live process of this node', { host: hostname(), pid: 100 }, false],
    ['this very process', { host: hostname(), pid: process.pid }, false],
    ['another node: never judged from here', { host: 'ops2', pid: 200 }, false],
    ['no pid recorded', { host: hostname() }, false],
  ];
  for (const [title, fields, gone] of rows) {
    it(title, () => strictEqual(holderIsGone({ ...other, ...fields }, alive), gone));
  }
});
