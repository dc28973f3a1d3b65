// Whether a running etcd member still owes a restart, judged from the host alone (no state of ours to
// lose when a run is killed): it runs another binary than its link names, its configuration differs
// from the copy it started with (keys etcd reads only to bootstrap aside), or its unit or TLS files
// changed after it started. Times are compared on the host's own clock; when that clock stepped since
// the start, the earlier reading of the start is used, so a step can cost an extra restart, never a
// missed one.
import { isDeepStrictEqual } from 'node:util';
import { parse as parseYaml } from 'yaml';
import type { EtcdProcess } from '../facts/etcd-process.js';
import { BOOTSTRAP_ONLY_KEYS } from '../modules/etcd-config.js';

/** A wall-clock step larger than this since the start means the recorded start is not on today's clock. */
const CLOCK_STEP_TOLERANCE_S = 1;

const RUNNING = ['active', 'activating', 'reloading'];

/** The start to compare change times with, on the host's current clock when it stepped since. */
export function effectiveStart(p: Pick<EtcdProcess, 'startedAt' | 'startedMonotonic' | 'now' | 'uptime'>): number | null {
  if (p.startedAt === null) return null;
  if (p.startedMonotonic === null || p.uptime <= 0) return p.startedAt;
  const fromUptime = p.now - (p.uptime - p.startedMonotonic);
  return Math.abs(fromUptime - p.startedAt) > CLOCK_STEP_TOLERANCE_S ? Math.min(p.startedAt, fromUptime) : p.startedAt;
}

function settings(text: string): Record<string, unknown> | null {
  try {
    const value = parseYaml(text) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    const copy = { ...(value as Record<string, unknown>) };
    for (const key of BOOTSTRAP_ONLY_KEYS) delete copy[key];
    return copy;
  } catch {
    return null;
  }
}

/** The top-level settings whose values differ (bootstrap-only keys ignored), or ['(unreadable)'] when either side does not parse. */
export function changedSettings(written: string, running: string): string[] {
  const a = settings(written);
  const b = settings(running);
  if (a === null || b === null) return written === running ? [] : ['(the configuration does not parse)'];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((k) => !isDeepStrictEqual(a[k], b[k]));
}

const iso = (seconds: number): string => new Date(Math.floor(seconds * 1000)).toISOString();

/** Why the running member must restart to run what its files say; empty when it runs them already or is not running. */
export function pendingRestartReasons(p: EtcdProcess): string[] {
  if (!RUNNING.includes(p.activeState) || p.mainPid <= 0) return [];
  const reasons: string[] = [];
  if (p.linkTarget !== null && p.exe !== null && p.exe !== p.linkTarget) {
    reasons.push(`it runs ${p.exe}, the link now names ${p.linkTarget}`);
  }
  if (p.runningConfig === null) {
    reasons.push('it was started without a recorded copy of its configuration (by an older unit)');
  } else if (p.config !== null) {
    const changed = changedSettings(p.config, p.runningConfig);
    if (changed.length > 0) reasons.push(`its configuration changed since it started: ${changed.join(', ')}`);
  }
  return [...reasons, ...changedSinceStart(p)];
}

/** Why a running service must restart because its unit or watched files changed after it started (any service). */
export function changedSinceStart(p: EtcdProcess): string[] {
  if (!RUNNING.includes(p.activeState) || p.mainPid <= 0) return [];
  const reasons: string[] = [];
  if (p.needDaemonReload) reasons.push('its unit file changed since systemd read it');
  const start = effectiveStart(p);
  if (start === null) {
    reasons.push('systemd does not say when it started');
    return reasons;
  }
  // A start known to the second only: a change within that second may have come after it.
  const later = (ctime: number) => (p.startedAtCoarse ? ctime >= Math.floor(start) : ctime > start);
  for (const file of [...p.unitFiles, ...p.watched]) {
    if (later(file.ctime)) reasons.push(`${file.path} changed at ${iso(file.ctime)}, after it started at ${iso(start)}`);
  }
  return reasons;
}
