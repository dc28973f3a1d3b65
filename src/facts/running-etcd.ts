// The running etcd of a host etcdops did not build, in one round trip: the unit's main PID and unit file,
// the process's argv and environment exactly as systemd expanded them (/proc/PID/cmdline, environ, NUL-
// separated, sent base64), and the config file they name, if any. Only reads.
import type { ExecResult } from '../connection/connection.js';
import { sh } from '../connection/shell-quote.js';
import type { RunningEtcd } from '../etcd/adopted-config.js';
import { defineFact } from './fact.js';
import { readSections, section, systemdProperties } from './output-sections.js';

export interface RunningEtcdArgs {
  /** systemd unit, e.g. etcd.service. */
  readonly unit: string;
}

export interface RunningEtcdFact {
  readonly unit: string;
  /** The unit file, or '' when systemd has none. */
  readonly unitFile: string;
  /** 0 when the unit runs no process. */
  readonly mainPid: number;
  /** How often systemd restarted it, and since when it runs (to show adoption restarted nothing). */
  readonly restarts: number;
  readonly activeSince: string;
  readonly process?: RunningEtcd;
}

export const runningEtcd = defineFact<RunningEtcdArgs, RunningEtcdFact>({
  name: 'running_etcd',
  needsBecome: true,
  command(args) {
    return sh`u=${args.unit}
${section('show')}
systemctl show -p MainPID,FragmentPath,NRestarts,ActiveEnterTimestamp -- "$u" 2>/dev/null
pid=$(systemctl show -p MainPID --value -- "$u" 2>/dev/null)
if [ "\${pid:-0}" -gt 0 ]; then
  ${section('cmdline')}; base64 -w0 "/proc/$pid/cmdline"; echo
  ${section('environ')}; base64 -w0 "/proc/$pid/environ"; echo
  cfg=$(tr '\\000' '\\n' <"/proc/$pid/cmdline" | sed -n -e 's/^--*config-file=//p' -e '/^--*config-file$/{n;p;}' | head -n 1)
  [ -n "$cfg" ] || cfg=$(tr '\\000' '\\n' <"/proc/$pid/environ" | sed -n 's/^ETCD_CONFIG_FILE=//p' | head -n 1)
  if [ -n "$cfg" ] && [ -r "$cfg" ]; then ${section('config')}; base64 -w0 -- "$cfg"; echo; fi
fi
${section('end')}`.text;
  },
  parse: (result, args) => parseRunningEtcd(result, args.unit),
});

const nulList = (base64: string): string[] => Buffer.from(base64.trim(), 'base64').toString('utf8').split('\u0000').filter((s) => s !== '');

export function parseRunningEtcd(result: ExecResult, unit: string): RunningEtcdFact {
  const sections = readSections(result, 'reading the running etcd');
  const show = systemdProperties(sections.get('show') ?? '');
  const mainPid = Number(show.get('MainPID') ?? '0');
  const base = { unit, unitFile: show.get('FragmentPath') ?? '', mainPid, restarts: Number(show.get('NRestarts') ?? '0'), activeSince: show.get('ActiveEnterTimestamp') ?? '' };
  if (mainPid <= 0 || !sections.has('cmdline')) return base;
  const environment = Object.fromEntries(nulList(sections.get('environ') ?? '').filter((e) => e.includes('=')).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
  const config = sections.get('config');
  return {
    ...base,
    process: {
      argv: nulList(sections.get('cmdline') ?? ''),
      environment,
      ...(config !== undefined ? { configFile: Buffer.from(config.trim(), 'base64').toString('utf8') } : {}),
    },
  };
}
