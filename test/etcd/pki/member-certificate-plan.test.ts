// Table test of the pure certificate planner: which certificates of the cluster to create, keep or re-issue.
import assert from 'node:assert/strict';
import type { CertificateInspection } from '../../../src/etcd/pki/inspect-certificate.js';
import {
  certificateKey,
  memberSubjectAltNames,
  planMemberCertificates,
  type FoundCertificate,
} from '../../../src/etcd/pki/member-certificate-plan.js';

const NOW = new Date('2030-01-01T00:00:00Z');
const MEMBERS = [
  { name: 'etcd1', addresses: ['10.213.0.11'], hostnames: ['etcd1'] },
  { name: 'etcd2', addresses: ['10.213.0.12'], hostnames: ['etcd2', 'etcd2.lab'] },
];

function present(overrides: Partial<CertificateInspection>): FoundCertificate {
  return {
    state: 'present',
    inspection: {
      subject: 'CN=etcd1',
      issuer: 'CN=CA',
      serialNumber: '01',
      fingerprint256: 'AA',
      notBefore: '2029-06-01T00:00:00.000Z',
      notAfter: '2030-06-01T00:00:00.000Z',
      dnsNames: ['etcd1', 'localhost'],
      ipAddresses: ['10.213.0.11', '127.0.0.1'],
      extKeyUsage: ['serverAuth', 'clientAuth'],
      signedByCa: true,
      issuerMatchesCa: true,
      keyMatches: true,
      ...overrides,
    },
  };
}

describe('planMemberCertificates', () => {
  it('adds localhost and 127.0.0.1 to every member\'s names', () => {
    assert.deepEqual(memberSubjectAltNames(MEMBERS[1]!), {
      dnsNames: ['etcd2', 'etcd2.lab', 'localhost'],
      ipAddresses: ['10.213.0.12', '127.0.0.1'],
    });
  });

  const rows: { name: string; found: Record<string, FoundCertificate>; expect: Record<string, string> }[] = [
    {
      name: 'nothing yet: everything is created',
      found: {},
      expect: { 'etcd1/server': 'create', 'etcd1/peer': 'create', 'etcd2/server': 'create', 'etcd2/peer': 'create', 'admin/client': 'create' },
    },
    {
      name: 'only what changed is re-issued; a valid server cert is kept',
      found: {
        [certificateKey('etcd1', 'server')]: present({}),
        [certificateKey('etcd1', 'peer')]: present({ extKeyUsage: ['serverAuth', 'clientAuth'], notAfter: '2030-01-10T00:00:00.000Z' }),
        [certificateKey('etcd2', 'server')]: present({ subject: 'CN=etcd2', dnsNames: ['etcd2', 'localhost'], ipAddresses: ['10.213.0.12', '127.0.0.1'] }),
        [certificateKey('etcd2', 'peer')]: { state: 'unreadable', error: 'bad PEM' },
        [certificateKey('admin', 'client')]: present({ subject: 'CN=admin', dnsNames: [], ipAddresses: [], extKeyUsage: ['clientAuth'] }),
      },
      expect: { 'etcd1/server': 'keep', 'etcd1/peer': 'reissue', 'etcd2/server': 'reissue', 'etcd2/peer': 'reissue', 'admin/client': 'keep' },
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const plan = planMemberCertificates({ members: MEMBERS, clients: ['admin'], found: row.found, now: NOW });
      assert.deepEqual(Object.fromEntries(plan.map((p) => [certificateKey(p.owner, p.kind), p.action])), row.expect);
    });
  }

  it('says why: expiry for etcd1 peer, the new hostname for etcd2 server', () => {
    const plan = planMemberCertificates({ members: MEMBERS, clients: [], found: rows[1]!.found, now: NOW });
    const why = (key: string) => plan.find((p) => certificateKey(p.owner, p.kind) === key)!;
    assert.equal(why('etcd1/peer').problem, 'EXPIRES_SOON');
    assert.equal(why('etcd2/server').problem, 'SANS_CHANGED');
    assert.match(why('etcd2/server').reason, /missing etcd2\.lab/);
    assert.equal(why('etcd2/peer').problem, 'UNREADABLE');
  });
});
