import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { backupCommand, formatAge, judgeBackups, parseBackupOutput } from '../../src/inspect/backup-age.js';
import { Severity } from '../../src/inspect/severity.js';

const NOW = 1_800_000_000;
const METRICS = `# HELP etcd_backup_last_success_timestamp_seconds When.
etcd_backup_last_success_timestamp_seconds{cluster="etcd"} ${NOW - 7200}
etcd_backup_last_offsite_success{cluster="etcd"} 0
`;

describe('parseBackupOutput', () => {
  const table: { name: string; stdout: string; newestAt: number | null; file: string | null; offsite: boolean | null }[] = [
    { name: 'metrics and a snapshot', stdout: `${METRICS}--- etcdops snapshots\n${NOW - 3600}.52 etcd-20270115T080000Z-rev9.db\n`, newestAt: NOW - 3600, file: 'etcd-20270115T080000Z-rev9.db', offsite: false },
    { name: 'metrics only', stdout: `${METRICS}--- etcdops snapshots\n`, newestAt: NOW - 7200, file: null, offsite: false },
    { name: 'nothing', stdout: '--- etcdops snapshots\n', newestAt: null, file: null, offsite: null },
  ];
  for (const row of table) {
    it(row.name, () => {
      const parsed = parseBackupOutput('n1', row.stdout);
      deepStrictEqual([parsed.newestAt, parsed.newestFile, parsed.offsiteOk], [row.newestAt, row.file, row.offsite]);
    });
  }
  const OFFSITE = '--- etcdops off-site\n';
  const offsiteTable: { name: string; section: string; newestAt: number | null; error: string | null }[] = [
    { name: 'off-site names, the newest by the time in its name', section: 'etcd-20261130T050000Z-rev7.db\netcd-20261130T060000Z-rev9.db\n.etcd-x.partial\nrc=0\n', newestAt: Date.UTC(2026, 10, 30, 6) / 1000, error: null },
    { name: 'an empty off-site folder', section: 'rc=0\n', newestAt: null, error: null },
    { name: 'an off-site folder that cannot be listed', section: 'Failed to lsf: directory not found\nrc=3\n', newestAt: null, error: 'Failed to lsf: directory not found' },
  ];
  for (const row of offsiteTable) {
    it(row.name, () => {
      const parsed = parseBackupOutput('n1', `--- etcdops snapshots\n${OFFSITE}${row.section}`);
      deepStrictEqual([parsed.offsiteNewestAt, parsed.offsiteError], [row.newestAt, row.error]);
    });
  }
  it('quotes the folders it reads, and lists off-site only when there is a folder', () => {
    strictEqual(backupCommand({ name: 'n1', backupDir: "/b k'", metricsDir: '/m', offsite: null }).text.includes(`'/b k'\\'''`), true);
    strictEqual(backupCommand({ name: 'n1', backupDir: '/b', metricsDir: '/m', offsite: null }).text.includes('rclone'), false);
    const text = backupCommand({ name: 'n1', backupDir: '/b', metricsDir: '/m', offsite: { dir: 'offsite:etcd backups/etcd', rcloneConfig: '/etc/etcd-backup/rclone.conf' } }).text;
    strictEqual(text.includes("lsf --files-only 'offsite:etcd backups/etcd'"), true, text);
  });
});

describe('formatAge', () => {
  const table: [number, string][] = [[59, '59 seconds'], [119, '119 seconds'], [3600, '60 minutes'], [7199, '119 minutes'], [7200, '2 hours'], [108_000, '30 hours'], [5400 * 3, '4.5 hours']];
  for (const [seconds, text] of table) it(`${seconds} → ${text}`, () => strictEqual(formatAge(seconds), text));
});

describe('judgeBackups', () => {
  const host = (newestAt: number | null, offsiteOk: boolean | null = true, error: string | null = null, offsite: { offsiteNewestAt?: number | null; offsiteError?: string | null } = {}) => ({ host: 'n1', newestAt, newestFile: null, offsiteOk, error, ...offsite });
  const table: { name: string; hosts: ReturnType<typeof host>[]; severity: Severity; age: number | null; messages: RegExp[] }[] = [
    { name: 'an hour old here and off-site', hosts: [host(NOW - 3600, true, null, { offsiteNewestAt: NOW - 3600, offsiteError: null })], severity: Severity.OK, age: 3600, messages: [] },
    { name: 'off-site too old', hosts: [host(NOW - 3600, true, null, { offsiteNewestAt: NOW - 26 * 3600, offsiteError: null })], severity: Severity.WARNING, age: 3600, messages: [/^the newest off-site snapshot of n1 is 26 hours old, more than 25 hours$/] },
    { name: 'off-site empty', hosts: [host(NOW - 3600, true, null, { offsiteNewestAt: null, offsiteError: null })], severity: Severity.WARNING, age: 3600, messages: [/^no snapshot in the off-site folder of n1$/] },
    { name: 'off-site unreadable', hosts: [host(NOW - 3600, true, null, { offsiteNewestAt: null, offsiteError: 'directory not found' })], severity: Severity.WARNING, age: 3600, messages: [/^the off-site folder could not be listed from n1: directory not found$/] },
    { name: 'an hour old', hosts: [host(NOW - 3600)], severity: Severity.OK, age: 3600, messages: [] },
    { name: 'too old', hosts: [host(NOW - 30 * 3600)], severity: Severity.WARNING, age: 30 * 3600, messages: [/^the newest verified snapshot is 30 hours old, more than 25 hours/] },
    { name: 'off-site copy failed', hosts: [host(NOW - 60, false)], severity: Severity.WARNING, age: 60, messages: [/^the last off-site copy from n1 failed/] },
    { name: 'no snapshot', hosts: [host(null, null)], severity: Severity.WARNING, age: null, messages: [/^no verified snapshot found on n1: install scheduled backups with backup.yml$/] },
    { name: 'backup host unreachable', hosts: [host(null, null, 'unreachable')], severity: Severity.WARNING, age: null, messages: [/^backup host n1 could not be read: unreachable$/, /^no verified snapshot found/] },
  ];
  for (const row of table) {
    it(row.name, () => {
      const report = judgeBackups(row.hosts, 25, NOW);
      strictEqual(report.severity, row.severity);
      strictEqual(report.data.ageSeconds, row.age);
      strictEqual(report.findings.length, row.messages.length, JSON.stringify(report.findings));
      row.messages.forEach((re, i) => strictEqual(re.test(report.findings[i]!.message), true, report.findings[i]!.message));
    });
  }
});
