import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { judgeBackups } from '../../src/inspect/backup-age.js';
import { judgeCertificates } from '../../src/inspect/certificate-expiry.js';
import { judgeConsistency } from '../../src/inspect/consistency.js';
import { judgeHotPrefixes } from '../../src/inspect/hot-prefixes.js';
import { inspectMetricsText } from '../../src/inspect/inspect-metrics.js';
import { judgeSpread } from '../../src/inspect/member-spread.js';
import type { MemberStatus } from '../../src/inspect/member-status.js';
import type { InspectReport } from '../../src/inspect/run-inspect.js';
import { failedCheck } from '../../src/inspect/check-report.js';
import { Severity } from '../../src/inspect/severity.js';

const AT = new Date('2026-11-30T06:00:00Z');
const status = (member: string, revision: number, applied: number): MemberStatus => ({
  member, endpoint: '', memberId: member, version: '3.5.30', revision, raftIndex: applied, raftAppliedIndex: applied, isLearner: false, leaderId: 'n1', keyCount: 120, error: null,
});
const hash = (member: string, value: string) => ({ member, endpoint: '', hash: value, compactRevision: 1, error: null });
const report = (checks: InspectReport['checks']): InspectReport => ({ revision: 121, members: ['n1', 'n2', 'n3'], severity: Severity.CRITICAL, checkedAt: 'T', durationMs: 1, checks });

/** The samples of the text: series → value, comments and blank lines left out. */
const samples = (text: string) => Object.fromEntries(text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).map((l) => [l.slice(0, l.lastIndexOf(' ')), Number(l.slice(l.lastIndexOf(' ') + 1))]));

describe('inspectMetricsText', () => {
  it('a diverged member, a hot prefix, certificates and the backup age, under the agreed names', async () => {
    const text = await inspectMetricsText(
      report({
        consistency: judgeConsistency(121, [hash('n1', '5'), hash('n2', '6'), hash('n3', '5')]),
        spread: judgeSpread(121, [status('n1', 172, 198), status('n2', 121, 198), status('n3', 172, 198)], { keyCount: 0, revision: 10, raftIndex: 1000 }),
        'hot-prefixes': judgeHotPrefixes({ fromRevision: 1, toRevision: 1001, seconds: 5, counts: new Map([['/hot/', 1000], ['/app/', 5]]) }, 1, 10, 100),
        certificates: judgeCertificates([{ member: 'n1', certificate: 'server', source: '', notAfter: 'T', expiresInSeconds: 86_400 * 20, error: null }], 30),
        backups: judgeBackups([{ host: 'n1', newestAt: AT.getTime() / 1000 - 3600, newestFile: null, offsiteOk: null, error: null }], 25, AT.getTime() / 1000),
      }),
      AT,
    );
    deepStrictEqual(samples(text), {
      etcdops_inspect_last_run_timestamp_seconds: AT.getTime() / 1000,
      etcdops_inspect_success: 1,
      'etcdops_inspect_finding{check="consistency",severity="CRITICAL",member="n2"}': 1,
      'etcdops_inspect_finding{check="spread",severity="CRITICAL",member="n2"}': 1,
      'etcdops_inspect_finding{check="hot-prefixes",severity="WARNING",member=""}': 1,
      'etcdops_inspect_finding{check="certificates",severity="WARNING",member="n1"}': 1,
      etcdops_inspect_key_count_spread: 0,
      etcdops_inspect_revision_spread: 51,
      'etcdops_inspect_hot_prefix_writes_per_second{prefix="/hot/"}': 200,
      'etcdops_inspect_hot_prefix_writes_per_second{prefix="/app/"}': 1,
      'etcdops_inspect_certificate_expiry_seconds{member="n1",certificate="server"}': 86_400 * 20,
      etcdops_inspect_backup_age_seconds: 3600,
    });
    strictEqual(text.includes('# TYPE etcdops_inspect_finding gauge'), true);
  });
  it('a check that could not run makes success 0', async () => strictEqual(samples(await inspectMetricsText(report({ quota: failedCheck('no etcd endpoint answered') }), AT)).etcdops_inspect_success, 0));
  it('a run that reached no member: its time and success 0 only', async () =>
    deepStrictEqual(samples(await inspectMetricsText(null, AT)), { etcdops_inspect_last_run_timestamp_seconds: AT.getTime() / 1000, etcdops_inspect_success: 0 }));
});
