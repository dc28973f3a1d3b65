// Table tests of the keep/re-issue decision for a certificate found on a host.
import assert from 'node:assert/strict';
import { CertificateProblem, certificateVerdict, type WantedCertificate } from '../../../src/etcd/pki/certificate-verdict.js';
import type { CertificateInspection } from '../../../src/etcd/pki/inspect-certificate.js';

const NOW = new Date('2030-06-01T00:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const inDays = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();

const GOOD: CertificateInspection = {
  subject: 'CN=etcd1',
  issuer: 'CN=cluster CA',
  serialNumber: '01',
  fingerprint256: 'AA',
  notBefore: inDays(-100),
  notAfter: inDays(265),
  dnsNames: ['etcd1', 'localhost'],
  ipAddresses: ['10.213.0.11', '127.0.0.1'],
  extKeyUsage: ['serverAuth', 'clientAuth'],
  signedByCa: true,
  issuerMatchesCa: true,
  keyMatches: true,
};
const PEER: WantedCertificate = { kind: 'peer', dnsNames: ['localhost', 'etcd1'], ipAddresses: ['127.0.0.1', '10.213.0.11'] };

interface Row {
  readonly name: string;
  readonly inspection: Partial<CertificateInspection>;
  readonly wanted?: Partial<WantedCertificate>;
  readonly renewBeforeDays?: number;
  readonly action: 'keep' | 'reissue';
  readonly problem: CertificateProblem;
  /** A fragment the reason must contain, so the user is told what is wrong. */
  readonly reason: RegExp;
}

const ROWS: readonly Row[] = [
  { name: 'valid and as wanted (order of SANs irrelevant)', inspection: {}, action: 'keep', problem: CertificateProblem.NONE, reason: /valid until 2031-02-21/ },
  { name: 'key not checked (null) is not a mismatch', inspection: { keyMatches: null }, action: 'keep', problem: CertificateProblem.NONE, reason: /valid/ },
  { name: 'DNS names compare case-insensitively', inspection: { dnsNames: ['ETCD1', 'localhost'] }, action: 'keep', problem: CertificateProblem.NONE, reason: /valid/ },
  { name: 'IPv6 spelled differently is the same address', inspection: { ipAddresses: ['10.213.0.11', '127.0.0.1', '::1'] }, wanted: { ipAddresses: ['127.0.0.1', '10.213.0.11', '0:0:0:0:0:0:0:1'] }, action: 'keep', problem: CertificateProblem.NONE, reason: /valid/ },
  { name: 'another CA issued it', inspection: { issuerMatchesCa: false, signedByCa: false, issuer: 'CN=rogue CA' }, action: 'reissue', problem: CertificateProblem.FOREIGN_CA, reason: /another CA \(CN=rogue CA\)/ },
  { name: 'names our CA but signature fails: tampered', inspection: { signedByCa: false }, action: 'reissue', problem: CertificateProblem.TAMPERED, reason: /altered/ },
  { name: 'foreign CA wins over expiry (security first)', inspection: { issuerMatchesCa: false, signedByCa: false, notAfter: inDays(-3) }, action: 'reissue', problem: CertificateProblem.FOREIGN_CA, reason: /another CA/ },
  { name: 'key beside it is not its key', inspection: { keyMatches: false }, action: 'reissue', problem: CertificateProblem.KEY_MISMATCH, reason: /key/ },
  { name: 'already expired', inspection: { notAfter: inDays(-1) }, action: 'reissue', problem: CertificateProblem.EXPIRED, reason: /expired on 2030-05-31/ },
  { name: 'expires exactly now counts as expired', inspection: { notAfter: NOW.toISOString() }, action: 'reissue', problem: CertificateProblem.EXPIRED, reason: /expired/ },
  { name: 'expires within the default 30 days', inspection: { notAfter: inDays(29) }, action: 'reissue', problem: CertificateProblem.EXPIRES_SOON, reason: /in 29 days, renewal threshold 30 days/ },
  { name: 'expires in 31 days: kept', inspection: { notAfter: inDays(31) }, action: 'keep', problem: CertificateProblem.NONE, reason: /valid/ },
  { name: 'custom threshold of 60 days', inspection: { notAfter: inDays(45) }, renewBeforeDays: 60, action: 'reissue', problem: CertificateProblem.EXPIRES_SOON, reason: /threshold 60 days/ },
  { name: 'server usage on a peer certificate', inspection: { extKeyUsage: ['serverAuth'] }, action: 'reissue', problem: CertificateProblem.WRONG_USAGE, reason: /needs \[serverAuth, clientAuth\]/ },
  { name: 'a server certificate without clientAuth (etcd 3.5 gateway needs it)', inspection: { extKeyUsage: ['serverAuth'] }, wanted: { kind: 'server' }, action: 'reissue', problem: CertificateProblem.WRONG_USAGE, reason: /server certificate needs \[serverAuth, clientAuth\]/ },
  { name: 'extra usage on a client certificate', inspection: { extKeyUsage: ['clientAuth', 'serverAuth'], dnsNames: [], ipAddresses: [] }, wanted: { kind: 'client', dnsNames: [], ipAddresses: [] }, action: 'reissue', problem: CertificateProblem.WRONG_USAGE, reason: /client certificate/ },
  { name: 'a hostname was added to the member', inspection: {}, wanted: { dnsNames: ['localhost', 'etcd1', 'etcd1.lab'] }, action: 'reissue', problem: CertificateProblem.SANS_CHANGED, reason: /DNS names: missing etcd1\.lab/ },
  { name: 'the member moved to a new address', inspection: {}, wanted: { ipAddresses: ['127.0.0.1', '10.213.0.21'] }, action: 'reissue', problem: CertificateProblem.SANS_CHANGED, reason: /missing 10\.213\.0\.21; no longer wanted 10\.213\.0\.11/ },
  { name: 'client CN differs from the wanted user', inspection: { subject: 'CN=backup', extKeyUsage: ['clientAuth'], dnsNames: [], ipAddresses: [] }, wanted: { kind: 'client', dnsNames: [], ipAddresses: [], commonName: 'admin' }, action: 'reissue', problem: CertificateProblem.SUBJECT_CHANGED, reason: /wanted CN=admin/ },
];

describe('certificateVerdict', () => {
  for (const row of ROWS) {
    it(row.name, () => {
      const verdict = certificateVerdict(
        { ...GOOD, ...row.inspection },
        { ...PEER, ...row.wanted },
        { now: NOW, renewBeforeDays: row.renewBeforeDays },
      );
      assert.equal(verdict.action, row.action);
      assert.equal(verdict.problem, row.problem);
      assert.match(verdict.reason, row.reason);
    });
  }
});
