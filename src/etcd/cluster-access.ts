// How etcdops reaches a cluster: its client endpoints and the admin client certificate over TLS.
// Each endpoint gets its own client so an answer is known to come from that member, and calls fail fast
// (one deadline, no retries) because callers poll on their own schedule.
import type { Etcd3, IOptions } from 'etcd3';

type Etcd3Module = typeof import('etcd3');
let etcd3: Etcd3Module | undefined;

/** etcd3 and gRPC take a good part of start-up time: loaded on first use, so commands that never reach a cluster start fast. */
async function loadEtcd3(): Promise<Etcd3Module> {
  etcd3 ??= await import('etcd3');
  return etcd3;
}

export interface ClusterAccess {
  /** Client URLs, e.g. `https://10.213.0.11:2379`. */
  readonly endpoints: readonly string[];
  /** CA certificate (PEM text). */
  readonly ca: string;
  /** Admin client certificate (PEM text). */
  readonly cert: string;
  /** Admin client key (PEM text). */
  readonly key: string;
  /** Deadline of each call, and of connecting (default 5000). */
  readonly timeoutMs?: number;
}

export const DEFAULT_CALL_TIMEOUT_MS = 5000;

type Policy = NonNullable<NonNullable<IOptions['faultHandling']>['global']>;

/** Runs the call once: no retry, no circuit breaker that would keep refusing a member that just came back. */
const callOnce = {
  execute: <T>(fn: (context: unknown) => PromiseLike<T> | T): Promise<T> => Promise.resolve().then(() => fn({})),
} as unknown as Policy;

/** The admin's TLS identity, as etcd3 takes it. */
function credentials(access: ClusterAccess): NonNullable<IOptions['credentials']> {
  return { rootCertificate: Buffer.from(access.ca), certChain: Buffer.from(access.cert), privateKey: Buffer.from(access.key) };
}

/** etcd3 wants `host:port`-style hosts or URLs; it accepts `https://host:port`. */
export async function openEndpointClient(access: ClusterAccess, endpoint: string): Promise<Etcd3> {
  const timeoutMs = access.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const { Etcd3 } = await loadEtcd3();
  return new Etcd3({
    hosts: [endpoint],
    credentials: credentials(access),
    dialTimeout: timeoutMs,
    defaultCallOptions: () => ({ deadline: Date.now() + timeoutMs }),
    faultHandling: { global: callOnce, host: () => callOnce },
  });
}

/**
 * One client over every endpoint with etcd3's own failover and retries: for what must outlive a member's
 * restart, like the keepalive of a lease held for a whole run.
 */
export async function openClusterClient(access: ClusterAccess): Promise<Etcd3> {
  const { Etcd3 } = await loadEtcd3();
  return new Etcd3({
    hosts: [...access.endpoints],
    credentials: credentials(access),
    dialTimeout: access.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
  });
}

/** Runs `use` with a client of one endpoint and always closes it. */
export async function withEndpointClient<T>(
  access: ClusterAccess,
  endpoint: string,
  use: (client: Etcd3) => Promise<T>,
): Promise<T> {
  const client = await openEndpointClient(access, endpoint);
  try {
    return await use(client);
  } finally {
    client.close();
  }
}

/** Runs `use` against the first endpoint that answers, in the given order; fails with every endpoint's error. */
export async function withAnyEndpoint<T>(
  access: ClusterAccess,
  use: (client: Etcd3, endpoint: string) => Promise<T>,
): Promise<T> {
  const failures: string[] = [];
  for (const endpoint of access.endpoints) {
    try {
      return await withEndpointClient(access, endpoint, (client) => use(client, endpoint));
    } catch (error) {
      if (!isUnreachable(error)) throw error;
      failures.push(`${endpoint}: ${(error as Error).message}`);
    }
  }
  throw new UnreachableClusterError(failures);
}

/** No endpoint answered at all. */
export class UnreachableClusterError extends Error {
  constructor(readonly failures: readonly string[]) {
    super(failures.length === 0 ? 'no etcd endpoint given' : `no etcd endpoint answered (${failures.join('; ')})`);
    this.name = 'UnreachableClusterError';
  }
}

/**
 * Errors that mean "this endpoint did not answer" (try another), as opposed to an answer that refuses.
 * etcd also uses UNAVAILABLE for refusals such as "etcdserver: unhealthy cluster": those are answers.
 */
export function isUnreachable(error: unknown): boolean {
  // Only a client can raise these, so the module is loaded by then.
  const transport =
    etcd3 !== undefined &&
    (error instanceof etcd3.GRPCUnavailableError ||
      error instanceof etcd3.GRPCDeadlineExceededError ||
      error instanceof etcd3.ClientRuntimeError);
  return transport && !/etcdserver:/.test((error as Error).message);
}
