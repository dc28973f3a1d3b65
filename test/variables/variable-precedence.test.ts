// The variables room: levels merge in the table's order whatever order a caller names them in, and every
// magic variable a task is given is listed (preflight accepts only listed names as defined).
import assert from 'node:assert/strict';
import { HostState } from '../../src/executor/host-state.js';
import { taskVariables, type RunScope } from '../../src/executor/task-variables.js';
import type { Inventory } from '../../src/inventory/inventory.js';
import type { Play } from '../../src/playbook/playbook.js';
import { MAGIC_VARIABLES, mergeByPrecedence, PRECEDENCE, variablesByPrecedence } from '../../src/variables/variable-precedence.js';

describe('variable precedence', () => {
  it('lets each level hide every level below it, whatever order the caller lists them in', () => {
    const levels = Object.fromEntries([...PRECEDENCE].reverse().map((level) => [level, Object.fromEntries(PRECEDENCE.slice(PRECEDENCE.indexOf(level)).map((l) => [`v_${l}`, level]))]));
    const merged = mergeByPrecedence(levels);
    for (const level of PRECEDENCE) assert.equal(merged[`v_${level}`], level);
    const lazy = variablesByPrecedence(levels, { file: 'x' });
    for (const level of PRECEDENCE) assert.equal(lazy[`v_${level}`], level);
  });

  it('takes several records in one level, the later ones higher', () => {
    assert.deepEqual(mergeByPrecedence({ role_defaults: [{ a: 1, b: 1 }, { b: 2 }], inventory: { c: 3 } }), { a: 1, b: 2, c: 3 });
  });

  it('lists every magic variable a task is given', () => {
    const host = new HostState({ name: 'h1.example', groups: ['all'], vars: {} });
    const inventory: Inventory = { source: '/inv/hosts.yml', hosts: new Map([['h1.example', host.inventoryHost]]), groups: new Map() };
    const play = { vars: {}, roleDefaults: {}, source: { file: '/p/play.yml' } } as unknown as Play;
    const scope: RunScope = {
      inventory, play, playbookDir: '/p', extraVars: {}, check: false, diff: false,
      hosts: new Map([['h1.example', host]]), playHosts: ['h1.example'], batchHosts: ['h1.example'], groups: { all: ['h1.example'] },
      runTags: [], skipTags: [], limit: 'h1*',
    };
    const given = Object.keys(taskVariables(scope, host, undefined));
    assert.ok(given.length >= 10, `expected the magic variables, got ${given.join(', ')}`);
    for (const name of given) assert.ok(name in MAGIC_VARIABLES, `${name} is given to tasks but not listed in MAGIC_VARIABLES`);
  });
});
