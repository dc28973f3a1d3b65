// The run lock: one key in the cluster itself, attached to a lease this process keeps alive, so two
// operators cannot change one cluster at once. A run that dies stops renewing the lease, and etcd deletes
// the key when its TTL runs out; a run that ends revokes it at once.
import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import type { Etcd3, Lease } from 'etcd3';
import { openClusterClient, withAnyEndpoint, type ClusterAccess } from './cluster-access.js';
import { processAlive } from '../os/process-alive.js';

export const RUN_LOCK_KEY = '/etcdops/run-lock';

/** Who holds the lock, as stored in the key. */
export interface RunLockHolder {
  /** `user@host (pid N)` of the etcdops process. */
  readonly holder: string;
  /** The control node and process id, so a run on the same node can tell that the holder died. */
  readonly host?: string;
  readonly pid?: number;
  readonly operation: string;
  /** ISO time the lock was taken. */
  readonly since: string;
  /** Identifies the process run, so a later play of the same run sees the lock as its own. */
  readonly run: string;
}

/** This process's run. */
export const THIS_RUN = randomUUID();

export function thisHolder(operation: string, now = new Date()): RunLockHolder {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry for this uid (a container): the pid and host still name the run.
  }
  return { holder: `${user}@${hostname()} (pid ${process.pid})`, host: hostname(), pid: process.pid, operation, since: now.toISOString(), run: THIS_RUN };
}

export function describeHolder(holder: RunLockHolder): string {
  return `${holder.holder}, running ${holder.operation} since ${holder.since}`;
}

function parseHolder(text: string | null): RunLockHolder | undefined {
  if (text === null) return undefined;
  try {
    const value = JSON.parse(text) as Partial<RunLockHolder>;
    if (typeof value.holder === 'string' && typeof value.run === 'string') {
      return {
        holder: value.holder,
        ...(typeof value.host === 'string' ? { host: value.host } : {}),
        ...(Number.isInteger(value.pid) ? { pid: value.pid } : {}),
        operation: String(value.operation ?? '?'),
        since: String(value.since ?? '?'),
        run: value.run,
      };
    }
  } catch {
    // Not ours to read: shown as it is below.
  }
  return { holder: `unreadable lock value ${JSON.stringify(text.slice(0, 80))}`, operation: '?', since: '?', run: '' };
}

/** The lock as read: who holds it, and the stored text a takeover must find unchanged. */
export interface RunLockState {
  readonly holder?: RunLockHolder;
  readonly value?: string;
}

export async function readRunLock(access: ClusterAccess): Promise<RunLockState> {
  const value = await withAnyEndpoint(access, async (client) => client.get(RUN_LOCK_KEY).string());
  return value === null ? {} : { holder: parseHolder(value), value };
}

/**
 * Whether the holder is known to be dead: a run of this same control node whose process is gone. Only
 * then can a lock be taken over at once; a holder elsewhere is waited for until its lease runs out.
 */
export function holderIsGone(holder: RunLockHolder, isAlive: (pid: number) => boolean = processAlive): boolean {
  return holder.host === hostname() && holder.pid !== undefined && holder.pid !== process.pid && !isAlive(holder.pid);
}

interface HeldLock {
  readonly client: Etcd3;
  readonly lease: Lease;
  readonly stopRenewing: () => void;
}

const held: HeldLock[] = [];

type LostListener = (reason: string) => void;
const lostListeners = new Set<LostListener>();

/**
 * Calls `listener` when a lock of this run is lost while the run goes on: its lease was revoked by someone
 * else, or the cluster could not renew it for twice its TTL. Another run may then take the lock, so the
 * caller must stop changing members. Returns the function that stops listening.
 */
export function onRunLockLost(listener: LostListener): () => void {
  lostListeners.add(listener);
  return () => lostListeners.delete(listener);
}

/** Deletes a lock another run left (after the operator confirmed it is dead). */
export async function breakRunLock(access: ClusterAccess): Promise<void> {
  await withAnyEndpoint(access, async (client) => {
    await client.delete().key(RUN_LOCK_KEY).exec();
  });
}

/**
 * Takes the lock for this run unless another run holds it (then returns that holder): a transaction puts
 * the key only if it does not exist (or, with `replacing`, still holds exactly that text: a dead run's
 * lock taken over), attached to a lease of `ttlSeconds` this process renews until it ends.
 */
export async function takeRunLock(access: ClusterAccess, holder: RunLockHolder, ttlSeconds: number, replacing?: string): Promise<RunLockHolder | undefined> {
  const client = await openClusterClient(access);
  const lease = client.lease(ttlSeconds, { autoKeepAlive: false });
  try {
    const id = await lease.grant();
    const result = await (replacing === undefined ? client.if(RUN_LOCK_KEY, 'Create', '==', 0) : client.if(RUN_LOCK_KEY, 'Value', '==', replacing))
      .then(client.put(RUN_LOCK_KEY).value(JSON.stringify(holder)).lease(id))
      .else(client.get(RUN_LOCK_KEY))
      .commit();
    if (!result.succeeded) {
      const kv = result.responses[0]?.response_range?.kvs[0];
      await lease.revoke().catch(() => undefined);
      client.close();
      return parseHolder(kv ? kv.value.toString() : null) ?? { holder: 'another run', operation: '?', since: '?', run: '' };
    }
  } catch (error) {
    lease.release();
    client.close();
    throw error;
  }
  const lost = (error: Error) => {
    const index = held.indexOf(lock);
    if (index < 0) return;
    held.splice(index, 1);
    lock.stopRenewing();
    client.close();
    for (const listener of lostListeners) listener(`the run lock ${RUN_LOCK_KEY} was lost (${error.message}): another run may hold it now`);
  };
  const lock: HeldLock = { client, lease, stopRenewing: renewEveryThirdOfTtl(lease, ttlSeconds, lost) };
  held.push(lock);
  lease.on('lost', lost);
  return undefined;
}

/**
 * Renews `lease` every third of its TTL (as etcd's Go client does), each time on a stream of its own that
 * ends with the answer: etcd 3.5 waits for open streams up to its request timeout (7 s by default) before
 * it stops, so a stream kept for the whole run would slow each restart of the member it reaches by 7 s.
 * Calls `lost` once no renewal succeeded for twice the TTL; a renewal etcd answers with an expired lease
 * makes the lease itself emit `lost`.
 */
function renewEveryThirdOfTtl(lease: Lease, ttlSeconds: number, lost: (error: Error) => void): () => void {
  const intervalMs = (1000 * ttlSeconds) / 3;
  let renewed = Date.now();
  const timer = setInterval(() => {
    lease
      .keepaliveOnce({ deadline: Date.now() + intervalMs })
      .then(() => (renewed = Date.now()))
      .catch((error: Error) => {
        if (Date.now() - renewed > 2 * 1000 * ttlSeconds) lost(new Error(`not renewed for ${Math.round((Date.now() - renewed) / 1000)} s: ${error.message}`));
      });
  }, intervalMs);
  return () => clearInterval(timer);
}

/** Ends this run's locks: the keys go at once rather than at the end of their TTL. */
export async function releaseRunLocks(): Promise<void> {
  const locks = held.splice(0);
  await Promise.all(
    locks.map(async ({ client, lease, stopRenewing }) => {
      stopRenewing();
      await lease.revoke().catch(() => lease.release());
      client.close();
    }),
  );
}
