// An exclusive lock file between processes (two labs may start at once and share the caches).
// The holder's PID is written into the file, so a lock left by a crashed process is taken over.
import { open, readFile, unlink } from 'node:fs/promises';
import { UserError } from '../errors/user-error.js';
import { processAlive } from '../os/process-alive.js';

async function tryAcquire(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx', 0o600);
    await handle.writeFile(String(process.pid));
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
  if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder)) return false;
  // Empty content can be a holder between create and write: only break it once it stays empty.
  if (!holder) return false;
  await unlink(path).catch(() => undefined);
  return false;
}

/** The last holder in this process of each lock: the file holds a PID, which cannot tell two callers of one process apart. */
const queued = new Map<string, Promise<unknown>>();

/** Runs `work` while holding the lock at `path`; waits up to `timeoutMs` for a holder in another process. */
export async function withFileLock<T>(path: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  const before = queued.get(path) ?? Promise.resolve();
  const mine = before.catch(() => undefined).then(() => holdFileLock(path, timeoutMs, work));
  queued.set(path, mine);
  try {
    return await mine;
  } finally {
    if (queued.get(path) === mine) queued.delete(path);
  }
}

async function holdFileLock<T>(path: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let emptySince = 0;
  while (!(await tryAcquire(path))) {
    if (Date.now() > deadline) throw new UserError(`timed out waiting for lock ${path}; remove it if no etcdops process is running`);
    const content = await readFile(path, 'utf8').catch(() => 'gone');
    if (content === '') {
      emptySince ||= Date.now();
      if (Date.now() - emptySince > 5000) await unlink(path).catch(() => undefined);
    } else emptySince = 0;
    await new Promise((done) => setTimeout(done, 250));
  }
  try {
    return await work();
  } finally {
    await unlink(path).catch(() => undefined);
  }
}
