// Watches who leads during a drill: every member's status, a few times a second; the leader is the one
// the answering members name (the highest term wins when they disagree during an election).
import type { Etcd3 } from 'etcd3';
import { openEndpointClient, type ClusterAccess } from '../etcd/cluster-access.js';
import type { LeaderSample } from './drill-verdict.js';

const POLL_MS = 250;

export interface LeaderWatch {
  stop(): Promise<void>;
  readonly samples: readonly LeaderSample[];
  /** The leader's member name now (null when none answers). */
  current(): string | null;
}

export async function watchLeader(access: ClusterAccess, names: readonly string[], started: number): Promise<LeaderWatch> {
  const clients: Etcd3[] = await Promise.all(access.endpoints.map((e) => openEndpointClient({ ...access, timeoutMs: 600 }, e)));
  const idToName = new Map<string, string>();
  const samples: LeaderSample[] = [];
  let running = true;
  const poll = async () => {
    const statuses = await Promise.all(clients.map((c, i) => c.maintenance.status().then((s) => ({ s, name: names[i]! }), () => null)));
    let best: { leader: string; term: number } | null = null;
    for (const answer of statuses) {
      if (!answer) continue;
      idToName.set(answer.s.header.member_id, answer.name);
      const term = Number(answer.s.raftTerm ?? answer.s.header.raft_term);
      if (answer.s.leader !== '0' && (best === null || term > best.term)) best = { leader: answer.s.leader, term };
    }
    samples.push({ at: Date.now() - started, leader: best ? (idToName.get(best.leader) ?? best.leader) : null, term: best?.term ?? 0 });
  };
  await poll();
  const loop = (async () => {
    while (running) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      if (running) await poll();
    }
  })();
  return {
    samples,
    current: () => samples[samples.length - 1]?.leader ?? null,
    async stop() {
      running = false;
      await loop;
      for (const c of clients) c.close();
    },
  };
}
