// Runs a drill against an inventory's cluster: starts the client load and the leader watch, injects each
// fault at its time through playbooks/fault.yml (so its safety checks and the host's own rollback apply),
// waits out the faults, then looks for every acknowledged write and compares the members' HashKV, and
// judges it all (drill-verdict.ts). The load's keys live under a prefix of their own, removed at the end.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { childEnvironment } from '../os/exit-with-parent.js';
import { checkClusterHealth } from '../etcd/cluster-health.js';
import { withAnyEndpoint, type ClusterAccess } from '../etcd/cluster-access.js';
import { collectHashes, currentRevision, judgeConsistency } from '../inspect/consistency.js';
import { Severity } from '../inspect/severity.js';
import { startClientLoad } from './client-load.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, expandFaults, type DrillFault, type DrillSpec } from './drill-spec.js';
import { UserError } from '../errors/user-error.js';
import { judgeDrill, type DrillVerdict, type EndState, type FaultRecord } from './drill-verdict.js';
import { watchLeader } from './leader-watch.js';

const FAULT_PLAYBOOK = fileURLToPath(new URL('../../playbooks/fault.yml', import.meta.url));
/** How long the cluster may take to be healthy again after the load before the end checks run anyway. */
const SETTLE_MS = 60_000;

export const DRILL_REPORT_FORMAT = 'etcdops-drill-report';

export interface DrillReport extends DrillVerdict {
  readonly format: typeof DRILL_REPORT_FORMAT;
  readonly version: 1;
  readonly drill: string;
  readonly description?: string;
  readonly startedAt: string;
  readonly members: readonly string[];
  readonly load: DrillSpec['load'];
  readonly faults: readonly FaultRecord[];
}

export interface DrillTarget {
  readonly inventory: string;
  readonly access: ClusterAccess;
  /** Member names, in the order of `access.endpoints`. */
  readonly members: readonly string[];
  readonly log: (line: string) => void;
}

interface PlayOutcome {
  readonly code: number;
  readonly output: string;
}

/** fault.yml through this same etcdops (the script this process runs); it ends if this process dies. */
function runFaultPlay(inventory: string, args: readonly string[]): Promise<PlayOutcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [process.argv[1]!, 'play', FAULT_PLAYBOOK, '-i', inventory, '--output', 'plain', ...args.flatMap((a) => ['-e', a])], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnvironment() });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.on('error', (error) => resolve({ code: -1, output: error.message }));
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

/** The reason fault.yml gave for failing: its last `fatal:` or `ERROR` line. */
export function playFailure(output: string): string {
  const lines = output.split('\n').filter((l) => /^(fatal: |ERROR|.*FAILED!)/.test(l));
  const last = lines[lines.length - 1] ?? output.trim().split('\n').pop() ?? 'fault.yml failed';
  return last.replace(/^fatal: \[[^\]]*\]: FAILED! => /, '').trim();
}

function resolveTarget(asked: string, members: readonly string[], leader: string | null): string | undefined {
  if (asked === 'leader') return leader ?? undefined;
  if (asked === 'follower') return members.find((m) => m !== leader);
  return members.includes(asked) ? asked : undefined;
}

async function injectAt(fault: DrillFault, target: DrillTarget, started: number, leader: () => string | null): Promise<FaultRecord> {
  const wait = started + fault.at * 1000 - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const name = resolveTarget(fault.target, target.members, leader());
  const now = () => Date.now() - started;
  if (name === undefined) {
    return { fault: fault.fault, target: fault.target, asked: fault.target, requestedAt: now(), injectedAt: now(), endsAt: now(), error: `no member is the ${fault.target} (members: ${target.members.join(' ')})` };
  }
  target.log(`+${(now() / 1000).toFixed(1)} s  injecting ${fault.fault} on ${name} for ${fault.duration} s`);
  const requestedAt = now();
  const settings = Object.entries(fault.settings ?? {}).map(([k, v]) => `${k}=${String(v)}`);
  const play = await runFaultPlay(target.inventory, [`fault=${fault.fault}`, `target=${name}`, `duration=${fault.duration}`, ...settings]);
  const injectedAt = now();
  const record = { fault: fault.fault, target: name, asked: fault.target, requestedAt, injectedAt };
  if (play.code !== 0) return { ...record, endsAt: injectedAt, error: playFailure(play.output) };
  return { ...record, endsAt: injectedAt + fault.duration * 1000 };
}

async function waitHealthy(access: ClusterAccess, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const health = await checkClusterHealth({ ...access, timeoutMs: 2000 }).catch(() => null);
    if (health && health.problems.length === 0) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function endState(access: ClusterAccess, members: readonly string[], prefix: string, acked: ReadonlyMap<string, string>): Promise<EndState> {
  try {
    const stored = await withAnyEndpoint(access, (c) => c.getAll().prefix(prefix).strings());
    const lostWrites = [...acked].filter(([key, value]) => stored[key] !== value).map(([key]) => key);
    const revision = await currentRevision(access);
    const hashes = await collectHashes(access, members.map((name, i) => ({ name, endpoint: access.endpoints[i]! })), revision);
    const judged = judgeConsistency(revision, hashes);
    const equal = judged.severity === Severity.OK && hashes.every((h) => h.hash !== null);
    const detail = equal ? judged.summary : [judged.summary, ...judged.findings.map((f) => f.message)].join('; ');
    await withAnyEndpoint(access, (c) => c.delete().prefix(prefix).then(() => undefined)).catch(() => undefined);
    return { ackedWrites: acked.size, lostWrites, consistency: { revision, equal, detail } };
  } catch (error) {
    return { ackedWrites: acked.size, lostWrites: [], consistency: null, endError: `the end checks could not read the cluster: ${(error as Error).message}` };
  }
}

export async function runDrill(spec: DrillSpec, target: DrillTarget): Promise<DrillReport> {
  const prefix = `/etcdops-drill/${spec.name}/${randomBytes(4).toString('hex')}/`;
  const startedAt = new Date();
  const started = Date.now();
  const watch = await watchLeader(target.access, target.members, started);
  let planned: DrillFault[];
  try {
    planned = expandFaults(spec, target.members, watch.current());
  } catch (error) {
    await watch.stop();
    throw new UserError(`drill ${spec.name}: ${(error as Error).message}`);
  }
  const load = await startClientLoad(target.access, prefix, spec.load.rate, spec.load.timeout_ms ?? DEFAULT_REQUEST_TIMEOUT_MS, started);
  target.log(`drill ${spec.name}: ${spec.load.duration} s of load at ${spec.load.rate} requests/s on ${target.members.join(' ')}`);
  const faults = Promise.all(planned.map((f) => injectAt(f, target, started, () => watch.current())));
  const loadEnd = started + spec.load.duration * 1000;
  await new Promise((r) => setTimeout(r, Math.max(0, loadEnd - Date.now())));
  const records = await faults;
  // A fault injected late (fault.yml took a while) may outlast the load: the load goes on until it is over.
  const lastEnd = started + Math.max(0, ...records.map((f) => f.endsAt)) + 1000;
  if (lastEnd > Date.now()) await new Promise((r) => setTimeout(r, lastEnd - Date.now()));
  const loadMs = Date.now() - started;
  await load.stop();
  await watch.stop();
  target.log(`+${(loadMs / 1000).toFixed(1)} s  load ended; checking every acknowledged write and the members' HashKV`);
  await waitHealthy(target.access, Date.now() + SETTLE_MS);
  const end = await endState(target.access, target.members, prefix, load.acked);
  const verdict = judgeDrill(spec.checks, loadMs, load.samples, watch.samples, records, end);
  return {
    format: DRILL_REPORT_FORMAT,
    version: 1,
    drill: spec.name,
    ...(spec.description ? { description: spec.description } : {}),
    startedAt: startedAt.toISOString(),
    members: target.members,
    load: spec.load,
    faults: records,
    ...verdict,
  };
}
