// monitoring.yml against a real cluster: site.yml builds three members, monitoring.yml renders the
// Prometheus files on the control node, and a real Prometheus (on 127.0.0.1 only) run with them scrapes
// every member, evaluates every rule without error and notices a member that stops.
import { deepStrictEqual, notStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { etcdops, recapOf } from './etcdops-cli.js';
import { sshRun, useLab } from './lab-fixture.js';

const SITE = fileURLToPath(new URL('../../playbooks/site.yml', import.meta.url));
const MONITORING = fileURLToPath(new URL('../../playbooks/monitoring.yml', import.meta.url));
const HOSTS = ['n1', 'n2', 'n3'];
const FILES = ['etcd.yml', 'etcd-rules.yml', 'grafana/etcd.json'];

interface Target {
  labels: Record<string, string>;
  scrapeUrl: string;
  health: string;
  lastError: string;
}
interface Rule {
  name: string;
  health: string;
  lastError?: string;
  lastEvaluation: string;
  state: string;
  alerts: { labels: Record<string, string>; state: string }[];
}

/** A port on 127.0.0.1 nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Polls `read` until `done` holds for its value, or fails with the last value after `timeoutMs`. */
async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let failure: unknown;
  while (Date.now() < deadline) {
    try {
      last = await read();
      failure = undefined;
      if (done(last)) return last;
    } catch (error) {
      failure = error;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}; last seen: ${failure ? String(failure) : JSON.stringify(last, null, 1)}`);
}

describe('etcd monitoring.yml on the lab with a real Prometheus', function () {
  this.timeout(240_000);
  const lab = useLab('mon1', 3);
  const address = (host: string) => lab().hosts.find((h) => h.name === host)!.address;
  let work = '';
  let prometheus: ChildProcess | undefined;
  let api = '';
  const out = () => join(work, 'prometheus');
  const prometheusLog = () => (existsSync(join(work, 'prometheus.log')) ? readFileSync(join(work, 'prometheus.log'), 'utf8').slice(-3000) : '');
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${api}${path}`);
    const body = (await response.json()) as { status: string; data: T };
    strictEqual(body.status, 'success', `${path}: ${JSON.stringify(body)}`);
    return body.data;
  };
  const targets = () => get<{ activeTargets: Target[] }>('/api/v1/targets?state=active').then((d) => d.activeTargets);
  const rules = () => get<{ groups: { rules: Rule[] }[] }>('/api/v1/rules').then((d) => d.groups.flatMap((g) => g.rules));
  /** The lab's inventory plus the control node as the Prometheus host. */
  const inventory = () => {
    const file = join(work, 'inventory.yml');
    if (!existsSync(file)) {
      const parsed = parse(readFileSync(lab().inventory, 'utf8'));
      parsed.all.children.prometheus = { hosts: { localhost: { ansible_connection: 'local' } } };
      writeFileSync(file, stringify(parsed));
    }
    return file;
  };
  const monitoring = (vars: string[]) =>
    etcdops(['play', MONITORING, '-i', inventory(), '--output', 'json', '-e', `etcd_monitoring_dir=${out()}`, ...vars.flatMap((v) => ['-e', v])]);
  // Short intervals so the test sees scrapes and rule evaluations within seconds.
  const FAST = ['etcd_monitoring_scrape_interval=2s', 'etcd_monitoring_rule_interval=2s'];

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'etcdops-mon-'));
  });
  after(async function () {
    this.timeout(30_000);
    const child = prometheus;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(work, { recursive: true, force: true });
  });

  it('builds a 3-member cluster with site.yml', async () => {
    const result = await etcdops(['play', SITE, '-i', lab().inventory, '--output', 'json']);
    strictEqual(result.code, 0, result.stdout.slice(-3000) + result.stderr);
  });

  it('renders the scrape configuration, rules and dashboard on the control node, then changes nothing', async () => {
    const first = await monitoring(FAST);
    strictEqual(first.code, 0, first.stdout.slice(-3000) + first.stderr);
    ok(recapOf(first.stdout).localhost!.changed > 0);
    for (const file of FILES) ok(existsSync(join(out(), file)), file);
    const config = parse(readFileSync(join(out(), 'etcd.yml'), 'utf8'));
    deepStrictEqual(config.scrape_configs.map((c: { job_name: string }) => c.job_name), ['etcd']);
    JSON.parse(readFileSync(join(out(), 'grafana/etcd.json'), 'utf8'));
    const again = await monitoring(FAST);
    strictEqual(again.code, 0, again.stderr);
    for (const host of ['localhost', ...HOSTS]) strictEqual(recapOf(again.stdout)[host]!.changed, 0, `${host} changed something`);
  });

  it('fails on rules promtool rejects, or a threshold that is not a number, and leaves the files in place untouched', async () => {
    const before = FILES.map((f) => readFileSync(join(out(), f), 'utf8'));
    const result = await monitoring([...FAST, 'etcd_monitoring_rule_interval=30x']);
    notStrictEqual(result.code, 0, result.stdout.slice(-3000));
    ok(result.stdout.includes('not a valid duration string: \\"30x\\"'), result.stdout.slice(-3000));
    deepStrictEqual(FILES.map((f) => readFileSync(join(out(), f), 'utf8')), before);
    ok(!existsSync(join(out(), '.staging', 'etcd-rules.yml')), 'the rejected rules are not kept in the staging folder');
    // A threshold pasted into a query is refused while rendering, before promtool or any file sees it.
    const threshold = await monitoring([...FAST, JSON.stringify({ etcd_monitoring_db_quota_ratio: '0.8 or vector(1)' })]);
    notStrictEqual(threshold.code, 0, threshold.stdout.slice(-3000));
    ok(threshold.stdout.includes('decimal: \\"0.8 or vector(1)\\" is not a number'), threshold.stdout.slice(-3000));
    deepStrictEqual(FILES.map((f) => readFileSync(join(out(), f), 'utf8')), before);
  });

  it('is read by a real Prometheus that scrapes every member and evaluates every rule without error', async () => {
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    const log = openSync(join(work, 'prometheus.log'), 'w');
    prometheus = spawn(
      '/usr/bin/prometheus',
      [`--config.file=${join(out(), 'etcd.yml')}`, `--storage.tsdb.path=${join(work, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`],
      { stdio: ['ignore', log, log] },
    );
    closeSync(log);
    await waitFor('Prometheus to be ready', () => fetch(`${api}/-/ready`).then((r) => r.status), (s) => s === 200, 30_000).catch((error) => {
      throw new Error(`${(error as Error).message}\n${prometheusLog()}`);
    });
    const up = await waitFor('every member target up', targets, (t) => t.length === 3 && t.every((x) => x.health === 'up'));
    deepStrictEqual(
      up.map((t) => [t.labels.member, t.labels.cluster, t.labels.job, t.scrapeUrl]).sort(),
      HOSTS.map((h) => [h, 'etcd', 'etcd', `http://${address(h)}:2381/metrics`]),
    );
    const evaluated = await waitFor('every rule evaluated', rules, (r) => r.length > 0 && r.every((x) => !x.lastEvaluation.startsWith('0001')));
    deepStrictEqual(evaluated.filter((r) => r.health !== 'ok' || r.lastError), [], 'rules in error');
    const shipped = (parse(readFileSync(join(out(), 'etcd-rules.yml'), 'utf8')) as { groups: { rules: { alert: string }[] }[] }).groups.flatMap((g) => g.rules.map((r) => r.alert));
    ok(shipped.length >= 30, `${shipped.length} rules`);
    deepStrictEqual(evaluated.map((r) => r.name).sort(), shipped.sort(), 'Prometheus loaded every shipped rule');
    const quiet = ['EtcdNoLeader', 'EtcdMemberDown', 'EtcdInsufficientMembers', 'EtcdDatabaseNearQuota', 'EtcdTargetsMissing', 'EtcdMetricsMissing'];
    deepStrictEqual(evaluated.filter((r) => quiet.includes(r.name) && r.state !== 'inactive').map((r) => r.name), [], 'alerts on a healthy cluster');
  });

  it('raises EtcdMemberDown for a member that stops', async () => {
    const stop = await sshRun(lab(), 'n3', 'systemctl stop etcd');
    strictEqual(stop.code, 0, stop.stderr);
    await waitFor('n3 down', targets, (t) => t.find((x) => x.labels.member === 'n3')?.health === 'down');
    const seen = await waitFor('EtcdMemberDown pending for n3', rules, (r) =>
      r.some((x) => x.name === 'EtcdMemberDown' && x.alerts.some((a) => a.labels.member === 'n3' && a.state === 'pending')),
    );
    const down = seen.find((x) => x.name === 'EtcdMemberDown')!;
    deepStrictEqual(down.alerts.map((a) => a.labels.member), ['n3'], 'only the stopped member');
    strictEqual(seen.find((x) => x.name === 'EtcdInsufficientMembers')!.state, 'inactive', 'two of three members keep the quorum');
  });
});
