// The rendered scrape configuration passes `promtool check config` with and without the backup metrics
// job and scrapes each member's metrics address; every query of the dashboard is valid PromQL.
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { promtool } from './promtool.js';
import { MEMBERS, renderMonitoring } from './render-monitoring.js';

interface ScrapeConfig {
  job_name: string;
  static_configs: { targets: string[]; labels: Record<string, string> }[];
  metric_relabel_configs?: { regex: string; action: string }[];
  honor_labels?: boolean;
}

const cases: readonly { name: string; overrides: Record<string, unknown>; jobs: Record<string, string[]> }[] = [
  {
    name: 'etcd metrics only (no node_exporter port)',
    overrides: { etcd_monitoring_node_exporter_port: 0 },
    jobs: { etcd: ['10.0.0.1:2381', '10.0.0.2:2381', '10.0.0.3:2381'] },
  },
  {
    name: 'with the backup metrics through node_exporter',
    overrides: { etcd_monitoring_node_exporter_port: 9100 },
    jobs: { etcd: ['10.0.0.1:2381', '10.0.0.2:2381', '10.0.0.3:2381'], 'etcd-backup': ['10.0.0.1:9100', '10.0.0.2:9100', '10.0.0.3:9100'] },
  },
  {
    name: 'other job names, metrics port and cluster label',
    overrides: { etcd_monitoring_job: 'etcd-prod', etcd_metrics_port: 12381, etcd_monitoring_cluster_name: 'prod', etcd_monitoring_node_exporter_port: 0 },
    jobs: { 'etcd-prod': ['10.0.0.1:12381', '10.0.0.2:12381', '10.0.0.3:12381'] },
  },
];

describe('etcd monitoring templates', function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'etcdops-monitoring-'));
    dirs.push(dir);
    return dir;
  };
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  for (const { name, overrides, jobs } of cases) {
    it(`renders a valid Prometheus configuration: ${name}`, async () => {
      const dir = folder();
      const config = renderMonitoring('etcd.yml', overrides);
      writeFileSync(join(dir, 'etcd.yml'), config);
      writeFileSync(join(dir, 'etcd-rules.yml'), renderMonitoring('etcd-rules.yml', overrides));
      const result = await promtool(dir, ['check', 'config', 'etcd.yml']);
      strictEqual(result.code, 0, result.output);
      const parsed = parse(config) as { rule_files: string[]; scrape_configs: ScrapeConfig[] };
      deepStrictEqual(parsed.rule_files, ['etcd-rules.yml']);
      const byJob = Object.fromEntries(parsed.scrape_configs.map((c) => [c.job_name, c.static_configs.flatMap((s) => s.targets)]));
      deepStrictEqual(byJob, jobs);
      const etcdJob = parsed.scrape_configs[0]!;
      deepStrictEqual(etcdJob.static_configs.map((s) => s.labels.member), MEMBERS.map((m) => m.name));
      ok(etcdJob.static_configs.every((s) => s.labels.cluster === (overrides.etcd_monitoring_cluster_name ?? 'etcd')));
      const backupJob = parsed.scrape_configs[1];
      if (backupJob) {
        deepStrictEqual(backupJob.metric_relabel_configs, [{ source_labels: ['__name__'], regex: 'etcd_backup_.*|etcdops_inspect_.*', action: 'keep' }]);
        strictEqual(backupJob.honor_labels, true, "inspection findings keep the member they are about");
      }
    });
  }

  it('sends alerts to the Alertmanagers it installs, and to none when it installs nothing', () => {
    const installed = parse(renderMonitoring('etcd.yml')) as { alerting?: { alertmanagers: { static_configs: { targets: string[] }[] }[] } };
    deepStrictEqual(installed.alerting?.alertmanagers.flatMap((a) => a.static_configs.flatMap((c) => c.targets)), ['10.0.0.9:9093']);
    strictEqual((parse(renderMonitoring('etcd.yml', { etcd_monitoring_install: false })) as { alerting?: unknown }).alerting, undefined);
  });

  it('routes every alert to the webhook, grouped by cluster, with a critical alert silencing its warning tier', () => {
    const config = parse(renderMonitoring('alertmanager.yml', { etcd_monitoring_webhook_url: 'http://10.0.0.100:8080/alerts', etcd_monitoring_group_wait: '1s' })) as {
      route: { receiver: string; group_by: string[]; group_wait: string };
      receivers: { name: string; webhook_configs?: { url: string; send_resolved: boolean }[] }[];
      inhibit_rules: { source_matchers: string[]; target_matchers: string[]; equal: string[] }[];
    };
    deepStrictEqual(config.route.group_by, ['cluster', 'alertname']);
    strictEqual(config.route.group_wait, '1s');
    deepStrictEqual(config.receivers, [{ name: 'default', webhook_configs: [{ url: 'http://10.0.0.100:8080/alerts', send_resolved: true }] }]);
    deepStrictEqual(config.inhibit_rules[0]!.equal, ['alertname', 'cluster', 'member']);
    const email = { to: 'oncall@example.com', from: 'am@example.com', smarthost: 'smtp.example.com:587' };
    const more = parse(renderMonitoring('alertmanager.yml', { etcd_monitoring_receiver_configs: { email_configs: [email] } })) as { receivers: unknown[] };
    deepStrictEqual(more.receivers, [{ name: 'default', email_configs: [email] }], 'etcd_monitoring_receiver_configs adds to the default receiver');
    const silent = parse(renderMonitoring('alertmanager.yml')) as { receivers: { name: string }[] };
    deepStrictEqual(silent.receivers, [{ name: 'default' }], 'no webhook URL: a receiver that sends nowhere');
  });

  it('renders rules that name the configured jobs', () => {
    const rules = renderMonitoring('etcd-rules.yml', { etcd_monitoring_job: 'etcd-prod', etcd_monitoring_backup_job: 'backups', etcd_monitoring_node_exporter_port: 9100 });
    const exprs = (parse(rules) as { groups: { rules: { alert: string; expr: string }[] }[] }).groups[0]!.rules;
    // Inspection's metrics are etcdops' own names, read from whichever job scrapes them.
    const ownNames = exprs.filter((rule) => !/\b(up|etcd_\w+|grpc_\w+)\{/.test(rule.expr));
    ok(ownNames.every((rule) => rule.expr.includes('etcdops_inspect_')), ownNames.map((r) => r.alert).join(', '));
    for (const rule of exprs.filter((r) => !ownNames.includes(r))) ok(/job="(etcd-prod|backups)"/.test(rule.expr) && !/job="etcd"/.test(rule.expr), `${rule.alert}: ${rule.expr}`);
  });

  it('renders a Grafana dashboard whose queries are all valid PromQL', async () => {
    const dashboard = JSON.parse(renderMonitoring('etcd-dashboard.json')) as {
      uid: string;
      panels: { id: number; title: string; targets: { expr: string; legendFormat: string }[] }[];
    };
    strictEqual(dashboard.uid, 'etcdops-etcd');
    // The panels an etcd operator reads (issue 13).
    deepStrictEqual(dashboard.panels.map((p) => p.title), [
      'Members up', 'Members with a leader', 'Leader changes (1 h)', 'Last successful backup', 'Leader', 'Keys',
      'Watchers and watch streams', 'Leases', 'gRPC requests by method', 'gRPC failures by method', 'Raft proposals',
      'Database size and quota', 'WAL fsync 99th percentile', 'Backend commit 99th percentile', 'Apply and snapshot 99th percentile',
      'Peer round trip 99th percentile', 'Peer traffic', 'Client traffic', 'Memory', 'CPU',
    ]);
    const ids = dashboard.panels.map((p) => p.id);
    strictEqual(new Set(ids).size, ids.length, 'panel ids are unique');
    const queries = dashboard.panels.flatMap((p) => p.targets.map((t) => ({ title: p.title, ...t })));
    ok(queries.length >= 8, `${queries.length} queries`);
    // promtool parses PromQL only in rule files: each query becomes a recording rule, with the
    // dashboard's $cluster variable replaced by a value as Grafana does.
    const dir = folder();
    const rules = queries.map((q, i) => ({ record: `dashboard:query_${i}`, expr: q.expr.replaceAll('$cluster', 'etcd') }));
    writeFileSync(join(dir, 'queries.yml'), stringify({ groups: [{ name: 'dashboard', rules }] }));
    const result = await promtool(dir, ['check', 'rules', 'queries.yml']);
    strictEqual(result.code, 0, result.output);
    ok(queries.every((q) => q.expr.includes('cluster="$cluster"')), 'every query is filtered by the cluster variable');
  });
});
