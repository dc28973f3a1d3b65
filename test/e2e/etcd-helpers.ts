// What the etcd e2e suites check on a lab cluster as a user would: the cluster's health through the
// admin certificate etcdops keeps beside the inventory, etcd's PID and files on each member.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { dirname, join } from 'node:path';
import { checkClusterHealth, type ClusterHealth } from '../../src/etcd/cluster-health.js';
import type { ClusterAccess } from '../../src/etcd/cluster-access.js';
import type { LabInfo } from '../../src/lab/lab.js';
import { sshRun } from './lab-fixture.js';

const PKI_FILES = ['ca.crt', 'admin.crt', 'admin.key'] as const;

/** The admin's access to the cluster of `inventory` (its PKI folder is `.etcdops/pki` beside it). */
export async function adminAccess(inventory: string, addresses: readonly string[]): Promise<ClusterAccess> {
  const dir = join(dirname(inventory), '.etcdops', 'pki');
  const [ca, cert, key] = await Promise.all(PKI_FILES.map((f) => readFile(join(dir, f), 'utf8')));
  return { endpoints: addresses.map((a) => `https://${a}:2379`), ca: ca!, cert: cert!, key: key!, timeoutMs: 3000 };
}

export async function health(lab: LabInfo, inventory = lab.inventory): Promise<ClusterHealth> {
  return checkClusterHealth(await adminAccess(inventory, lab.hosts.filter((h) => h.state === 'running').map((h) => h.address)));
}

/**
 * The etcd main PID on a member (0 when systemd says it is not running). A failed ssh or an answer that
 * is not a number throws: taken for a PID, two failures would compare equal and pass a "not restarted" check.
 */
/** The voting members' names, sorted. */
export const voters = (cluster: ClusterHealth): string[] => cluster.members.filter((m) => !m.isLearner).map((m) => m.name).sort();

/** The leader's name; throws when no member leads, so that a check cannot mistake "none" for a name. */
export function leaderName(cluster: ClusterHealth): string {
  const leader = cluster.members.find((m) => m.isLeader);
  if (!leader) throw new Error(`the cluster has no leader: ${cluster.problems.join('; ')}`);
  return leader.name;
}

/** The learners' names, sorted. */
export const learners = (cluster: ClusterHealth): string[] => cluster.members.filter((m) => m.isLearner).map((m) => m.name).sort();

export async function etcdPid(lab: LabInfo, host: string): Promise<number> {
  const out = await sshRun(lab, host, 'systemctl show -p MainPID --value etcd');
  const text = out.stdout.trim();
  if (out.code !== 0 || !/^\d+$/.test(text)) throw new Error(`cannot read etcd's PID on ${host} (exit ${out.code}): ${text} ${out.stderr.trim()}`);
  return Number(text);
}

/** sha256 of each TLS file on a member, by file name. */
export async function pkiDigests(lab: LabInfo, host: string): Promise<Record<string, string>> {
  const out = await sshRun(lab, host, 'cd /etc/etcd/pki && sha256sum *.crt *.key');
  return Object.fromEntries(out.stdout.trim().split('\n').map((line) => line.split(/\s+/).reverse() as [string, string]));
}

/** Every task's display name in plain output, in order, with the batch lines between them. */
export function plainSteps(stdout: string): string[] {
  return stdout.split('\n').filter((line) => /^(TASK \[|BATCH |changed: |ok: |fatal: )/.test(line));
}

export interface EtcdctlWorkload {
  readonly succeeded: number;
  /** One line per failed write (its key and etcdctl's error), but for those `dropped` sets aside. */
  readonly failed: string[];
  /** Elections while the workload ran: each one raises the cluster's raft term by one. */
  readonly elections: number;
  /**
   * Writes etcd refused as `raft proposal dropped`, at most one per election. Raft drops a proposal that
   * reaches a member while leadership moves (a leader handing over, a candidate, a follower that has not
   * heard from the new leader yet), and etcd answers with this error, which the Go client does not retry.
   * The write never entered the log. On the lab the window lasts about 3 ms per election (measured from
   * the members' journals), so a writer one put every 50 ms or slower meets it at most once per election.
   */
  readonly dropped: string[];
  /** The longest time between the start of the run (or the last acknowledged write) and the next one. */
  readonly longestGapMs: number;
}

/** The cluster's raft term, the highest any member reports. */
const raftTerm = (cluster: ClusterHealth): number => Math.max(0, ...cluster.members.map((m) => m.raftTerm ?? 0));

/** Sets aside up to one `raft proposal dropped` per election (see EtcdctlWorkload.dropped); the rest stay failures. */
function setAsideDropped(failed: readonly string[], elections: number): { failed: string[]; dropped: string[] } {
  const dropped = failed.filter((f) => /raft proposal dropped/.test(f)).slice(0, Math.max(0, elections));
  return { failed: failed.filter((f) => !dropped.includes(f)), dropped };
}

function etcdctlPut(argv: readonly string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('etcdctl', argv, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ETCDCTL_API: '3' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', (error) => resolve({ code: -1, stderr: error.message }));
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

/**
 * Availability as a user's Go client sees it: etcdctl (clientv3, every endpoint, its own failover) writes a
 * key, one write after another, until `stop()`. A stalled cluster shows as a long gap, a refused write as a
 * failure, but for etcd's own refusals during elections (`dropped`).
 */
export function startEtcdctlWorkload(
  lab: LabInfo,
  inventory = lab.inventory,
  addresses = lab.hosts.map((h) => h.address),
): { stop: () => Promise<EtcdctlWorkload> } {
  let running = true;
  const result = { succeeded: 0, failed: [] as string[], longestGapMs: 0 };
  const term = async () => raftTerm(await checkClusterHealth(await adminAccess(inventory, addresses)));
  const termAtStart = term();
  const done = (async () => {
    await termAtStart;
    const dir = join(dirname(inventory), '.etcdops', 'pki');
    const [ca, cert, key] = PKI_FILES.map((f) => join(dir, f));
    const endpoints = addresses.map((a) => `https://${a}:2379`).join(',');
    const base = [`--endpoints=${endpoints}`, `--cacert=${ca}`, `--cert=${cert}`, `--key=${key}`, '--dial-timeout=2s', '--command-timeout=10s'];
    let last = Date.now();
    for (let seq = 0; running; seq++) {
      const key = `availability/${String(seq).padStart(6, '0')}`;
      const put = await etcdctlPut([...base, 'put', key, String(Date.now())]);
      const now = Date.now();
      result.longestGapMs = Math.max(result.longestGapMs, now - last);
      if (put.code === 0) {
        result.succeeded++;
        last = now;
      } else result.failed.push(`${key}: ${put.stderr.trim()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await done;
      const elections = (await term()) - (await termAtStart);
      return { ...result, ...setAsideDropped(result.failed, elections), elections };
    },
  };
}

/** What the workload saw during `operation`, for the test's log. */
export function workloadSummary(operation: string, seen: EtcdctlWorkload): string {
  return `      etcdctl during ${operation}: ${seen.succeeded} writes, ${seen.failed.length} failed, ${seen.dropped.length} dropped in ${seen.elections} election(s), longest wait ${seen.longestGapMs} ms\n`;
}

/** GET /health on a member's TLS port, with or without a client certificate; the error says why it failed. */
export function tlsProbe(address: string, port: number, tls: { ca: string; cert?: string; key?: string }): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    const req = request({ host: address, port, path: '/health', method: 'GET', ...tls, servername: '', timeout: 5000 }, (res) => {
      res.resume();
      resolve({ status: res.statusCode });
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: `${error.code ?? ''} ${error.message}` }));
    req.end();
  });
}
