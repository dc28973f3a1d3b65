// Table-driven: how a gate plans (no-op when it passes, a RUN "wait until" otherwise, deferred while
// earlier changes of the run are planned and not applied), and how apply polls it until it passes or times out.
import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import type { UnappliedChange } from '../../src/modules/module.js';
import { planGate, pollGate, unappliedSummary } from '../../src/etcd/gate-plan.js';
import { ChangeAction, type TaskPlan } from '../../src/plan/change.js';

const change = (host: string, target: string): UnappliedChange => ({ host, task: 'a task', target });

describe('planGate', () => {
  const rows: { title: string; problems: string[]; unapplied: UnappliedChange[]; expected: TaskPlan }[] = [
    { title: 'passes now, nothing planned before: a no-op', problems: [], unapplied: [], expected: { changes: [], reason: 'all good', result: { r: 1 } } },
    {
      title: 'shut now, nothing planned before: wait in apply',
      problems: ['n2 is unhealthy'],
      unapplied: [],
      expected: { changes: [{ action: ChangeAction.RUN, target: 'the thing', reason: 'wait until it holds (up to 9 s) (now: n2 is unhealthy)' }], result: { r: 1 } },
    },
    {
      title: 'passes now, but earlier changes are not applied: deferred',
      problems: [],
      unapplied: [change('n2', 'etcd.service'), change('n1', '/etc/etcd/etcd.conf.yml\nmore')],
      expected: { changes: [], deferred: 'waits until it holds, judged after 2 earlier changes of this run not applied yet (n1: /etc/etcd/etcd.conf.yml, n2: etcd.service)', result: { r: 1 } },
    },
    {
      title: 'shut now and earlier changes are not applied: deferred, with what is wrong now',
      problems: ['no leader'],
      unapplied: [change('n1', 'a'), change('n1', 'b'), change('n2', 'c')],
      expected: { changes: [], deferred: 'waits until it holds, judged after 3 earlier changes of this run not applied yet (n1: a, n1: b, 1 more) (now: no leader)', result: { r: 1 } },
    },
  ];
  for (const row of rows) {
    it(row.title, () => {
      const plan = planGate({ unappliedChanges: row.unapplied }, { waitsFor: 'it holds', problems: row.problems, passed: 'all good', timeoutSeconds: 9, target: 'the thing', result: { r: 1 } });
      deepStrictEqual(plan, row.expected);
    });
  }
  it('says nothing about changes when there are none', () => strictEqual(unappliedSummary({ unappliedChanges: [] }), undefined));
});

describe('pollGate', () => {
  it('reads until the problems are gone', async () => {
    let reads = 0;
    const polled = await pollGate({ timeoutMs: 5000, intervalMs: 1, read: async () => ++reads, problems: (n) => (n < 3 ? [`read ${n}`] : []) });
    deepStrictEqual({ state: polled.state, problems: polled.problems, checks: polled.checks }, { state: 3, problems: [], checks: 3 });
  });
  it('stops at the deadline with the last problems', async () => {
    const polled = await pollGate({ timeoutMs: 30, intervalMs: 5, read: async () => 'down', problems: () => ['still down'] });
    deepStrictEqual(polled.problems, ['still down']);
    strictEqual(polled.waitedMs >= 30, true);
  });
});
