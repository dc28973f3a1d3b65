// Table-driven: etcd_certificates' parser of the one remote read (`### NAME OWNER:GROUP:MODE` then the
// file), and its plan for files that are missing, unreadable or trusted from another CA.
import assert from 'node:assert/strict';
import { parseRemoteFiles, planCertificates, type EtcdCertificatesFacts, type RemotePemFile } from '../../src/modules/etcd-certificates.js';
import { ChangeAction } from '../../src/plan/change.js';
import { etcdContext } from './etcd-fixtures.js';

const A = ChangeAction;
const PEM = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';

describe('etcd_certificates: parseRemoteFiles', () => {
  const rows: { readonly title: string; readonly stdout: string; readonly expected: Record<string, RemotePemFile> }[] = [
    { title: 'nothing printed', stdout: '', expected: {} },
    { title: 'a missing file', stdout: '### ca.crt -\n', expected: { 'ca.crt': {} } },
    { title: 'a present file, trailing blank lines trimmed', stdout: `### ca.crt etcd:etcd:644\n${PEM}\n\n`, expected: { 'ca.crt': { attributes: 'etcd:etcd:644', content: PEM } } },
    {
      title: 'several files in a row',
      stdout: `### server.crt root:etcd:644\n${PEM}\n### server.key -\n### peer.key etcd:etcd:600\nKEY\n`,
      expected: { 'server.crt': { attributes: 'root:etcd:644', content: PEM }, 'server.key': {}, 'peer.key': { attributes: 'etcd:etcd:600', content: 'KEY\n' } },
    },
  ];
  for (const row of rows) it(row.title, () => assert.deepStrictEqual(parseRemoteFiles(row.stdout), row.expected));
});

describe('etcd_certificates: planCertificates without valid certificates', () => {
  const none = (names: string[]) => Object.fromEntries(names.map((n) => [n, {}]));
  const all = ['ca.crt', 'server.crt', 'server.key', 'peer.crt', 'peer.key', 'backup.crt', 'backup.key'];
  const rows: {
    readonly title: string;
    readonly facts: EtcdCertificatesFacts;
    /** [action, target, reason pattern] per change, in order. */
    readonly changes: readonly [ChangeAction, string, RegExp][];
  }[] = [
    {
      title: 'no CA yet: the CA, then every file',
      facts: { files: none(all), now: '2024-06-01T00:00:00Z' },
      changes: [
        [A.CREATE, '/pki/.etcdops/ca.crt (control node)', /no cluster CA yet/],
        [A.CREATE, '/etc/etcd/pki/ca.crt', /^missing$/],
        [A.CREATE, '/etc/etcd/pki/peer-ca.crt', /^missing$/],
        [A.CREATE, '/etc/etcd/pki/server.crt', /server certificate n1: missing \(no CA yet\)/],
        [A.CREATE, '/etc/etcd/pki/server.key', /new key/],
        [A.CREATE, '/etc/etcd/pki/peer.crt', /peer certificate n1/],
        [A.CREATE, '/etc/etcd/pki/peer.key', /new key/],
        [A.CREATE, '/etc/etcd/pki/backup.crt', /client certificate backup/],
        [A.CREATE, '/etc/etcd/pki/backup.key', /new key/],
      ],
    },
    {
      title: 'the host trusts another CA and its certificates are unreadable',
      facts: {
        caPem: PEM,
        files: { ...none(all), 'ca.crt': { attributes: 'etcd:etcd:644', content: 'other\n' }, 'server.crt': { attributes: 'etcd:etcd:644', content: 'junk\n' }, 'server.key': { attributes: 'etcd:etcd:600', content: 'k\n' }, 'peer.crt': { attributes: 'etcd:etcd:644', content: PEM } },
        now: '2024-06-01T00:00:00Z',
      },
      changes: [
        [A.CREATE, '/pki/.etcdops/peer-ca.crt (control node)', /no peer CA yet/],
        [A.REPLACE, '/etc/etcd/pki/ca.crt', /the host trusts another CA \(an unreadable certificate\)/],
        [A.CREATE, '/etc/etcd/pki/peer-ca.crt', /^missing$/],
        [A.REPLACE, '/etc/etcd/pki/server.crt', /server certificate n1: not a readable certificate/],
        [A.REPLACE, '/etc/etcd/pki/server.key', /new key/],
        [A.REPLACE, '/etc/etcd/pki/peer.crt', /peer certificate n1: its key is missing/],
        [A.REPLACE, '/etc/etcd/pki/peer.key', /new key/],
        [A.CREATE, '/etc/etcd/pki/backup.crt', /client certificate backup: missing$/],
        [A.CREATE, '/etc/etcd/pki/backup.key', /new key/],
      ],
    },
  ];
  for (const row of rows) {
    it(row.title, () => {
      const plan = planCertificates({ local_pki_dir: '/pki/.etcdops' }, row.facts, etcdContext(['n1']));
      assert.deepStrictEqual(
        plan.changes.map((c) => [c.action, c.target]),
        row.changes.map(([action, target]) => [action, target]),
      );
      row.changes.forEach(([, , reason], i) => assert.match(plan.changes[i]!.reason, reason));
    });
  }
});
