// Check mode on the control node's own connection: `check_mode: false` tasks really run, and a task that
// depends on a result only a real run can give is reported as deferred on every host, run_once included;
// a command's changed_when that reads its own output is not judged before the command runs.
import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runPlaybook } from '../../src/executor/run-playbook.js';
import { loadInventory } from '../../src/inventory/load-inventory.js';
import { modules } from '../../src/modules/registry.js';
import { loadPlaybook } from '../../src/playbook/loader.js';
import { HostStatus } from '../../src/plan/host-status.js';
import { MemoryReporter } from '../../src/reporters/memory-reporter.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/executor/${name}`, import.meta.url));

async function run(check: boolean) {
  const inventory = await loadInventory(fixture('inventory.yml'));
  const extraVars = { marker: 'real' };
  const playbook = await loadPlaybook(fixture('check-mode.yml'), { modules, extraVars });
  const reporter = new MemoryReporter();
  const result = await runPlaybook(playbook, inventory, { check, diff: false, tags: [], skipTags: [], extraVars, forks: 5, reporter, modules });
  const results = reporter.events.flatMap((e) => (e.event === 'host_result' ? [e] : []));
  return { result, results };
}

describe('check mode', () => {
  it('runs check_mode: false tasks and defers what depends on a real run, on every host', async () => {
    const { result, results } = await run(true);
    strictEqual(result.exitCode, 0);
    const probe = results.filter((r) => r.task === 'Uses the probe').map((r) => r.msg);
    deepStrictEqual(probe, ['probe said ready', 'probe said ready']);
    const deferred = results.filter((r) => r.task === 'Uses the run-once result').map((r) => [r.status, r.deferredUntil]);
    deepStrictEqual(deferred, [0, 1].map(() => [HostStatus.DEFERRED, 'depends on "once", known only after a real run']));
    // Not run, so no output to judge: the command is planned, not failed on an undefined `moved.stdout`.
    deepStrictEqual(results.filter((r) => r.task === 'Command whose changed_when reads its own output').map((r) => r.status), [HostStatus.CHANGED, HostStatus.CHANGED]);
  });
  it('a real run answers both', async () => {
    const { result, results } = await run(false);
    strictEqual(result.exitCode, 0);
    deepStrictEqual(results.filter((r) => r.task === 'Uses the run-once result').map((r) => r.msg), ['got real', 'got real']);
    deepStrictEqual(results.filter((r) => r.task === 'Command whose changed_when reads its own output').map((r) => r.status), [HostStatus.CHANGED, HostStatus.CHANGED]);
  });
});
