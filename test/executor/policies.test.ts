// The executor's policies on the control node's own connection (no lab needed): retries/until,
// ignore_errors, failed_when, handlers with listen and flush_handlers, loop results, tags, and
// max_fail_percentage stopping the play.
import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPlaybook } from '../../src/executor/run-playbook.js';
import { loadInventory } from '../../src/inventory/load-inventory.js';
import { modules } from '../../src/modules/registry.js';
import { loadPlaybook } from '../../src/playbook/loader.js';
import { MemoryReporter } from '../../src/reporters/memory-reporter.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/executor/${name}`, import.meta.url));

describe('executor policies', () => {
  let scratch: string;
  beforeEach(() => (scratch = mkdtempSync(join(tmpdir(), 'etcdops-policies-'))));
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  async function run(playbookName: string, tags: string[] = [], vars: Record<string, unknown> = {}) {
    const inventory = await loadInventory(fixture('inventory.yml'));
    const extraVars = { scratch_dir: scratch, ...vars };
    const playbook = await loadPlaybook(fixture(playbookName), { modules, extraVars });
    const reporter = new MemoryReporter();
    const result = await runPlaybook(playbook, inventory, { check: false, diff: false, tags, skipTags: [], extraVars, forks: 5, reporter, modules });
    return { result, events: reporter.events };
  }

  it('retries until, ignores failures, runs handlers by topic at flush, registers loop results, honours tags', async () => {
    const { result, events } = await run('policies.yml');
    strictEqual(result.exitCode, 0);
    strictEqual(readFileSync(join(scratch, 'local1.attempts'), 'utf8'), 'x\nx\nx\n', 'three attempts, then until held');
    const recap = events.find((e) => e.event === 'recap');
    // Gathering Facts (the play keeps Ansible's default) counts as one ok, and an ignored failure whose result
    // says changed counts as changed too: ansible-playbook 2.14 recaps this playbook so.
    deepStrictEqual(recap?.event === 'recap' && recap.hosts.local1, { ok: 9, changed: 4, failed: 0, unreachable: 0, skipped: 0, rescued: 0, ignored: 2, deferred: 0 });
    strictEqual(existsSync(join(scratch, 'local1.tagged')), false, 'a `never` task runs only when its tag is asked for');
    const order = events.flatMap((e) => (e.event === 'task_start' ? [e.task] : []));
    strictEqual(order.indexOf('mark handled') < order.indexOf('Handler ran before this task'), true);
  });

  it('runs a `never` task when its tag is asked for, and only tagged tasks', async () => {
    const { result } = await run('policies.yml', ['extra']);
    strictEqual(result.exitCode, 0);
    strictEqual(existsSync(join(scratch, 'local2.tagged')), true);
    strictEqual(existsSync(join(scratch, 'local2.attempts')), false);
  });

  for (const stopEarly of [false, true]) {
    it(`meta end_host and end_play (when ${stopEarly}) end the current play only, and fail nobody`, async () => {
      const { result } = await run('meta.yml', [], { stop_early: stopEarly });
      strictEqual(result.exitCode, 0);
      const made = ['local1.first', 'local2.first', 'local1.late', 'local2.late', 'local1.second', 'local2.second'].filter((f) => existsSync(join(scratch, f)));
      deepStrictEqual(made, ['local1.first', ...(stopEarly ? [] : ['local1.late']), 'local1.second', 'local2.second']);
    });
  }

  it('stops the play when more than max_fail_percentage of the batch failed', async () => {
    const { result } = await run('max-fail.yml');
    strictEqual(result.exitCode, 2);
    strictEqual(existsSync(join(scratch, 'local1.reached')), false, 'the healthy host stops too');
  });
});
