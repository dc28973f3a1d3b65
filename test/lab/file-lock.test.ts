// The lock between processes that share the lab caches also holds between two callers of one process: a lab
// builds its etcd tarballs and its apt repository at once, and both update the same apt lists.
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withFileLock } from '../../src/lab/file-lock.js';

describe('file lock', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'file-lock-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('runs two holders of one process one after the other, and removes the lock file after the last', async () => {
    const path = join(dir, 'x.lock');
    const seen: string[] = [];
    const holder = (name: string) => async () => {
      seen.push(`${name} in`);
      await new Promise((done) => setTimeout(done, 700));
      seen.push(`${name} out`);
    };
    await Promise.all([withFileLock(path, 5000, holder('a')), withFileLock(path, 5000, holder('b'))]);
    assert.deepStrictEqual(seen, ['a in', 'a out', 'b in', 'b out']);
    await assert.rejects(stat(path), { code: 'ENOENT' });
  });

  it('lets the next holder in after a holder fails, and gives the failure to its own caller only', async () => {
    const path = join(dir, 'x.lock');
    const failing = withFileLock(path, 5000, async () => {
      throw new Error('first failed');
    });
    const next = withFileLock(path, 5000, async () => 'second ran');
    await assert.rejects(failing, /first failed/);
    assert.equal(await next, 'second ran');
  });
});
