// The alert rules as rendered with the role's defaults, under promtool's rule unit tests (fixtures/):
// each alert fires on the series of its failure after its `for:` and stays silent on healthy series, and
// every alert (every severity tier of it) has a fixture case that fires it and one that expects silence.
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { promtool } from './promtool.js';
import { renderMonitoring } from './render-monitoring.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const TESTS = readdirSync(FIXTURES).filter((f) => f.endsWith('.test.yml')).sort();
// The backup metrics are scraped (and their absence alerted on) once node_exporter has a port.
const WITH_BACKUP_METRICS = { etcd_monitoring_node_exporter_port: 9100 };

interface AlertRule {
  alert: string;
  expr: string;
  labels?: Record<string, string>;
  annotations: Record<string, string>;
}
interface AlertCase {
  alertname: string;
  exp_alerts: { exp_labels: Record<string, string> }[];
}

function renderedRules(overrides: Readonly<Record<string, unknown>>): AlertRule[] {
  const rules = parse(renderMonitoring('etcd-rules.yml', { ...WITH_BACKUP_METRICS, ...overrides })) as { groups: { rules: AlertRule[] }[] };
  return rules.groups.flatMap((g) => g.rules);
}

/**
 * A folder holding the rendered rules beside every fixture (fixtures name the rules by a relative path).
 * The runbook annotation is static advice, checked below; the fixtures pin every other annotation.
 */
function workspace(overrides: Readonly<Record<string, unknown>> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'etcdops-rules-'));
  const rendered = parse(renderMonitoring('etcd-rules.yml', { ...WITH_BACKUP_METRICS, ...overrides })) as { groups: { rules: AlertRule[] }[] };
  for (const rule of rendered.groups.flatMap((g) => g.rules)) delete rule.annotations.runbook;
  writeFileSync(join(dir, 'etcd-rules.yml'), stringify(rendered));
  for (const file of TESTS) copyFileSync(join(FIXTURES, file), join(dir, file));
  return dir;
}

/** Every alert case of every fixture. */
function fixtureCases(): AlertCase[] {
  return TESTS.flatMap((file) => {
    const fixture = parse(readFileSync(join(FIXTURES, file), 'utf8')) as { tests: { alert_rule_test?: AlertCase[] }[] };
    return fixture.tests.flatMap((t) => t.alert_rule_test ?? []);
  });
}

describe('etcd alert rules under promtool test rules', function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('has the fixtures the rules must pass', () => {
    for (const name of ['healthy', 'no-leader', 'db-quota', 'backup']) ok(TESTS.includes(`${name}.test.yml`), `${name}.test.yml`);
  });

  it('has a firing case for every alert and severity, and a silent case for every alert', () => {
    const cases = fixtureCases();
    const tiers = (rules: AlertRule[]) => [...new Set(rules.map((r) => `${r.alert}/${r.labels?.severity ?? 'from the series'}`))].sort();
    const rules = renderedRules({});
    // An alert without a severity label of its own takes the series' one: each listed value must fire.
    const fired = cases.flatMap((c) =>
      c.exp_alerts.map((a) => {
        const rule = rules.find((r) => r.alert === c.alertname);
        return `${c.alertname}/${rule?.labels?.severity === undefined ? 'from the series' : a.exp_labels.severity}`;
      }),
    );
    deepStrictEqual(tiers(rules).filter((t) => !fired.includes(t)), [], 'alert tiers no fixture fires');
    const silent = new Set(cases.filter((c) => c.exp_alerts.length === 0).map((c) => c.alertname));
    deepStrictEqual([...new Set(rules.map((r) => r.alert))].filter((a) => !silent.has(a)), [], 'alerts no fixture expects to stay silent');
  });

  it('gives every alert a severity of warning or critical, a summary, a description and a runbook', () => {
    for (const rule of renderedRules({})) {
      ok(['warning', 'critical', undefined].includes(rule.labels?.severity), `${rule.alert}: severity ${rule.labels?.severity}`);
      // Only the inspection finding passes its own severity on; its expression admits warning and critical only.
      if (rule.labels?.severity === undefined) ok(rule.expr.includes('severity=~"warning|critical"'), rule.alert);
      deepStrictEqual(Object.keys(rule.annotations).sort(), ['description', 'runbook', 'summary'], rule.alert);
      ok(rule.annotations.runbook!.length > 40, `${rule.alert}: runbook`);
    }
  });

  it('has every alert explained in the README', () => {
    const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
    deepStrictEqual(renderedRules({}).map((r) => r.alert).filter((a) => !readme.includes(`| \`${a}\` |`)), []);
  });

  it('renders rules that pass promtool check rules with their runbooks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'etcdops-rules-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'etcd-rules.yml'), renderMonitoring('etcd-rules.yml', WITH_BACKUP_METRICS));
    const result = await promtool(dir, ['check', 'rules', 'etcd-rules.yml']);
    strictEqual(result.code, 0, result.output);
  });

  it('leaves the backup metrics alert out when node_exporter is not scraped', () => {
    const names = renderedRules({ etcd_monitoring_node_exporter_port: 0 }).map((r) => r.alert);
    ok(!names.includes('EtcdBackupMetricsMissing'), names.join(', '));
    ok(renderedRules({}).some((r) => r.alert === 'EtcdBackupMetricsMissing'));
  });

  it('takes a for: per alert name from etcd_monitoring_alert_for', () => {
    const rules = parse(renderMonitoring('etcd-rules.yml', { etcd_monitoring_alert_for: { EtcdMemberDown: '5s' } })) as { groups: { rules: { alert: string; for: string }[] }[] };
    const fors = Object.fromEntries(rules.groups[0]!.rules.map((r) => [r.alert, r.for]));
    strictEqual(fors.EtcdMemberDown, '5s');
    strictEqual(fors.EtcdNoLeader, '1m');
  });

  for (const file of TESTS) {
    it(`passes ${file}`, async () => {
      const dir = workspace();
      dirs.push(dir);
      const result = await promtool(dir, ['test', 'rules', file]);
      strictEqual(result.code, 0, result.output);
      ok(result.output.includes('SUCCESS'), result.output);
    });
  }

  // The fixtures pin the rendered thresholds: loosened ones no longer fire where the fixtures expect.
  const loosened: readonly { file: string; overrides: Record<string, unknown>; alert: string }[] = [
    { file: 'db-quota.test.yml', overrides: { etcd_monitoring_db_quota_ratio: 0.9 }, alert: 'EtcdDatabaseNearQuota' },
    { file: 'db-quota.test.yml', overrides: { etcd_monitoring_db_quota_critical_ratio: 0.99 }, alert: 'EtcdDatabaseNearQuota' },
    { file: 'backup.test.yml', overrides: { etcd_monitoring_backup_max_age_seconds: 86400 }, alert: 'EtcdBackupStale' },
    { file: 'disk.test.yml', overrides: { etcd_monitoring_fsync_p99_critical_seconds: 5 }, alert: 'EtcdHighFsyncLatency' },
    { file: 'requests.test.yml', overrides: { etcd_monitoring_grpc_failed_critical_percent: 50 }, alert: 'EtcdGrpcRequestsFailing' },
    { file: 'inspection.test.yml', overrides: { etcd_monitoring_certificate_critical_seconds: 86400 }, alert: 'EtcdCertificateExpiring' },
    { file: 'members.test.yml', overrides: { etcd_monitoring_alert_for: { EtcdMemberDown: '1h' } }, alert: 'EtcdMemberDown' },
  ];
  for (const { file, overrides, alert } of loosened) {
    it(`fails ${file} when ${Object.keys(overrides).join(', ')} is loosened`, async () => {
      const dir = workspace(overrides);
      dirs.push(dir);
      const result = await promtool(dir, ['test', 'rules', file]);
      strictEqual(result.code, 1, result.output);
      ok(result.output.includes(`alertname: ${alert}`), result.output);
    });
  }
});
