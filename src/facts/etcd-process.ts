// What the running etcd was started from, read on the host in one round trip: the unit's state and the
// main process's start time (systemd's own record, in microseconds where systemd can print them), the
// binary the process runs against the one the link names, the configuration copy the unit takes at start
// against the configuration file, and the change times of the unit files and the TLS files. A restart
// that an interrupted run still owes is judged from this (src/etcd/restart-pending.ts), so it survives
// the process that made the change.
import type { ExecResult } from '../connection/connection.js';
import { ShellCode, sh } from '../connection/shell-quote.js';
import { defineFact } from './fact.js';
import { readSections, section, systemdProperties } from './output-sections.js';

export interface EtcdProcessArgs {
  /** systemd unit, e.g. etcd.service. */
  readonly unit: string;
  /** The configuration file etcdops writes (absent: not read, for a service that keeps no copy). */
  readonly config?: string;
  /** The copy of it the unit takes when the process starts (what the process read). */
  readonly runningConfig?: string;
  /** The link the unit starts etcd through (absent: not read). */
  readonly binary?: string;
  /** Files the process reads only at start (certificates, keys): a change after the start is owed a restart. */
  readonly watched: readonly string[];
}

/** A file's change time (ctime: set by the kernel on every write, rename or chmod, never by `touch -d`). */
export interface ChangedFile {
  readonly path: string;
  /** Seconds since the epoch, with nanoseconds. */
  readonly ctime: number;
}

export interface EtcdProcess {
  readonly activeState: string;
  readonly mainPid: number;
  /** When systemd started the main process (seconds since the epoch), or null when it never did. */
  readonly startedAt: number | null;
  /** True when systemd printed the start to the second only (systemd before 248): same-second changes count as later. */
  readonly startedAtCoarse: boolean;
  /** The same start on the monotonic clock (seconds), to notice a wall-clock step since. */
  readonly startedMonotonic: number | null;
  /** The host's wall clock and uptime when read (seconds). */
  readonly now: number;
  readonly uptime: number;
  readonly needDaemonReload: boolean;
  /** What /proc/PID/exe names ("... (deleted)" when that file was replaced), or null when not running. */
  readonly exe: string | null;
  /** Where the binary link resolves to now, or null when it does not exist. */
  readonly linkTarget: string | null;
  readonly config: string | null;
  readonly runningConfig: string | null;
  /** The unit file and its drop-ins. */
  readonly unitFiles: readonly ChangedFile[];
  readonly watched: readonly ChangedFile[];
}

export const etcdProcess = defineFact<EtcdProcessArgs, EtcdProcess>({
  name: 'etcd_process',
  needsBecome: true,
  command(args) {
    const props = new ShellCode('-p ActiveState,MainPID,NeedDaemonReload,ExecMainStartTimestamp,ExecMainStartTimestampMonotonic,FragmentPath,DropInPaths');
    return sh`u=${args.unit}
${section('show')}
TZ=UTC systemctl show --timestamp=us+utc ${props} -- "$u" 2>/dev/null || TZ=UTC systemctl show ${props} -- "$u"
${section('clock')}
date +%s.%N; cut -d' ' -f1 /proc/uptime
pid=$(systemctl show -p MainPID --value -- "$u")
${section('exe')}
if [ "\${pid:-0}" -gt 0 ]; then readlink -- "/proc/$pid/exe" || true; fi
${section('link')}
${args.binary === undefined ? new ShellCode(':') : sh`readlink -e -- ${args.binary} || true`}
${section('files')}
for f in $(systemctl show -p FragmentPath,DropInPaths --value -- "$u"); do [ -e "$f" ] && stat -c 'unit %.9Z %n' -- "$f"; done
for f in ${args.watched}; do [ -e "$f" ] && stat -c 'watched %.9Z %n' -- "$f"; done
${section('config')}
${args.config === undefined || args.runningConfig === undefined ? section('running-config-absent') : sh`cat -- ${args.config} 2>/dev/null && echo
if [ -e ${args.runningConfig} ]; then ${section('running-config')}; cat -- ${args.runningConfig}; echo; else ${section('running-config-absent')}; fi`}
${section('end')}
true`.text;
  },
  parse: (result) => parseEtcdProcess(result),
});

/** `Mon 2026-11-30 00:16:53.173204 UTC` (or without the microseconds) as seconds since the epoch. */
export function parseSystemdTimestamp(text: string): { at: number; coarse: boolean } | null {
  const m = /(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)? UTC$/.exec(text.trim());
  if (!m) return null;
  const seconds = Date.parse(`${m[1]}T${m[2]}Z`) / 1000;
  return { at: seconds + (m[3] ? Number(`0${m[3]}`) : 0), coarse: m[3] === undefined };
}

export function parseEtcdProcess(result: ExecResult): EtcdProcess {
  const sections = readSections(result, 'reading the etcd process');
  const show = systemdProperties(sections.get('show') ?? '');
  const [now = '0', uptime = '0'] = (sections.get('clock') ?? '').trim().split('\n');
  const started = parseSystemdTimestamp(show.get('ExecMainStartTimestamp') ?? '');
  const monotonic = Number(show.get('ExecMainStartTimestampMonotonic') ?? '0');
  const line = (name: string) => (sections.get(name) ?? '').trim() || null;
  const files = (sections.get('files') ?? '').split('\n').flatMap((l) => {
    const m = /^(unit|watched) (\d+(?:\.\d+)?) (.+)$/.exec(l);
    return m ? [{ kind: m[1], path: m[3]!, ctime: Number(m[2]) }] : [];
  });
  return {
    activeState: show.get('ActiveState') ?? '',
    mainPid: Number(show.get('MainPID') ?? '0'),
    startedAt: started?.at ?? null,
    startedAtCoarse: started?.coarse ?? false,
    startedMonotonic: monotonic > 0 ? monotonic / 1e6 : null,
    now: Number(now),
    uptime: Number(uptime),
    needDaemonReload: show.get('NeedDaemonReload') === 'yes',
    exe: line('exe'),
    linkTarget: line('link'),
    config: sections.get('config') || null,
    runningConfig: sections.has('running-config-absent') ? null : (sections.get('running-config') ?? null),
    unitFiles: files.filter((f) => f.kind === 'unit').map(({ path, ctime }) => ({ path, ctime })),
    watched: files.filter((f) => f.kind === 'watched').map(({ path, ctime }) => ({ path, ctime })),
  };
}
