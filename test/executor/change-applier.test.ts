// Apply runs what was planned and works nothing out again: copy's source is read once (a source edited
// between plan and apply does not reach the host), a template is rendered once, each change costs one
// command, and the applier stops at the first change that fails, naming its target.
import { deepStrictEqual, match, strictEqual } from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalConnection } from '../../src/connection/local.js';
import { applyChanges } from '../../src/executor/change-applier.js';
import { copyModule } from '../../src/modules/copy.js';
import { templateModule } from '../../src/modules/template.js';
import { ChangeAction } from '../../src/plan/change.js';
import { gatherContext, moduleContext } from '../modules/module-context.js';

describe('the change applier', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'etcdops-applier-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copy writes the bytes it planned, in one command, even when the source changed since', async () => {
    writeFileSync(join(dir, 'app.conf'), 'planned\n');
    const args = { src: 'app.conf', dest: join(dir, 'out.conf') };
    const connection = new LocalConnection();
    const ctx = gatherContext(moduleContext({}, dir), connection);
    const plan = copyModule.plan(args, await copyModule.gather(args, ctx), ctx);
    deepStrictEqual(plan.changes.map((c) => c.action), [ChangeAction.CREATE]);
    writeFileSync(join(dir, 'app.conf'), 'edited after the plan\n');
    const before = connection.stats.commands;
    const applied = await copyModule.apply(args, plan, ctx);
    strictEqual(applied.changed, true);
    strictEqual(connection.stats.commands - before, 1);
    strictEqual(readFileSync(join(dir, 'out.conf'), 'utf8'), 'planned\n');
  });

  it('template renders once for gather, plan and apply together', async () => {
    writeFileSync(join(dir, 't.hbs'), 'name={{name}}\n');
    const args = { src: 't.hbs', dest: join(dir, 't') };
    let renders = 0;
    const base = moduleContext({ name: 'n1' }, dir);
    const counted = { ...base, render: (text: string, source: string) => (renders++, base.render(text, source)) };
    const ctx = gatherContext(counted);
    const plan = templateModule.plan(args, await templateModule.gather(args, ctx), counted);
    await templateModule.apply(args, plan, ctx);
    strictEqual(renders, 1);
    strictEqual(readFileSync(join(dir, 't'), 'utf8'), 'name=n1\n');
  });

  it('stops at the first change that fails, naming its target, and refuses a change with no effect', async () => {
    const ctx = gatherContext(moduleContext({}, dir));
    const marker = join(dir, 'third');
    const applied = await applyChanges(
      {
        changes: [
          { action: ChangeAction.RUN, target: 'first', reason: 'r', effect: { script: 'true' } },
          { action: ChangeAction.RUN, target: 'second', reason: 'r', effect: { script: 'echo broken >&2; exit 3' } },
          { action: ChangeAction.RUN, target: 'third', reason: 'r', effect: { script: `touch '${marker}'` } },
        ],
      },
      ctx,
    );
    deepStrictEqual([applied.changed, applied.failed, applied.msg], [true, true, 'second: broken']);
    let thrown: Error | undefined;
    await applyChanges({ changes: [{ action: ChangeAction.CREATE, target: '/x', reason: 'r' }] }, ctx).catch((e: Error) => (thrown = e));
    match(thrown?.message ?? '', /\/x: the planned change carries no effect/);
    strictEqual(existsSync(marker), false, 'nothing after the failed change ran');
  });
});
