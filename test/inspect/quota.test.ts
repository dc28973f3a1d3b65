import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { DEFAULT_QUOTA_BYTES, judgeQuota, percentOf, quotaFromVars, type MemberQuota } from '../../src/inspect/quota.js';
import { Severity } from '../../src/inspect/severity.js';

const GiB = 1024 ** 3;

const member = (name: string, dbSize: number | null, quotaBytes = 8 * GiB, alarms: string[] = []): MemberQuota => ({
  member: name,
  endpoint: `https://${name}:2379`,
  dbSize,
  dbSizeInUse: dbSize === null ? null : Math.floor(dbSize / 2),
  quotaBytes,
  quotaSource: 'default',
  percentUsed: dbSize === null ? null : percentOf(dbSize, quotaBytes),
  alarms,
  error: dbSize === null ? 'connection refused' : null,
});

describe('quotaFromVars', () => {
  const table: [unknown, number, string][] = [
    [undefined, DEFAULT_QUOTA_BYTES, 'default'],
    [4294967296, 4294967296, 'inventory'],
    ['2147483648', 2147483648, 'inventory'],
    ['{{ big_quota }}', DEFAULT_QUOTA_BYTES, 'default'],
    [0, DEFAULT_QUOTA_BYTES, 'default'],
  ];
  for (const [value, bytes, source] of table) it(`${JSON.stringify(value)} → ${bytes} (${source})`, () => deepStrictEqual(quotaFromVars({ etcd_quota_backend_bytes: value }), { bytes, source }));
});

describe('percentOf', () => {
  const table: [number, number, number][] = [
    [0, 100, 0],
    [1, 3, 33.3],
    [2 * GiB, 8 * GiB, 25],
    [8 * GiB, 8 * GiB, 100],
  ];
  for (const [used, quota, percent] of table) it(`${used} of ${quota} → ${percent}%`, () => strictEqual(percentOf(used, quota), percent));
});

describe('judgeQuota', () => {
  const table: { name: string; members: MemberQuota[]; severity: Severity; summary: string; messages: string[] }[] = [
    { name: 'small databases', members: [member('n1', GiB / 10), member('n2', GiB / 5)], severity: Severity.OK, summary: 'fullest member n2 at 2.5% of 8.0 GiB, no alarm', messages: [] },
    { name: 'exactly at the threshold is fine', members: [member('n1', 80, 100)], severity: Severity.OK, summary: 'fullest member n1 at 80% of 100 B, no alarm', messages: [] },
    {
      name: 'above the threshold warns',
      members: [member('n1', 81, 100), member('n2', 10, 100)],
      severity: Severity.WARNING,
      summary: 'fullest member n1 at 81% of 100 B',
      messages: ['member n1 uses 81 B of 100 B (81%), above 80%: compact and defragment, or raise the quota'],
    },
    { name: 'near full is critical', members: [member('n1', 96, 100)], severity: Severity.CRITICAL, summary: 'fullest member n1 at 96% of 100 B', messages: ['member n1 uses 96 B of 100 B (96%): compact and defragment now'] },
    {
      name: 'an alarm is critical',
      members: [member('n1', 10, 100, ['NOSPACE'])],
      severity: Severity.CRITICAL,
      summary: 'fullest member n1 at 10% of 100 B',
      messages: ['alarm NOSPACE raised on member n1'],
    },
    { name: 'a silent member is critical', members: [member('n1', null)], severity: Severity.CRITICAL, summary: 'no member gave its status', messages: ['member n1 did not give its status: connection refused'] },
  ];
  for (const row of table) {
    it(row.name, () => {
      const report = judgeQuota(row.members, 80);
      strictEqual(report.severity, row.severity);
      strictEqual(report.summary, row.summary);
      deepStrictEqual(report.findings.map((f) => f.message), row.messages);
    });
  }
});
