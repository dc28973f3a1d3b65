import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { ChangeAction, type Change } from '../../src/plan/change.js';
import { renderPlan } from '../../src/plan/render-plan.js';
import { planDrift, planFromRecord, summarisePlan } from '../../src/plan/run-plan.js';
import type { TaskRecord } from '../../src/plan/run-record.js';
import { HostStatus } from '../../src/plan/host-status.js';

const header = { playbook: 'site.yml', inventory: 'inv.yml', extraVars: {} };
const write = (after: string): Change => ({ action: ChangeAction.REPLACE, target: '/etc/app.conf', reason: 'content differs', before: 'a', after });
const result = (host: string, task: string, status: HostStatus, changes: Change[] = []): TaskRecord => ({ host, task, status, changes, durationMs: 1 });

describe('run plans', () => {
  it('counts a change once when a later task plans the very same write, and keeps commands', () => {
    const plan = planFromRecord(
      [
        result('n1', 'config', HostStatus.CHANGED, [write('b')]),
        result('n1', 'config again', HostStatus.CHANGED, [write('b')]),
        result('n2', 'config again', HostStatus.CHANGED, [write('b')]),
        result('n1', 'snapshot', HostStatus.CHANGED, [{ action: ChangeAction.RUN, target: 'etcdctl snapshot save\nmore', reason: 'a command' }]),
        result('n1', 'unit', HostStatus.OK),
      ],
      header,
    );
    deepStrictEqual(plan.tasks.map((t) => [t.host, t.task, t.status, t.changes.length]), [
      ['n1', 'config', HostStatus.CHANGED, 1],
      ['n1', 'config again', HostStatus.OK, 0],
      ['n2', 'config again', HostStatus.CHANGED, 1],
      ['n1', 'snapshot', HostStatus.CHANGED, 1],
      ['n1', 'unit', HostStatus.OK, 0],
    ]);
    deepStrictEqual(summarisePlan(plan), { hosts: 2, toChange: 3, unchanged: 2, deferred: 0, failed: 0 });
    strictEqual(renderPlan(plan, { diff: false }).includes('> run etcdctl snapshot save …: a command'), true);
    strictEqual(renderPlan(plan, { diff: false }).trimEnd().endsWith('Plan: 2 hosts, 3 to change, 2 unchanged'), true);
  });

  it('finds drift per host and task, naming the targets', () => {
    const saved = planFromRecord([result('n1', 'config', HostStatus.CHANGED, [write('b')]), result('n2', 'config', HostStatus.OK)], header);
    const same = planFromRecord([result('n1', 'config', HostStatus.CHANGED, [write('b')]), result('n2', 'config', HostStatus.OK)], header);
    deepStrictEqual(planDrift(saved, same), []);
    const drifted = planFromRecord([result('n1', 'config', HostStatus.CHANGED, [write('c')]), result('n2', 'config', HostStatus.OK)], header);
    deepStrictEqual(planDrift(saved, drifted), [{ host: 'n1', task: 'config', targets: ['/etc/app.conf'] }]);
  });
});

describe('plan files', () => {
  it('are written 0600 and replace a planted symbolic link instead of following it', async () => {
    const { mkdtempSync, symlinkSync, writeFileSync, readFileSync, lstatSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { writePlanFile, PLAN_FILE_MODE } = await import('../../src/plan/plan-file.js');
    const dir = mkdtempSync(join(tmpdir(), 'etcdops-planfile-'));
    try {
      const victim = join(dir, 'victim');
      writeFileSync(victim, 'untouched\n');
      const out = join(dir, 'plan.json');
      symlinkSync(victim, out);
      writePlanFile(out, planFromRecord([], header));
      strictEqual(readFileSync(victim, 'utf8'), 'untouched\n');
      strictEqual(lstatSync(out).isSymbolicLink(), false);
      strictEqual(lstatSync(out).mode & 0o777, PLAN_FILE_MODE);
      writePlanFile(out, planFromRecord([], header));
      strictEqual(lstatSync(out).mode & 0o777, 0o600, 'rewritten in place, still 0600');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
