// What a running service has loaded of its configuration files, read on the host in one round trip: the
// unit's state and when its main process started (systemd's record), the change times of the files, and
// the service's own record of its last reload from its metrics page (Prometheus' and Alertmanager's
// `*_config_last_reload_successful` and `*_config_last_reload_success_timestamp_seconds`). Only the two
// lines of the page that matter cross the wire. Judged in src/modules/config-loaded.ts.
import type { ExecResult } from '../connection/connection.js';
import { ShellCode, sh } from '../connection/shell-quote.js';
import { type ChangedFile, parseSystemdTimestamp } from './etcd-process.js';
import { defineFact } from './fact.js';
import { requireSuccess } from './file-state.js';

export interface ConfigLoadStateArgs {
  /** systemd unit, e.g. prometheus.service. */
  readonly unit: string;
  /** The configuration files the service reads on a reload. */
  readonly files: readonly string[];
  /** The service's metrics page, fetched on the host. */
  readonly metricsUrl: string;
  /** The metrics' common prefix, e.g. prometheus_config_last_reload. */
  readonly metric: string;
}

/** The service's own record of its last reload, or null when its metrics page could not be read. */
export interface ReloadRecord {
  /** Whether the last reload (or the load at start) succeeded; null when the page does not say. */
  readonly successful: boolean | null;
  /** When the last successful load happened (seconds since the epoch), null when the page does not say. */
  readonly successAt: number | null;
}

export interface ConfigLoadState {
  readonly activeState: string;
  /** When systemd started the main process (seconds since the epoch), or null when it never did. */
  readonly startedAt: number | null;
  /** True when systemd printed the start to the second only: same-second changes count as later. */
  readonly startedAtCoarse: boolean;
  /** The files that exist, with their change times. */
  readonly files: readonly ChangedFile[];
  readonly reload: ReloadRecord | null;
  /** Why the metrics page could not be read (curl's or wget's last message), when it could not. */
  readonly unreadable: string;
}

const MARK = '@@etcdops-section ';

export const configLoadState = defineFact<ConfigLoadStateArgs, ConfigLoadState>({
  name: 'config_load_state',
  command(args) {
    const props = new ShellCode('-p ActiveState,ExecMainStartTimestamp');
    const section = (name: string) => new ShellCode(`echo '${MARK}${name}'`);
    const lines = `^(${MARK}|${args.metric}_(successful|success_timestamp_seconds)( |$))`;
    return sh`u=${args.unit}
${section('show')}
TZ=UTC systemctl show --timestamp=us+utc ${props} -- "$u" 2>/dev/null || TZ=UTC systemctl show ${props} -- "$u"
${section('files')}
for f in ${args.files}; do [ -e "$f" ] && stat -c '%.9Z %n' -- "$f"; done
${section('metrics')}
{ if command -v curl >/dev/null 2>&1; then curl -fsS --max-time 5 -- ${args.metricsUrl}
elif command -v wget >/dev/null 2>&1; then wget -q -T 5 -O - -- ${args.metricsUrl}
else echo 'neither curl nor wget is installed' >&2; false; fi || ${section('unreadable')}; } | grep -E -e ${lines}
${section('end')}`.text;
  },
  parse: (result, args) => parseConfigLoadState(result, args.metric),
});

export function parseConfigLoadState(result: ExecResult, metric: string): ConfigLoadState {
  requireSuccess(result, 'reading what the service loaded');
  const sections = new Map<string, string>();
  for (const part of result.stdout.split(new RegExp(`^${MARK}`, 'm')).slice(1)) {
    const nl = part.indexOf('\n');
    sections.set(part.slice(0, nl === -1 ? undefined : nl), nl === -1 ? '' : part.slice(nl + 1));
  }
  if (!sections.has('end')) throw new Error(`reading what the service loaded: unexpected output: ${result.stdout.slice(0, 200)}`);
  const show = new Map(
    (sections.get('show') ?? '')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
  );
  const started = parseSystemdTimestamp(show.get('ExecMainStartTimestamp') ?? '');
  const files = (sections.get('files') ?? '').split('\n').flatMap((l) => {
    const m = /^(\d+(?:\.\d+)?) (.+)$/.exec(l);
    return m ? [{ path: m[2]!, ctime: Number(m[1]) }] : [];
  });
  const value = (name: string): number | null => {
    const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(sections.get('metrics') ?? '');
    return m && Number.isFinite(Number(m[1])) ? Number(m[1]) : null;
  };
  const successful = value(`${metric}_successful`);
  const unreadable = sections.has('unreadable');
  return {
    activeState: show.get('ActiveState') ?? '',
    startedAt: started?.at ?? null,
    startedAtCoarse: started?.coarse ?? false,
    files,
    reload: unreadable ? null : { successful: successful === null ? null : successful === 1, successAt: value(`${metric}_success_timestamp_seconds`) },
    unreadable: unreadable ? (result.stderr.trim().split('\n').pop() ?? '') : '',
  };
}
