// Test helper: runs a table of lineinfile/blockinfile cases through the real Ansible (one ansible-playbook
// run on temp files, json callback) and through etcdops's pure plan on the same input, for comparison.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '../../src/os/content-diff.js';
import type { ModuleDefinition } from '../../src/modules/module.js';
import { TaskFailure } from '../../src/modules/task-failure.js';
import { moduleContext } from './module-context.js';

export interface EditCase {
  readonly name: string;
  /** The file's content before the task; undefined: the file does not exist. */
  readonly before: string | undefined;
  readonly args: Record<string, unknown>;
}

export interface EditOutcome {
  readonly changed: boolean;
  readonly failed: boolean;
  /** Ansible's msg, with the case's file path written as PATH. */
  readonly msg: string;
  /** The file's content after the task; undefined when it does not exist. */
  readonly after: string | undefined;
  readonly found?: number;
}

const PATH = '/x/file.txt';

export function runAnsible(module: string, cases: readonly EditCase[]): EditOutcome[] {
  const dir = mkdtempSync(join(tmpdir(), `oracle-${module}-`));
  try {
    const path = (i: number) => join(dir, `case-${i}`, 'file.txt');
    cases.forEach((c, i) => {
      mkdirSync(join(dir, `case-${i}`));
      if (c.before !== undefined) writeFileSync(path(i), c.before);
    });
    const tasks = cases.map((c, i) => ({ name: c.name, [module]: { path: path(i), ...c.args }, ignore_errors: true }));
    const play = join(dir, 'play.yml');
    writeFileSync(play, JSON.stringify([{ hosts: 'localhost', connection: 'local', gather_facts: false, tasks }]));
    const run = spawnSync('ansible-playbook', ['-i', 'localhost,', '-e', 'ansible_python_interpreter=/usr/bin/python3', play], {
      encoding: 'utf8',
      timeout: 180_000,
      env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_LOCALHOST_WARNING: 'false' },
    });
    const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as { plays: { tasks: { hosts: { localhost: Record<string, unknown> } }[] }[] };
    return report.plays[0]!.tasks.map((t, i) => {
      const r = t.hosts.localhost;
      return {
        changed: r.changed === true,
        failed: r.failed === true,
        msg: String(r.msg ?? '').replaceAll(path(i), PATH),
        after: existsSync(path(i)) ? readFileSync(path(i), 'utf8') : undefined,
        ...(typeof r.found === 'number' ? { found: r.found } : {}),
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same cases through the module's pure plan, on a file state built from `before`. */
export function runEtcdops(module: ModuleDefinition<any, any>, cases: readonly EditCase[]): EditOutcome[] {
  return cases.map((c) => {
    const state =
      c.before === undefined
        ? { type: 'absent' }
        : { type: 'file', owner: 'root', group: 'root', uid: 0, gid: 0, mode: '0644', content: c.before, sha256: sha256(c.before) };
    try {
      const plan = module.plan({ path: PATH, ...c.args }, state, moduleContext());
      const change = plan.changes[0];
      const result = plan.result ?? {};
      return {
        changed: plan.changes.length > 0,
        failed: false,
        msg: String(result.msg ?? ''),
        after: change?.after !== undefined ? change.after : c.before,
        ...(typeof result.found === 'number' ? { found: result.found } : {}),
      };
    } catch (error) {
      if (!(error instanceof TaskFailure)) throw error;
      return { changed: false, failed: true, msg: error.message, after: c.before };
    }
  });
}

/**
 * One test per case: etcdops's outcome must equal ansible-playbook's (failure and its message, file bytes,
 * changed, msg, and `found` where the module reports it).
 */
export function describeAgainstAnsible(module: ModuleDefinition<any, any>, cases: readonly EditCase[]): void {
  describe(`${module.name}, with ansible as the oracle`, function () {
    this.timeout(240_000);
    let expected: EditOutcome[];
    before(() => {
      expected = runAnsible(module.name, cases);
    });
    const ours = runEtcdops(module, cases);
    cases.forEach((c, i) => {
      it(c.name, () => {
        const want = expected[i]!;
        const got = ours[i]!;
        assert.equal(got.failed, want.failed, `failed: ansible says ${want.msg}`);
        if (want.failed) return assert.equal(got.msg, want.msg);
        assert.equal(got.after, want.after, 'file content');
        assert.equal(got.changed, want.changed, 'changed');
        assert.equal(got.msg, want.msg, 'msg');
        assert.equal(got.found, want.found, 'found');
      });
    });
  });
}
