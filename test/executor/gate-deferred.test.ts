// A plan made before the certificates exist: the health gate that follows their (planned, not applied)
// issue is shown deferred, with its reason, and counted apart; not unchanged, and not failed. With nothing
// planned before it, the same gate fails and says what to do.
import { deepStrictEqual, match, strictEqual } from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPlaybook } from '../../src/executor/run-playbook.js';
import { loadInventory } from '../../src/inventory/load-inventory.js';
import { modules } from '../../src/modules/registry.js';
import { renderPlan } from '../../src/plan/render-plan.js';
import { planFromRecord, summarisePlan } from '../../src/plan/run-plan.js';
import { loadPlaybook } from '../../src/playbook/loader.js';
import { HostStatus } from '../../src/plan/host-status.js';
import { MemoryReporter } from '../../src/reporters/memory-reporter.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/executor/${name}`, import.meta.url));

describe('a plan made before the certificates exist', () => {
  let scratch: string;
  beforeEach(() => (scratch = mkdtempSync(join(tmpdir(), 'etcdops-gate-'))));
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  async function plan(issueCertificates: boolean) {
    const inventory = await loadInventory(fixture('inventory.yml'));
    const extraVars = { scratch_dir: scratch, issue_certificates: issueCertificates };
    const playbook = await loadPlaybook(fixture('gate-before-certificates.yml'), { modules, extraVars });
    const reporter = new MemoryReporter();
    const result = await runPlaybook(playbook, inventory, { check: true, diff: false, tags: [], skipTags: [], extraVars, forks: 5, reporter, modules });
    // The plan is the run's own record: nothing is rebuilt from what the reporter was shown.
    const runPlan = planFromRecord(result.record, { playbook: 'gate-before-certificates.yml', inventory: 'inventory.yml', extraVars: {} });
    return { result, runPlan, recap: reporter.events.find((e) => e.event === 'recap') };
  }

  it('shows the health gate deferred with its reason, counted apart, and changes nothing', async () => {
    const { result, runPlan, recap } = await plan(true);
    strictEqual(result.exitCode, 0);
    const gate = runPlan.tasks.find((t) => t.task === 'etcd health gate');
    strictEqual(gate?.status, HostStatus.DEFERRED);
    strictEqual(gate.reason, undefined, 'a deferred gate is not a no-op with a reason');
    match(gate.deferredUntil ?? '', /^no admin certificate yet: the cluster is made by 2 earlier changes of this run not applied yet \(local1: .*local1\.crt, local2: .*local2\.crt\)$/);
    deepStrictEqual(summarisePlan(runPlan), { hosts: 2, toChange: 2, unchanged: 0, deferred: 1, failed: 0 });
    const text = renderPlan(runPlan, { diff: false });
    match(text, /\n {2}\? etcd health gate: deferred: no admin certificate yet: the cluster is made by 2 earlier changes/);
    match(text, /Plan: 2 hosts, 2 to change, 0 unchanged, 1 deferred/);
    // The gate runs once, on local1: deferred there, and not counted as ok.
    deepStrictEqual(recap?.event === 'recap' && recap.hosts.local1, { ok: 1, changed: 1, failed: 0, unreachable: 0, skipped: 0, rescued: 0, ignored: 0, deferred: 1 });
    deepStrictEqual(readdirSync(scratch), [], 'a plan writes nothing');
  });

  it('fails the gate, saying what to do, when nothing planned before it would make the cluster', async () => {
    const { result, runPlan } = await plan(false);
    strictEqual(result.exitCode, 2);
    const gate = runPlan.tasks.find((t) => t.task === 'etcd health gate');
    strictEqual(gate?.status, HostStatus.FAILED);
    match(gate.reason ?? '', /no admin client certificate on the control node: run playbooks\/site\.yml first/);
  });
});
