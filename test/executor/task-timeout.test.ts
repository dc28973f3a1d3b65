// The task `timeout:` keyword without a host: a fake connection records the time limit each command gets,
// and a task that outlives its limit fails with a message naming the task, its file and the limit.
import { deepStrictEqual, match, ok, rejects, strictEqual } from 'node:assert/strict';
import { noConnectionStats, type Connection, type ExecOptions } from '../../src/connection/connection.js';
import { boundedConnection, withTaskTimeout } from '../../src/executor/task-timeout.js';
import type { Task } from '../../src/playbook/playbook.js';

function fakeConnection(seen: ExecOptions[]): Connection {
  return {
    host: 'n1',
    stats: noConnectionStats(),
    connect: async () => undefined,
    exec: async (_command, options = {}) => {
      seen.push(options);
      return { stdout: '', stderr: '', code: 0 };
    },
    putFile: async () => undefined,
    fetchFile: async () => Buffer.alloc(0),
    close: async () => undefined,
  };
}

const task = (timeout?: number) => ({ name: 'Sleeps', timeout, source: { file: 'play.yml', line: 7 } }) as unknown as Task;

describe('task timeout', () => {
  const limits: { given?: number; leftMs: number; atMost: number; atLeast: number }[] = [
    { leftMs: 5000, atLeast: 5500, atMost: 6000 },
    { given: 2000, leftMs: 5000, atLeast: 2000, atMost: 2000 },
    { given: 60_000, leftMs: 3000, atLeast: 3500, atMost: 4000 },
    { leftMs: -1000, atLeast: 1000, atMost: 1001 },
  ];
  for (const { given, leftMs, atLeast, atMost } of limits) {
    it(`a command with ${given ?? 'no'} limit, ${leftMs} ms before the deadline, gets ${atLeast}..${atMost} ms (the host's own grace included)`, async () => {
      const seen: ExecOptions[] = [];
      await boundedConnection(fakeConnection(seen), Date.now() + leftMs).exec('true', given === undefined ? {} : { timeoutMs: given });
      const limit = seen[0]!.timeoutMs!;
      ok(limit >= atLeast - 50 && limit <= atMost, `got ${limit} ms`);
    });
  }

  it('without a timeout the connection is the task\'s own, unbounded', async () => {
    const seen: ExecOptions[] = [];
    const connection = fakeConnection(seen);
    strictEqual(await withTaskTimeout(task(), 'n1', connection, async (c) => c), connection);
  });

  it('fails a task that outlives its limit, naming the host, task, file and limit', async () => {
    const started = Date.now();
    await rejects(
      withTaskTimeout(task(0.2), 'n1', fakeConnection([]), () => new Promise(() => undefined)),
      (error: Error) => {
        match(error.message, /^play\.yml:7 \(timeout\): n1: task "Sleeps" did not finish within its timeout of 0\.2 s/);
        return true;
      },
    );
    ok(Date.now() - started < 1000);
  });

  it('returns what a task gives back within its limit, with its commands bounded', async () => {
    const seen: ExecOptions[] = [];
    const result = await withTaskTimeout(task(5), 'n1', fakeConnection(seen), async (c) => {
      await c.exec('true');
      return 'done';
    });
    strictEqual(result, 'done');
    deepStrictEqual(seen.length, 1);
    ok(seen[0]!.timeoutMs! > 5000 && seen[0]!.timeoutMs! <= 6000);
  });
});
