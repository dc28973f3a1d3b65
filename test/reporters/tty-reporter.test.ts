// The terminal view as a user sees it, through a real pseudo-terminal (util-linux `script`) on a small
// local play: one line per task that becomes its summary, a task skipped everywhere not ticked green, a
// wait showing its time while it runs, each diff once under `--check --diff`, and a terminal that reports
// no width drawing whole lines, not a character per line.
import { deepStrictEqual, match, ok, strictEqual } from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { etcdopsInTerminal } from '../e2e/etcdops-cli.js';
import { finalScreen } from './terminal-screen.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/reporters/${name}`, import.meta.url));
const TASKS = ['Write the greeting', 'Write the greeting again', 'Never needed here', 'Wait a little', 'Fails and is ignored'];
const COLOURS = /\x1b\[[0-9;]*m/g;

describe('the terminal view', function () {
  this.timeout(60_000);
  let scratch: string;
  beforeEach(() => (scratch = mkdtempSync(join(tmpdir(), 'etcdops-tty-'))));
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  const play = async (columns: number) => {
    const args = ['play', fixture('tty-view.yml'), '-i', fixture('inventory.yml'), '-e', `scratch_dir=${scratch}`, '--check', '--diff'];
    // As a user at a terminal sees it: outside CI (CI=true picks plain output, as the README says).
    const result = await etcdopsInTerminal(args, { columns, env: { CI: '' } }).done;
    strictEqual(result.code, 0, result.stdout + result.stderr);
    return result.stdout.replace(COLOURS, '');
  };
  const taskLines = (screen: readonly string[]) => screen.filter((line) => / TASK \[/.test(line));

  it('leaves one summary line per task, a skip not ticked, a wait timed, each diff once', async () => {
    const stream = await play(100);
    const screen = finalScreen(stream);
    const lines = taskLines(screen);
    deepStrictEqual(lines.map((line) => line.match(/TASK \[(.*?)\]/)![1]), TASKS, screen.join('\n'));
    match(lines[0]!, /^✔ TASK \[Write the greeting\] — changed: local1, local2$/);
    match(lines[2]!, /^↓ TASK \[Never needed here\] — skipped$/);
    match(lines[3]!, /^✔ TASK \[Wait a little\] — ok 2 \(\d\.\d s\)$/);
    match(lines[4]!, /^✔ TASK \[Fails and is ignored\] — failed \(ignored\): local1, local2$/);
    // While it waited, its line said how long it had been waiting.
    match(stream, /TASK \[Wait a little\] \(0\/2 hosts, 2\.\d s\)/);
    for (const host of ['local1', 'local2']) strictEqual(screen.filter((line) => line.trim() === `+hello from ${host}`).length, 1, screen.join('\n'));
    ok(screen.length <= 30, `a short screen:\n${screen.join('\n')}`);
  });

  it('draws whole lines on a terminal that reports no width', async () => {
    const screen = finalScreen(await play(0));
    const lines = taskLines(screen);
    ok(lines.includes('✔ TASK [Write the greeting] — changed: local1, local2'), screen.join('\n'));
    ok(lines.some((line) => /^↓ TASK \[Never needed here\]/.test(line)), screen.join('\n'));
    deepStrictEqual(screen.filter((line) => line.trim().length === 1), [], 'no line holds a single character');
  });
});
