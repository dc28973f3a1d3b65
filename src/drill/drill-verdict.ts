// Pure: the figures of a drill from what was recorded (each request, each leader seen, each fault), the
// checks judged against them, and the timeline. Nothing here reads a clock or a cluster, so every figure
// is table-tested.
import type { DrillChecks } from './drill-spec.js';

/** One request of the load: when it started (ms since the load started), how long it took, how it ended. */
export interface RequestSample {
  readonly at: number;
  readonly ms: number;
  readonly ok: boolean;
  readonly op: 'put' | 'get';
  readonly error?: string;
}

/** A leader seen by the watcher (name, or null when no member reported one), from `at` on. */
export interface LeaderSample {
  readonly at: number;
  readonly leader: string | null;
  readonly term: number;
}

/** A fault of the drill as it happened. */
export interface FaultRecord {
  readonly fault: string;
  readonly target: string;
  /** The target as the drill named it (leader, follower or a name). */
  readonly asked: string;
  /** When fault.yml was started, ms since the load started (the fault begins between this and injectedAt). */
  readonly requestedAt: number;
  /** When fault.yml returned, ms since the load started. */
  readonly injectedAt: number;
  /** When the host's own timer clears it. */
  readonly endsAt: number;
  /** Set when fault.yml refused or failed: the fault did not happen. */
  readonly error?: string;
}

export interface EndState {
  readonly ackedWrites: number;
  readonly lostWrites: readonly string[];
  readonly consistency: { readonly revision: number; readonly equal: boolean; readonly detail: string } | null;
  readonly endError?: string;
}

export interface CheckResult {
  readonly name: keyof DrillChecks | 'faults';
  readonly ok: boolean;
  readonly expected: string;
  readonly actual: string;
}

export interface DrillFigures {
  readonly requests: number;
  readonly ok: number;
  readonly availabilityPercent: number;
  readonly p99Ms: number | null;
  readonly leaderChanges: number;
  /** The longest time without a successful request, and where it was. */
  readonly unavailable: { readonly ms: number; readonly from: number; readonly to: number };
  /** ms from the end of the last fault until requests succeeded again (0 when none failed after it). */
  readonly recoveryMs: number;
  readonly ackedWrites: number;
  readonly lostWrites: number;
  readonly consistent: boolean | null;
}

export interface TimelineEntry {
  readonly at: number;
  readonly what: string;
}

export interface DrillVerdict {
  readonly figures: DrillFigures;
  readonly checks: readonly CheckResult[];
  readonly timeline: readonly TimelineEntry[];
  readonly passed: boolean;
}

export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** The longest stretch between two successful answers (from the start, to the end of the load). */
function longestUnavailable(samples: readonly RequestSample[], loadMs: number): DrillFigures['unavailable'] {
  const answers = samples.filter((s) => s.ok).map((s) => s.at + s.ms).sort((a, b) => a - b);
  let best = { ms: 0, from: 0, to: 0 };
  let last = 0;
  for (const t of [...answers, loadMs]) {
    if (t - last > best.ms) best = { ms: t - last, from: last, to: t };
    last = Math.max(last, t);
  }
  return best;
}

/** Changes from one named leader to another (a stretch with no leader between them is not a change itself). */
function leaderChanges(leaders: readonly LeaderSample[]): { count: number; entries: TimelineEntry[] } {
  const entries: TimelineEntry[] = [];
  let count = 0;
  let shown: string | null | undefined;
  let named: string | null = null;
  for (const sample of leaders) {
    if (sample.leader === shown) continue;
    if (shown === undefined) entries.push({ at: sample.at, what: `leader ${sample.leader ?? 'none'} (term ${sample.term})` });
    else if (sample.leader === null) entries.push({ at: sample.at, what: `no leader reported (was ${shown})` });
    else {
      if (named !== null && sample.leader !== named) count++;
      entries.push({ at: sample.at, what: `leader ${named ?? 'none'} → ${sample.leader} (term ${sample.term})` });
    }
    shown = sample.leader;
    if (sample.leader !== null) named = sample.leader;
  }
  return { count, entries };
}

export function judgeDrill(
  checks: DrillChecks,
  loadMs: number,
  samples: readonly RequestSample[],
  leaders: readonly LeaderSample[],
  faults: readonly FaultRecord[],
  end: EndState,
): DrillVerdict {
  const ok = samples.filter((s) => s.ok);
  const availabilityPercent = samples.length === 0 ? 0 : (ok.length / samples.length) * 100;
  const p99Ms = percentile(ok.map((s) => s.ms), 99);
  const changes = leaderChanges(leaders);
  const unavailable = longestUnavailable(samples, loadMs);
  const faultsEnd = Math.max(0, ...faults.filter((f) => !f.error).map((f) => f.endsAt));
  // Recovered: answered by a request started after the last one that failed (a request that timed out
  // later does not hide that newer ones were already answered).
  const lastFailure = Math.max(-1, ...samples.filter((s) => !s.ok).map((s) => s.at));
  const recoveredAt = lastFailure < 0 ? faultsEnd : Math.max(faultsEnd, Math.min(loadMs, ...ok.filter((s) => s.at > lastFailure).map((s) => s.at + s.ms)));
  const figures: DrillFigures = {
    requests: samples.length,
    ok: ok.length,
    availabilityPercent,
    p99Ms,
    leaderChanges: changes.count,
    unavailable,
    recoveryMs: recoveredAt - faultsEnd,
    ackedWrites: end.ackedWrites,
    lostWrites: end.lostWrites.length,
    consistent: end.consistency?.equal ?? null,
  };

  const results: CheckResult[] = [];
  const failedFaults = faults.filter((f) => f.error);
  results.push({ name: 'faults', ok: failedFaults.length === 0, expected: 'every fault injected', actual: failedFaults.length === 0 ? `${faults.length} injected` : failedFaults.map((f) => `${f.fault} on ${f.target}: ${f.error}`).join('; ') });
  const one = (name: CheckResult['name'], holds: boolean, expected: string, actual: string) => results.push({ name, ok: holds, expected, actual });
  const fixed = (n: number, digits = 1) => n.toFixed(digits);
  if (checks.availability_percent !== undefined) one('availability_percent', availabilityPercent >= checks.availability_percent, `≥ ${checks.availability_percent} %`, `${fixed(availabilityPercent, 2)} %`);
  if (checks.p99_ms !== undefined) one('p99_ms', p99Ms !== null && p99Ms <= checks.p99_ms, `≤ ${checks.p99_ms} ms`, p99Ms === null ? 'no request answered' : `${fixed(p99Ms, 0)} ms`);
  if (checks.leader_changes !== undefined) one('leader_changes', changes.count <= checks.leader_changes, `≤ ${checks.leader_changes}`, String(changes.count));
  if (checks.recovery_s !== undefined) one('recovery_s', figures.recoveryMs <= checks.recovery_s * 1000, `≤ ${checks.recovery_s} s`, `${fixed(figures.recoveryMs / 1000)} s`);
  const lostMax = checks.lost_writes ?? 0;
  one('lost_writes', end.endError === undefined && figures.lostWrites <= lostMax, `≤ ${lostMax} of the acknowledged writes`, end.endError ?? `${figures.lostWrites} of ${end.ackedWrites}${figures.lostWrites > 0 ? ` (${end.lostWrites.slice(0, 5).join(', ')})` : ''}`);
  if (checks.consistent !== false) one('consistent', end.consistency?.equal === true, 'HashKV equal on every member', end.consistency ? end.consistency.detail : (end.endError ?? 'not measured'));

  const timeline: TimelineEntry[] = [{ at: 0, what: 'load started' }, ...changes.entries];
  for (const f of faults) {
    const on = f.asked === f.target ? f.target : `${f.target} (the ${f.asked})`;
    if (f.error) timeline.push({ at: f.injectedAt, what: `fault ${f.fault} on ${on} NOT injected: ${f.error}` });
    else {
      timeline.push(
        { at: f.requestedAt, what: `fault ${f.fault} on ${on}: fault.yml started` },
        { at: f.injectedAt, what: `fault ${f.fault} on ${f.target} in place (fault.yml done)` },
        { at: f.endsAt, what: `fault ${f.fault} on ${f.target} cleared by its host` },
      );
    }
  }
  const firstFailure = samples.filter((s) => !s.ok).sort((a, b) => a.at - b.at)[0];
  if (firstFailure) timeline.push({ at: firstFailure.at, what: `first failed request (${firstFailure.op}: ${firstFailure.error ?? 'failed'})` });
  if (unavailable.ms > 0 && firstFailure) timeline.push({ at: unavailable.from, what: `longest time without an answer begins (${fixed(unavailable.ms / 1000)} s)` }, { at: unavailable.to, what: 'requests answered again' });
  if (lastFailure >= 0) timeline.push({ at: lastFailure, what: 'last failed request started' });
  if (figures.recoveryMs > 0) timeline.push({ at: recoveredAt, what: `recovered, ${fixed(figures.recoveryMs / 1000)} s after the end of the faults` });
  timeline.push({ at: loadMs, what: 'load ended' });
  timeline.sort((a, b) => a.at - b.at);
  return { figures, checks: results, timeline, passed: results.every((r) => r.ok) };
}
