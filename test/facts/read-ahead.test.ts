// Reads sent ahead, on a real shell (dash as /bin/sh, and bash): each read comes back exactly as if it had
// run alone, a read sent ahead that fails is not kept, and a reader reuses what it read only while the
// run's change count has not moved.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ExecResult } from '../../src/connection/connection.js';
import { LocalConnection } from '../../src/connection/local.js';
import { ChangeCount, FactReader, defineFact } from '../../src/facts/fact.js';
import { fileState } from '../../src/facts/file-state.js';
import { frameReads, splitReads } from '../../src/facts/read-ahead.js';

const run = promisify(execFile);

async function shell(program: string, script: string): Promise<ExecResult> {
  try {
    const { stdout, stderr } = await run(program, ['-c', script]);
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

for (const program of ['sh', 'bash']) {
  describe(`reads sent ahead, framed for ${program}`, () => {
    const ahead = [
      'printf "a\\nb\\n"',
      'printf "no newline"',
      ':',
      'echo half; exit 3',
      'set -e; echo before; false; echo after',
      'printf "\\n\\n"',
      'cat',
      'echo to-stderr >&2; echo kept',
    ];

    it('gives each read its own output, and none for one that failed', async () => {
      const framed = frameReads('echo own', ahead);
      const split = splitReads(await shell(program, framed.script), framed.mark, ahead.length);
      assert.deepStrictEqual(split.ahead, ['a\nb\n', 'no newline', '', undefined, undefined, '\n\n', '', 'kept\n']);
      assert.deepStrictEqual(split.own, { stdout: 'own\n', stderr: '', code: 0 });
    });

    it("keeps the task's own read as it would run alone: output, error text and exit code", async () => {
      const own = 'printf "x"; echo oops >&2; exit 7';
      const alone = await shell(program, own);
      const framed = frameReads(own, ahead);
      assert.deepStrictEqual(splitReads(await shell(program, framed.script), framed.mark, ahead.length).own, alone);
      assert.deepStrictEqual(alone, { stdout: 'x', stderr: 'oops\n', code: 7 });
    });

    it('keeps nothing sent ahead when the shell never reached the own read', () => {
      const split = splitReads({ stdout: '', stderr: 'etcdops: the script did not arrive whole', code: 255 }, 'm', 2);
      assert.deepStrictEqual(split, { own: { stdout: '', stderr: 'etcdops: the script did not arrive whole', code: 255 }, ahead: [undefined, undefined] });
    });
  });
}

describe('a fact reader with reads sent ahead', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'read-ahead-'));
    for (const name of ['a', 'b', 'c']) await writeFile(join(dir, name), `${name}\n`);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads the next tasks\' files in the command of the first read, each as a read of its own finds it', async () => {
    const connection = new LocalConnection();
    const reader = new FactReader(connection, false, 'root', new ChangeCount());
    const args = (name: string) => ({ path: join(dir, name), checksum: true });
    reader.readAhead([{ fact: fileState, args: args('b') }, { fact: fileState, args: args('c') }, { fact: fileState, args: args('absent') }]);
    const first = await reader.read(fileState, args('a'));
    const later = await Promise.all(['b', 'c', 'absent'].map((name) => reader.read(fileState, args(name))));
    assert.equal(connection.stats.commands, 1);
    const alone = new FactReader(new LocalConnection());
    assert.deepStrictEqual([first, ...later], await Promise.all(['a', 'b', 'c', 'absent'].map((name) => alone.read(fileState, args(name)))));
  });

  it('reads a file alone after the reads sent ahead when they could not answer its own read (a diff wants its content)', async () => {
    const connection = new LocalConnection();
    const reader = new FactReader(connection, false, 'root', new ChangeCount());
    const own = { path: join(dir, 'a'), checksum: true, content: true, unlessSha256: '0'.repeat(64) };
    reader.readAhead([{ fact: fileState, args: { path: join(dir, 'b'), checksum: true } }]);
    const state = await reader.read(fileState, own);
    assert.equal(state.content, 'a\n');
    assert.deepStrictEqual(state, await new FactReader(new LocalConnection()).read(fileState, own));
    await reader.read(fileState, { path: join(dir, 'b'), checksum: true });
    assert.equal(connection.stats.commands, 2);
  });

  it('sends the reads two tasks asked for with the next read, when the first task read nothing new', async () => {
    const connection = new LocalConnection();
    const reader = new FactReader(connection, false, 'root', new ChangeCount());
    reader.readAhead([{ fact: fileState, args: { path: join(dir, 'b') } }]);
    reader.readAhead([{ fact: fileState, args: { path: join(dir, 'c') } }]);
    await reader.read(fileState, { path: join(dir, 'a') });
    await reader.read(fileState, { path: join(dir, 'b') });
    await reader.read(fileState, { path: join(dir, 'c') });
    assert.equal(connection.stats.commands, 1);
  });

  it('reads again what was read before a change began, and drops reads waiting to be sent', async () => {
    const connection = new LocalConnection();
    const changes = new ChangeCount();
    const reader = new FactReader(connection, false, 'root', changes);
    reader.readAhead([{ fact: fileState, args: { path: join(dir, 'b') } }]);
    await reader.read(fileState, { path: join(dir, 'a') });
    changes.bump();
    await writeFile(join(dir, 'b'), 'changed\n');
    changes.bump();
    assert.equal((await reader.read(fileState, { path: join(dir, 'b') })).size, 8);
    reader.readAhead([{ fact: fileState, args: { path: join(dir, 'c') } }]);
    changes.bump();
    await reader.read(fileState, { path: join(dir, 'a') });
    await reader.read(fileState, { path: join(dir, 'c') });
    assert.equal(connection.stats.commands, 4);
  });

  it('does not keep a read sent ahead whose command failed: its task reads again and gets the error', async () => {
    const failing = defineFact<{ readonly n: number }, string>({
      name: 'failing',
      command: ({ n }) => `echo "read ${n}" >&2; exit ${n}`,
      parse: (result) => {
        if (result.code !== 0) throw new Error(result.stderr.trim());
        return result.stdout;
      },
    });
    const connection = new LocalConnection();
    const reader = new FactReader(connection, false, 'root', new ChangeCount());
    reader.readAhead([{ fact: failing, args: { n: 4 } }]);
    await reader.read(fileState, { path: join(dir, 'a') });
    await assert.rejects(reader.read(failing, { n: 4 }), /^Error: read 4$/);
    assert.equal(connection.stats.commands, 2);
  });
});
