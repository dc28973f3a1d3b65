import { ok, strictEqual } from 'node:assert/strict';
import { judgeBigValues } from '../../src/inspect/big-values.js';
import { failedCheck } from '../../src/inspect/check-report.js';
import { judgeConsistency } from '../../src/inspect/consistency.js';
import { judgePrefixes } from '../../src/inspect/prefixes.js';
import { judgeQuota } from '../../src/inspect/quota.js';
import { renderText } from '../../src/inspect/render-text.js';
import type { InspectReport } from '../../src/inspect/run-inspect.js';
import { Severity } from '../../src/inspect/severity.js';

const GiB = 1024 ** 3;
const hash = (member: string, value: string) => ({ member, endpoint: `https://${member}:2379`, hash: value, compactRevision: 1, error: null });
const quota = (member: string, dbSize: number, quotaBytes: number, source: 'inventory' | 'default', alarms: string[] = []) => ({
  member,
  endpoint: `https://${member}:2379`,
  dbSize,
  dbSizeInUse: Math.floor(dbSize / 2),
  quotaBytes,
  quotaSource: source,
  percentUsed: Math.round((dbSize / quotaBytes) * 1000) / 10,
  alarms,
  error: null,
});

const report = (severity: Severity, checks: InspectReport['checks']): InspectReport => ({ revision: 77, members: ['n1', 'n2', 'n3'], severity, checkedAt: 'T', durationMs: 5, checks });

describe('renderText', () => {
  const table: { name: string; report: InspectReport; text: string[] }[] = [
    {
      name: 'all fine',
      report: report(Severity.OK, {
        consistency: judgeConsistency(77, [hash('n1', '5'), hash('n2', '5'), hash('n3', '5')]),
        quota: judgeQuota([quota('n1', 2 * 1024 ** 2, 8 * GiB, 'default'), quota('n2', 2 * 1024 ** 2, 8 * GiB, 'default'), quota('n3', 1024 ** 2, 4 * GiB, 'inventory')], 80),
      }),
      text: [
        'inspect: OK at revision 77 (3 members: n1, n2, n3)',
        'OK       consistency  3 of 3 members agree on hash 5 at revision 77',
        'OK       quota        fullest member n1 at 0% of 8.0 GiB, no alarm',
        '    n1  db 2.0 MiB  in use 1.0 MiB    quota 8.0 GiB (default)  0%  alarms none',
        '    n2  db 2.0 MiB  in use 1.0 MiB    quota 8.0 GiB (default)  0%  alarms none',
        '    n3  db 1.0 MiB  in use 512.0 KiB  quota 4.0 GiB            0%  alarms none',
      ],
    },
    {
      name: 'findings in every check, listed under it',
      report: report(Severity.CRITICAL, {
        consistency: judgeConsistency(77, [hash('n1', '5'), hash('n2', '6'), hash('n3', '5')]),
        'big-values': judgeBigValues({ thresholdBytes: 131072, count: 2, largest: [{ key: '/blobs/b', bytes: 307200 }, { key: '/blobs/a', bytes: 204800 }] }),
        prefixes: judgePrefixes(2, [{ prefix: '/app/users/', keys: 200, bytes: 4000 }, { prefix: '/jobs/queue/', keys: 70, bytes: 2100 }], 10, {
          ref: { takenAt: 'B', revision: 50 },
          prefixes: [{ prefix: '/app/users/', keys: 200, bytes: 4000 }, { prefix: '/jobs/queue/', keys: 45, bytes: 1300 }],
        }),
        quota: judgeQuota([quota('n1', 85, 100, 'inventory', ['NOSPACE'])], 80),
      }),
      text: [
        'inspect: CRITICAL at revision 77 (3 members: n1, n2, n3)',
        'CRITICAL consistency  member n2 differs from the majority at revision 77',
        '    n1  5  compacted at 1',
        '    n2  6  compacted at 1',
        '    n3  5  compacted at 1',
        '    CRITICAL: member n2 differs: hash 6 where n1, n3 have 5 at revision 77',
        'WARNING  big-values   2 values above 128.0 KiB',
        '    300.0 KiB  307200 B  /blobs/b',
        '    200.0 KiB  204800 B  /blobs/a',
        'INFO     prefixes     270 keys, 6.0 KiB in 2 prefixes at depth 2; 1 prefix changed since B',
        '    200 keys  3.9 KiB  /app/users/',
        '    70 keys   2.1 KiB  /jobs/queue/  (+25 keys, +800 B)',
        '    growth since B (revision 50):',
        '        /jobs/queue/  +25 keys  45 → 70  +800 B',
        'CRITICAL quota        fullest member n1 at 85% of 100 B',
        '    n1  db 85 B  in use 42 B  quota 100 B  85%  alarms NOSPACE',
        '    CRITICAL: alarm NOSPACE raised on member n1',
        '    WARNING: member n1 uses 85 B of 100 B (85%), above 80%: compact and defragment, or raise the quota',
      ],
    },
    {
      // etcd3 hands the hash over as a number: the text view once crashed on it exactly when a member was down.
      name: 'a member down, hashes as etcd3 gives them',
      report: report(Severity.CRITICAL, {
        consistency: judgeConsistency(77, [
          { ...hash('n1', '5'), hash: 5 as unknown as string },
          { member: 'n2', endpoint: 'https://n2:2379', hash: null, compactRevision: null, error: 'connect ECONNREFUSED' },
          { ...hash('n3', '5'), hash: 5 as unknown as string },
        ]),
      }),
      text: [
        'inspect: CRITICAL at revision 77 (3 members: n1, n2, n3)',
        'CRITICAL consistency  2 of 3 members agree on hash 5 at revision 77',
        '    n1  5  compacted at 1',
        '    n2  -  -               connect ECONNREFUSED',
        '    n3  5  compacted at 1',
        '    CRITICAL: member n2 did not give its hash: connect ECONNREFUSED',
      ],
    },
    {
      name: 'a check that could not run',
      report: report(Severity.ERROR, { 'big-values': failedCheck('no etcd endpoint answered') }),
      text: ['inspect: ERROR at revision 77 (3 members: n1, n2, n3)', 'ERROR    big-values  could not run: no etcd endpoint answered'],
    },
  ];
  for (const row of table) it(row.name, () => strictEqual(renderText(row.report), `${row.text.join('\n')}\n`));

  it('shows a key holding control characters escaped: no forged line, no terminal escape', () => {
    const forged = '/x\nOK       consistency  forged\u001b]52;c;Y3VybCB4fHNo\u0007\u001b[2J';
    const text = renderText(report(Severity.WARNING, { 'big-values': judgeBigValues({ thresholdBytes: 10, count: 1, largest: [{ key: forged, bytes: 20 }] }) }));
    ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(text), JSON.stringify(text));
    strictEqual(text.split('\n').filter((l) => l.startsWith('OK')).length, 0, text);
    ok(text.includes('/x\\nOK       consistency  forged\\x1b]52;c;Y3VybCB4fHNo\\x07\\x1b[2J'), text);
  });
});
