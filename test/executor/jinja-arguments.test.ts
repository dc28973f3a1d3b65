// Jinja in a real run on the control node: native values from filter chains, statements in arguments,
// `!unsafe` text left alone, loops over expressions, and assert's messages.
import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { preflight } from '../../src/executor/preflight.js';
import { runPlaybook } from '../../src/executor/run-playbook.js';
import { loadInventory } from '../../src/inventory/load-inventory.js';
import { modules } from '../../src/modules/registry.js';
import { loadPlaybook } from '../../src/playbook/loader.js';
import { MemoryReporter } from '../../src/reporters/memory-reporter.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/executor/${name}`, import.meta.url));

describe('Jinja in task arguments, on a run', () => {
  it('renders values, text, loops and messages as Ansible does', async () => {
    const inventory = await loadInventory(fixture('inventory.yml'));
    const playbook = await loadPlaybook(fixture('jinja-args.yml'), { modules });
    // Checked before the run as the CLI does: !unsafe text is not a variable read to resolve.
    preflight(playbook, inventory, {}, modules);
    const reporter = new MemoryReporter();
    const result = await runPlaybook(playbook, inventory, { check: false, diff: false, tags: [], skipTags: [], extraVars: {}, forks: 1, reporter, modules });
    const outcomes = reporter.events.flatMap((e) => (e.event === 'host_result' ? [{ task: e.task, status: e.status, msg: e.msg, result: e.result }] : []));
    const messages = (task: string) => outcomes.filter((o) => o.task === task).map((o) => o.result?.msg ?? o.msg);
    deepStrictEqual(messages('native list from a filter chain'), [['a', 'c']]);
    deepStrictEqual(messages('text with statements, Python str() and a loop'), ["a=True,b=False,c=True {'k': None}"]);
    deepStrictEqual(messages('!unsafe text is never templated'), ['{{ not_a_variable }} {% if %}']);
    deepStrictEqual(messages('!unsafe argument is never templated'), ['{{ not_a_variable }}']);
    deepStrictEqual(messages('an assertion that holds'), ['All assertions passed']);
    deepStrictEqual(messages('loop over a Jinja expression, condition with Python semantics'), ['C', 'A']);
    deepStrictEqual(messages('fail_msg rendered on failure'), ['only a and c are healthy']);
    strictEqual(result.exitCode, 2);
  });
});
