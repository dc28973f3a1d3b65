// The same expressions through etcdops and through the real ansible-playbook 2.14 (json callback):
// values with their types, their text form, `when:` results and refusals must all agree. Every value case
// is one element of a single debug task's msg, so each run takes seconds. Ansible runs with its default
// settings (jinja2_native off), as users run it: a lone `{{ 5 }}` is the string '5' there.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../src/errors/user-error.js';
import { evaluateCondition } from '../../src/playbook/condition.js';
import { renderValue } from '../../src/playbook/templating.js';
import { CONDITION_CASES, FAILING_CASES, ORACLE_VARS, VALUE_CASES } from '../fixtures/jinja/oracle-cases.js';

interface HostResult {
  readonly msg?: unknown;
  readonly failed?: boolean;
  readonly skipped?: boolean;
}

const ENV_VALUE = 'from the environment';
const where = { file: 'oracle.yml', line: 1 };

function ansibleResults(tasks: readonly Record<string, unknown>[]): HostResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'etcdops-oracle-'));
  try {
    writeFileSync(join(dir, 'vars.json'), JSON.stringify(ORACLE_VARS));
    // JSON is YAML: no quoting of the expressions to get wrong.
    writeFileSync(join(dir, 'play.yml'), JSON.stringify([{ hosts: 'localhost', gather_facts: false, tasks }]));
    // Exit code 2 when a task failed: the failures are part of what is compared.
    const { stdout: out } = spawnSync('ansible-playbook', ['-i', 'localhost,', '-c', 'local', '-e', `@${join(dir, 'vars.json')}`, join(dir, 'play.yml')], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, ANSIBLE_JINJA2_NATIVE: 'false', ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_LOCALHOST_WARNING: 'false', ANSIBLE_NOCOLOR: '1', ETCDOPS_ORACLE_ENV: ENV_VALUE },
    });
    const report = JSON.parse(out) as { plays: { tasks: { hosts: { localhost: HostResult } }[] }[] };
    return report.plays[0]!.tasks.map((t) => t.hosts.localhost);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('Jinja against the real Ansible', function () {
  this.timeout(300_000);
  const tasks: Record<string, unknown>[] = [];
  tasks.push({ debug: { msg: VALUE_CASES.flatMap((expr) => [`{{ ${expr} }}`, `x={{ ${expr} }}`]) }, ignore_errors: true });
  for (const expr of CONDITION_CASES) tasks.push({ debug: { msg: "held" }, when: expr, ignore_errors: true });
  for (const expr of FAILING_CASES) tasks.push({ debug: { msg: `{{ ${expr} }}` }, ignore_errors: true });
  let results: HostResult[] = [];
  let previousEnv: string | undefined;

  before(() => {
    previousEnv = process.env.ETCDOPS_ORACLE_ENV;
    process.env.ETCDOPS_ORACLE_ENV = ENV_VALUE;
    results = ansibleResults(tasks);
    assert.equal(results.length, tasks.length, 'ansible reported every task');
  });
  after(() => {
    if (previousEnv === undefined) delete process.env.ETCDOPS_ORACLE_ENV;
    else process.env.ETCDOPS_ORACLE_ENV = previousEnv;
  });

  it(`covers at least 150 expressions`, () => {
    assert.ok(VALUE_CASES.length + CONDITION_CASES.length + FAILING_CASES.length >= 150);
  });

  VALUE_CASES.forEach((expr, i) => {
    it(`{{ ${expr} }}`, () => {
      const values = results[0]!;
      assert.ok(!values.failed && Array.isArray(values.msg), `ansible failed: ${String(values.msg)}`);
      const value = renderValue(`{{ ${expr} }}`, ORACLE_VARS, where);
      assert.deepEqual(value, values.msg[2 * i], 'the value and its type');
      assert.equal(renderValue(`x={{ ${expr} }}`, ORACLE_VARS, where), values.msg[2 * i + 1], 'the text');
    });
  });

  CONDITION_CASES.forEach((expr, i) => {
    it(`when: ${expr}`, () => {
      const result = results[1 + i]!;
      assert.ok(!result.failed, `ansible failed: ${String(result.msg)}`);
      assert.equal(evaluateCondition(expr, ORACLE_VARS, where), !result.skipped);
    });
  });

  FAILING_CASES.forEach((expr, i) => {
    it(`{{ ${expr} }} is refused`, () => {
      const result = results[1 + CONDITION_CASES.length + i]!;
      assert.equal(result.failed, true, `ansible accepted it: ${JSON.stringify(result.msg)}`);
      assert.throws(() => renderValue(`{{ ${expr} }}`, ORACLE_VARS, where), UserError);
    });
  });
});
