// Consistency: every member hashes its MVCC keys up to the same revision (etcd's HashKV); equal hashes
// mean equal data. The member whose hash is not the majority's is named.
import type { Etcd3, IHashKVRequest, IHashKVResponse } from 'etcd3';
import { withAnyEndpoint, withEndpointClient, type ClusterAccess } from '../etcd/cluster-access.js';
import { checkReport, type CheckReport, type Finding } from './check-report.js';
import { Severity } from './severity.js';

export interface MemberHash {
  /** The member's inventory name. */
  readonly member: string;
  readonly endpoint: string;
  /** HashKV at the common revision, null when the member did not answer. */
  readonly hash: string | null;
  /** The compacted revision the hash starts from: hashes only compare at equal compaction. */
  readonly compactRevision: number | null;
  readonly error: string | null;
}

export interface ConsistencyData {
  /** The revision every member hashed up to. */
  readonly revision: number;
  readonly members: readonly MemberHash[];
}

/** Pure: the verdict on the hashes every member gave for one revision. */
export function judgeConsistency(revision: number, members: readonly MemberHash[]): CheckReport<ConsistencyData> {
  const data = { revision, members };
  const findings: Finding[] = members
    .filter((m) => m.hash === null)
    .map((m) => ({ severity: Severity.CRITICAL, member: m.member, message: `member ${m.member} did not give its hash: ${m.error ?? 'no answer'}` }));
  const answered = members.filter((m) => m.hash !== null);
  if (answered.length === 0) return checkReport('no member gave its hash', findings, data);

  const compactions = new Set(answered.map((m) => m.compactRevision));
  if (compactions.size > 1) {
    findings.push({
      severity: Severity.WARNING,
      message: `members hashed from different compacted revisions (${answered.map((m) => `${m.member} ${m.compactRevision}`).join(', ')}): run the check again once compaction settles`,
    });
    return checkReport(`inconclusive at revision ${revision}`, findings, data);
  }

  const groups = new Map<string, MemberHash[]>();
  for (const m of answered) groups.set(m.hash!, [...(groups.get(m.hash!) ?? []), m]);
  if (groups.size === 1) {
    return checkReport(`${answered.length} of ${members.length} members agree on hash ${answered[0]!.hash} at revision ${revision}`, findings, data);
  }
  const ranked = [...groups.entries()].sort((a, b) => b[1].length - a[1].length);
  const majority = ranked[0]![1].length > answered.length / 2 ? ranked[0] : undefined;
  if (majority) {
    for (const [hash, group] of ranked.slice(1)) {
      for (const m of group) {
        findings.push({
          severity: Severity.CRITICAL,
          member: m.member,
          message: `member ${m.member} differs: hash ${hash} where ${majority[1].map((x) => x.member).join(', ')} have ${majority[0]} at revision ${revision}`,
        });
      }
    }
    const odd = ranked.slice(1).flatMap(([, group]) => group.map((m) => m.member));
    return checkReport(`member${odd.length > 1 ? 's' : ''} ${odd.join(', ')} differ${odd.length > 1 ? '' : 's'} from the majority at revision ${revision}`, findings, data);
  }
  findings.push({
    severity: Severity.CRITICAL,
    message: `no majority hash at revision ${revision}: ${ranked.map(([hash, group]) => `${group.map((m) => m.member).join(', ')} ${hash}`).join('; ')}`,
  });
  return checkReport(`members disagree at revision ${revision}, no majority`, findings, data);
}

/** A member that has not applied the revision yet answers "future revision": it catches up within moments. */
const FUTURE_REVISION = /future revision/i;
const RETRIES = 10;
const RETRY_DELAY_MS = 100;

/** The part of etcd3's connection pool used for a raw gRPC call. */
interface RawCalls {
  readonly pool: { exec(service: 'Maintenance', method: string, payload: IHashKVRequest): Promise<IHashKVResponse> };
}

/**
 * etcd3 1.1.2 declares `maintenance.hashKV` but calls the gRPC method `hashKV`, which the generated client
 * names `hashKv` (or `HashKV`): it fails with "client[method] is not a function". So the call goes to the
 * connection pool directly, by the method's name in the proto file.
 */
function hashKv(client: Etcd3, revision: number): Promise<IHashKVResponse> {
  return (client as unknown as RawCalls).pool.exec('Maintenance', 'HashKV', { revision });
}

async function hashAt(client: Etcd3, revision: number): Promise<{ hash: string; compactRevision: number }> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const answer = await hashKv(client, revision);
      return { hash: answer.hash, compactRevision: Number(answer.compact_revision) };
    } catch (error) {
      if (attempt >= RETRIES || !FUTURE_REVISION.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    }
  }
}

/** The current revision, through a linearizable read, so a quorum has it committed. */
export async function currentRevision(access: ClusterAccess): Promise<number> {
  // The key need not exist: only the response header's revision is wanted.
  return withAnyEndpoint(access, async (client) => Number((await client.get('\0').exec()).header.revision));
}

/** Asks each member (inventory name → endpoint) for its HashKV at `revision`. */
export async function collectHashes(access: ClusterAccess, members: readonly { name: string; endpoint: string }[], revision: number): Promise<MemberHash[]> {
  return Promise.all(
    members.map(async ({ name, endpoint }) => {
      try {
        const answer = await withEndpointClient(access, endpoint, (client) => hashAt(client, revision));
        return { member: name, endpoint, hash: String(answer.hash), compactRevision: answer.compactRevision, error: null };
      } catch (error) {
        return { member: name, endpoint, hash: null, compactRevision: null, error: (error as Error).message };
      }
    }),
  );
}
