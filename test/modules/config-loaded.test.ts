// Table tests of config_loaded's judgement (a file newer than the service's last successful reload owes a
// reload), its plan in check mode, and its fact: parsed from a sample, and read for real from a metrics
// page served here (curl, and the filter that keeps two lines of the page).
import { deepStrictEqual, match, strictEqual } from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalConnection } from '../../src/connection/local.js';
import { type ConfigLoadState, configLoadState, parseConfigLoadState } from '../../src/facts/config-load-state.js';
import { owedReloadReasons, planConfigLoaded } from '../../src/modules/config-loaded.js';
import { ChangeAction } from '../../src/plan/change.js';

const T = 1_800_000_000;
const CONFIG = '/etc/prometheus/etcd/etcd.yml';
const RULES = '/etc/prometheus/etcd/etcd-rules.yml';
const PROMETHEUS = { name: 'prometheus', files: [CONFIG, RULES], metrics_url: 'http://127.0.0.1:9090/metrics', metric: 'prometheus_config_last_reload' };
const ALERTMANAGER = { name: 'alertmanager', files: ['/etc/prometheus/alertmanager/alertmanager.yml'], metrics_url: 'http://127.0.0.1:9093/metrics', metric: 'alertmanager_config_last_reload' };
const ARGS = { services: [PROMETHEUS, ALERTMANAGER] };

const factArgs = {
  services: [PROMETHEUS, ALERTMANAGER].map((s) => ({ unit: `${s.name}.service`, files: s.files, metricsUrl: s.metrics_url, metric: s.metric })),
};

/** Started at T, its files written before, reloaded at T + 100 after a change at T + 50. */
const loaded: ConfigLoadState = {
  activeState: 'active',
  startedAt: T + 0.5,
  startedAtCoarse: false,
  files: [
    { path: CONFIG, ctime: T - 10 },
    { path: RULES, ctime: T + 50 },
  ],
  reload: { successful: true, successAt: T + 100 },
  unreadable: '',
};

describe('owedReloadReasons', () => {
  const rows: [name: string, change: Partial<ConfigLoadState>, expected: RegExp[]][] = [
    ['reloaded after every change', {}, []],
    ['not running: starting it loads the files', { activeState: 'inactive', reload: null }, []],
    ['failed: nothing runs to reload', { activeState: 'failed', reload: { successful: false, successAt: T } }, []],
    ['no file to load', { files: [] }, []],
    ['a file written after the last successful reload (a run failed before its reload)', { files: [{ path: RULES, ctime: T + 100.25 }] }, [/etcd-rules\.yml changed at 2027-01-15T08:01:40\.250Z, after its last successful reload at 2027-01-15T08:01:40\.000Z/]],
    ['a file written in the same instant as the reload', { files: [{ path: RULES, ctime: T + 100 }] }, [/etcd-rules\.yml changed at/]],
    ['the last reload failed', { reload: { successful: false, successAt: T + 100 } }, [/its last reload failed \(prometheus_config_last_reload_successful is 0\)/]],
    ['the page has no timestamp', { reload: { successful: true, successAt: null } }, [/shows no prometheus_config_last_reload_success_timestamp_seconds/]],
    ['the page cannot be read: reloaded rather than trusted', { reload: null, unreadable: 'curl: (7) Failed to connect' }, [/cannot be read from http:\/\/127\.0\.0\.1:9090\/metrics \(curl: \(7\) Failed to connect\)/]],
    ['started after every change: the page is not needed (it may not answer yet)', { startedAt: T + 60, reload: null }, []],
    ['a start known to the second: a change in that second may be later', { startedAt: T + 50, startedAtCoarse: true, reload: null }, [/cannot be read/]],
    ['a start known to the second, the change a second before', { startedAt: T + 51, startedAtCoarse: true, reload: null }, []],
  ];
  for (const [name, change, expected] of rows) {
    it(name, () => {
      const reasons = owedReloadReasons({ ...loaded, ...change }, PROMETHEUS);
      strictEqual(reasons.length, expected.length, reasons.join('\n'));
      expected.forEach((pattern, i) => match(reasons[i]!, pattern));
    });
  }
});

describe('planConfigLoaded', () => {
  const ctx = (targets: { host: string; target: string }[] = []) => ({ host: 'n4', unappliedChanges: targets.map((t) => ({ ...t, task: 'etcd Prometheus configuration and alert rules' })) });
  const alertmanagerLoaded: ConfigLoadState = { ...loaded, files: [{ path: ALERTMANAGER.files[0]!, ctime: T - 5 }] };
  it('plans nothing when the services run their files', () => {
    const plan = planConfigLoaded(ARGS, [loaded, alertmanagerLoaded], ctx());
    deepStrictEqual(plan.changes, []);
    match(plan.reason!, /prometheus\.service runs its current .*; alertmanager\.service runs its current/);
  });
  it('plans a reload, with its systemctl command, for the service that owes one only', () => {
    const plan = planConfigLoaded(ARGS, [{ ...loaded, reload: { successful: true, successAt: T + 40 } }, alertmanagerLoaded], ctx());
    strictEqual(plan.changes.length, 1);
    strictEqual(plan.changes[0]!.action, ChangeAction.UPDATE);
    strictEqual(plan.changes[0]!.target, 'prometheus.service');
    strictEqual(plan.changes[0]!.effect!.script, 'systemctl reload -- prometheus.service');
    match(plan.changes[0]!.reason, /^reload: .*etcd-rules\.yml changed at/);
  });
  it('plans the reload an earlier task of this run brings, in check mode, on this host only', () => {
    match(planConfigLoaded(ARGS, [loaded, alertmanagerLoaded], ctx([{ host: 'n4', target: CONFIG }])).changes[0]!.reason, /etcd\.yml is changed by "etcd Prometheus/);
    deepStrictEqual(planConfigLoaded(ARGS, [loaded, alertmanagerLoaded], ctx([{ host: 'n5', target: CONFIG }])).changes, []);
  });
  it('plans nothing for a service that does not run, even with a file changed earlier', () => {
    deepStrictEqual(planConfigLoaded(ARGS, [{ ...loaded, activeState: 'inactive' }, alertmanagerLoaded], ctx([{ host: 'n4', target: CONFIG }])).changes, []);
  });
});

describe('config_load_state', () => {
  it('parses systemd, the files and the two metric lines of each service', () => {
    const stdout = [
      '@@etcdops-section show 0',
      'ActiveState=active',
      'ExecMainStartTimestamp=Mon 2026-11-30 00:16:53.173204 UTC',
      '@@etcdops-section files 0',
      `1764461900.123456789 ${CONFIG}`,
      '@@etcdops-section metrics 0',
      'prometheus_config_last_reload_success_timestamp_seconds 1.7644619025e+09',
      'prometheus_config_last_reload_successful 1',
      '@@etcdops-section show 1',
      'ActiveState=active',
      'ExecMainStartTimestamp=Mon 2026-11-30 00:16:53 UTC',
      '@@etcdops-section files 1',
      '@@etcdops-section metrics 1',
      'curl: (7) Failed to connect to 127.0.0.1 port 9093: Connection refused',
      '@@etcdops-section unreadable 1',
      '@@etcdops-section end',
      '',
    ].join('\n');
    const start = Date.parse('2026-11-30T00:16:53Z') / 1000;
    deepStrictEqual(parseConfigLoadState({ code: 0, stdout, stderr: '' }, factArgs.services), [
      {
        activeState: 'active',
        startedAt: start + 0.173204,
        startedAtCoarse: false,
        files: [{ path: CONFIG, ctime: 1764461900.123456789 }],
        reload: { successful: true, successAt: 1764461902.5 },
        unreadable: '',
      },
      { activeState: 'active', startedAt: start, startedAtCoarse: true, files: [], reload: null, unreadable: 'curl: (7) Failed to connect to 127.0.0.1 port 9093: Connection refused' },
    ]);
  });

  describe('read on this machine from a metrics page', () => {
    let server: Server;
    let dir: string;
    let page = '';
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'config-load-state-'));
      server = createServer((_request, response) => response.writeHead(page ? 200 : 500).end(page));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    after(() => {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    });
    /** Prometheus' files on this machine and the page served here; Alertmanager's page on a port nobody serves. */
    const read = async (file: string) => {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/metrics`;
      const args = { services: [{ ...factArgs.services[0]!, files: [file, join(dir, 'absent.yml')], metricsUrl: url }, { ...factArgs.services[1]!, metricsUrl: 'http://127.0.0.1:1/metrics' }] };
      return configLoadState.parse(await new LocalConnection().exec(configLoadState.command(args), { become: false }), args);
    };

    it('keeps the two lines of the page, and the files that exist with their change times', async () => {
      const file = join(dir, "it's etcd.yml");
      writeFileSync(file, 'x');
      page = [
        '# HELP prometheus_config_last_reload_success_timestamp_seconds Timestamp of the last successful configuration reload.',
        'prometheus_config_last_reload_success_timestamp_seconds 1.7644619025e+09',
        'prometheus_config_last_reload_successful 0',
        'prometheus_config_last_reload_successful_total 3',
        'go_goroutines 40',
      ].join('\n');
      const [state, alertmanager] = await read(file);
      deepStrictEqual(state!.reload, { successful: false, successAt: 1764461902.5 });
      strictEqual(alertmanager!.reload, null);
      match(alertmanager!.unreadable, /^curl: \(7\)/);
      deepStrictEqual(state!.files.map((f) => f.path), [file]);
      strictEqual(Math.abs(state!.files[0]!.ctime - Date.now() / 1000) < 60, true, `ctime ${state!.files[0]!.ctime}`);
    });

    it('says the page is unreadable, with curl\'s message, when the service does not answer', async () => {
      page = '';
      const [state] = await read(join(dir, 'absent.yml'));
      strictEqual(state!.reload, null);
      match(state!.unreadable, /^curl: \(22\)/);
    });
  });
});
