import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { judgeCertificates, type CertificateExpiry } from '../../src/inspect/certificate-expiry.js';
import { Severity } from '../../src/inspect/severity.js';

const DAY = 86_400;
const cert = (member: string, certificate: 'server' | 'peer' | 'client', days: number | null): CertificateExpiry => ({
  member,
  certificate,
  source: `https://${member}:2379`,
  notAfter: days === null ? null : 'T',
  expiresInSeconds: days === null ? null : days * DAY + 60,
  error: days === null ? 'connect ECONNREFUSED' : null,
});

describe('judgeCertificates', () => {
  const table: { name: string; certs: CertificateExpiry[]; severity: Severity; findings: (string | undefined)[][] }[] = [
    { name: 'a year left everywhere', certs: [cert('n1', 'server', 364), cert('n1', 'peer', 364), cert('control', 'client', 300)], severity: Severity.OK, findings: [] },
    { name: 'within the warning days', certs: [cert('n1', 'peer', 20)], severity: Severity.WARNING, findings: [[Severity.WARNING, 'n1', 'peer certificate of n1 expires in 20 days (T), within 30: plan its renewal']] },
    { name: 'within a week', certs: [cert('control', 'client', 3)], severity: Severity.CRITICAL, findings: [[Severity.CRITICAL, 'control', 'client certificate of control expires in 3 days (T): renew it now']] },
    { name: 'expired', certs: [cert('n2', 'server', -2)], severity: Severity.CRITICAL, findings: [[Severity.CRITICAL, 'n2', 'server certificate of n2 expired on T: renew it now (site.yml reissues member certificates)']] },
    { name: 'unreadable', certs: [cert('n3', 'server', null)], severity: Severity.WARNING, findings: [[Severity.WARNING, 'n3', 'server certificate of n3 could not be read from https://n3:2379: connect ECONNREFUSED']] },
  ];
  for (const row of table) {
    it(row.name, () => {
      const report = judgeCertificates(row.certs, 30);
      strictEqual(report.severity, row.severity);
      deepStrictEqual(report.findings.map((f) => [f.severity, f.member, f.message]), row.findings);
    });
  }
});
