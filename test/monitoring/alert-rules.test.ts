// The alert rules as rendered with the role's defaults, under promtool's rule unit tests (fixtures/):
// each alert fires on the series of its failure after its `for:` and stays silent on healthy series.
import { ok, strictEqual } from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promtool } from './promtool.js';
import { renderMonitoring } from './render-monitoring.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const TESTS = readdirSync(FIXTURES).filter((f) => f.endsWith('.test.yml')).sort();

/** A folder holding the rendered rules beside every fixture (fixtures name the rules by a relative path). */
function workspace(overrides: Readonly<Record<string, unknown>> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'etcdops-rules-'));
  writeFileSync(join(dir, 'etcd-rules.yml'), renderMonitoring('etcd-rules.yml', overrides));
  for (const file of TESTS) copyFileSync(join(FIXTURES, file), join(dir, file));
  return dir;
}

describe('etcd alert rules under promtool test rules', function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('has the fixtures the rules must pass', () => {
    for (const name of ['healthy', 'no-leader', 'db-quota', 'backup']) ok(TESTS.includes(`${name}.test.yml`), `${name}.test.yml`);
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
    { file: 'backup.test.yml', overrides: { etcd_monitoring_backup_max_age_seconds: 86400 }, alert: 'EtcdBackupStale' },
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
