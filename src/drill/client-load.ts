// The drill's client load: writes and linearizable reads in turn at a fixed rate (open loop: a slow
// answer does not slow the next request down), each request trying the endpoints in turn (the last one
// that answered first) until it is answered or its deadline passes, as a client given every endpoint
// does. Every acknowledged write is remembered, to look for it at the end.
import type { Etcd3 } from 'etcd3';
import { openEndpointClient, type ClusterAccess } from '../etcd/cluster-access.js';
import type { RequestSample } from './drill-verdict.js';

export interface ClientLoad {
  /** Stops issuing requests and waits for those in flight. */
  stop(): Promise<void>;
  readonly samples: readonly RequestSample[];
  /** Keys of the acknowledged writes, with their values. */
  readonly acked: ReadonlyMap<string, string>;
}

/** gRPC's message up to its diagnostics (`4 DEADLINE_EXCEEDED: Deadline exceeded after 0.998s,metadata ...`). */
export function shortError(error: unknown): string {
  return (error as Error).message.split('\n')[0]!.split(',')[0]!.slice(0, 200);
}

/** A single attempt gets at most this share of the request's deadline, so another endpoint can still be tried. */
const ATTEMPT_SHARE = 0.5;

export async function startClientLoad(access: ClusterAccess, prefix: string, rate: number, timeoutMs: number, started: number): Promise<ClientLoad> {
  const attemptMs = Math.max(100, Math.floor(timeoutMs * ATTEMPT_SHARE));
  const clients: Etcd3[] = await Promise.all(access.endpoints.map((e) => openEndpointClient({ ...access, timeoutMs: attemptMs }, e)));
  const samples: RequestSample[] = [];
  const acked = new Map<string, string>();
  let preferred = 0;
  let lastAcked: string | null = null;

  async function attempt(op: (client: Etcd3) => Promise<void>, deadline: number): Promise<void> {
    let lastError: unknown = new Error('no endpoint');
    for (let tried = 0; Date.now() < deadline; tried++) {
      const index = (preferred + tried) % clients.length;
      try {
        await op(clients[index]!);
        preferred = index;
        return;
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  }

  async function request(seq: number): Promise<void> {
    const t0 = Date.now();
    const deadline = t0 + timeoutMs;
    const op: RequestSample['op'] = seq % 2 === 0 ? 'put' : 'get';
    try {
      if (op === 'put') {
        const key = `${prefix}${String(seq).padStart(8, '0')}`;
        const value = String(seq);
        await attempt(async (c) => void (await c.put(key).value(value)), deadline);
        acked.set(key, value);
        lastAcked = key;
      } else {
        const key = lastAcked;
        // Linearizable (etcd3's default): answered only through the leader's read index.
        if (key !== null) {
          let value: string | null = null;
          await attempt(async (c) => void (value = await c.get(key).string()), deadline);
          if (value !== acked.get(key)) throw new Error(`read of ${key} found ${value === null ? 'nothing' : JSON.stringify(value)}, not the acknowledged ${acked.get(key)}`);
        }
      }
      const ms = Date.now() - t0;
      samples.push(ms > timeoutMs ? { at: t0 - started, ms, ok: false, op, error: `answered after ${ms} ms` } : { at: t0 - started, ms, ok: true, op });
    } catch (error) {
      samples.push({ at: t0 - started, ms: Date.now() - t0, ok: false, op, error: shortError(error) });
    }
  }

  const inFlight = new Set<Promise<void>>();
  let seq = 0;
  const period = 1000 / rate;
  let running = true;
  const loop = (async () => {
    while (running) {
      const next = started + seq * period;
      const wait = next - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (!running) break;
      const p = request(seq++).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
  })();

  return {
    samples,
    acked,
    async stop() {
      running = false;
      await loop;
      await Promise.allSettled([...inFlight]);
      for (const c of clients) c.close();
    },
  };
}
