// What running services have loaded of their configuration files, read on the host in one round trip: each
// unit's state and when its main process started (systemd's record), the change times of the files, and
// the service's own record of its last reload from its metrics page (Prometheus' and Alertmanager's
// `*_config_last_reload_successful` and `*_config_last_reload_success_timestamp_seconds`). Only the two
// lines of the page that matter cross the wire. Judged in src/modules/config-loaded.ts.
import type { ExecResult } from '../connection/connection.js';
import { ShellCode, joinCode, sh } from '../connection/shell-quote.js';
import { type ChangedFile, parseSystemdTimestamp } from './etcd-process.js';
import { defineFact } from './fact.js';
import { SECTION_MARK, readSections, section, systemdProperties } from './output-sections.js';

/** One service to read. */
export interface ReloadedService {
  /** systemd unit, e.g. prometheus.service. */
  readonly unit: string;
  /** The configuration files the service reads on a reload. */
  readonly files: readonly string[];
  /** The service's metrics page, fetched on the host. */
  readonly metricsUrl: string;
  /** The metrics' common prefix, e.g. prometheus_config_last_reload. */
  readonly metric: string;
}

/** The services of one host, read together: one round trip however many there are. */
export interface ConfigLoadStateArgs {
  readonly services: readonly ReloadedService[];
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
  /** Why the metrics page could not be read (curl's message), when it could not. */
  readonly unreadable: string;
}

export const configLoadState = defineFact<ConfigLoadStateArgs, ConfigLoadState[]>({
  name: 'config_load_state',
  command: ({ services }) => joinCode([...services.map(serviceCommand), section('end')]).text,
  parse: (result, { services }) => parseConfigLoadState(result, services),
});

/** The sections of service `i`: its unit, its files, and the two lines of its metrics page (or why there are none). */
function serviceCommand(service: ReloadedService, i: number): ShellCode {
  const props = new ShellCode('-p ActiveState,ExecMainStartTimestamp');
  // curl's and wget's messages join the page (2>&1), so the filter keeps them beside the two lines.
  const lines = `^(${SECTION_MARK}|${service.metric}_(successful|success_timestamp_seconds)( |$)|curl: |wget: |neither curl)`;
  return sh`u=${service.unit}
${section(`show ${i}`)}
TZ=UTC systemctl show --timestamp=us+utc ${props} -- "$u" 2>/dev/null || TZ=UTC systemctl show ${props} -- "$u"
${section(`files ${i}`)}
for f in ${service.files}; do [ -e "$f" ] && stat -c '%.9Z %n' -- "$f"; done
${section(`metrics ${i}`)}
{ if command -v curl >/dev/null 2>&1; then curl -fsS --max-time 5 -- ${service.metricsUrl}
elif command -v wget >/dev/null 2>&1; then wget -q -T 5 -O - -- ${service.metricsUrl}
else echo 'neither curl nor wget is installed'; false; fi || ${section(`unreadable ${i}`)}; } 2>&1 | grep -E -e ${lines}`;
}

export function parseConfigLoadState(result: ExecResult, services: readonly ReloadedService[]): ConfigLoadState[] {
  const sections = readSections(result, 'reading what the services loaded');
  return services.map(({ metric }, i) => {
    const show = systemdProperties(sections.get(`show ${i}`) ?? '');
    const started = parseSystemdTimestamp(show.get('ExecMainStartTimestamp') ?? '');
    const files = (sections.get(`files ${i}`) ?? '').split('\n').flatMap((l) => {
      const m = /^(\d+(?:\.\d+)?) (.+)$/.exec(l);
      return m ? [{ path: m[2]!, ctime: Number(m[1]) }] : [];
    });
    const page = (sections.get(`metrics ${i}`) ?? '').split('\n');
    const value = (name: string): number | null => {
      const line = page.find((l) => l.startsWith(`${name} `));
      const number = Number(line?.slice(name.length + 1));
      return line !== undefined && Number.isFinite(number) ? number : null;
    };
    const successful = value(`${metric}_successful`);
    const unreadable = sections.has(`unreadable ${i}`);
    return {
      activeState: show.get('ActiveState') ?? '',
      startedAt: started?.at ?? null,
      startedAtCoarse: started?.coarse ?? false,
      files,
      reload: unreadable ? null : { successful: successful === null ? null : successful === 1, successAt: value(`${metric}_success_timestamp_seconds`) },
      unreadable: unreadable ? page.filter((l) => l.trim() !== '' && !l.startsWith(metric)).join(' ') : '',
    };
  });
}
