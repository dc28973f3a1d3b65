// The peer CA on real keys: openssl judges which certificates a member trusting only the peer CA accepts
// (peers, never client or server certificates), and that members still trusting the cluster CA accept the
// new peer certificates through their chain; etcd_certificates re-issues a peer certificate of the cluster CA.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureCa, type CertificateAuthority } from '../../../src/etcd/pki/certificate-authority.js';
import { issueCertificate } from '../../../src/etcd/pki/issue-certificate.js';
import { ensurePeerCa, type PeerCertificateAuthority } from '../../../src/etcd/pki/peer-certificate-authority.js';
import { planCertificates } from '../../../src/modules/etcd-certificates.js';
import { UserError } from '../../../src/errors/user-error.js';
import { etcdContext } from '../../modules/etcd-fixtures.js';

const run = promisify(execFile);
const NAMES = { dnsNames: ['n1', 'localhost'], ipAddresses: ['10.0.0.1', '127.0.0.1'] };

describe('peer CA', function () {
  this.timeout(30000);
  let dir: string;
  let ca: CertificateAuthority;
  let peerCa: PeerCertificateAuthority;

  /** openssl verify as a TLS peer would: `trusted` are the roots, the rest of `pem` the chain sent with it. */
  async function accepted(trusted: string, pem: string): Promise<boolean> {
    const [leaf, ...chain] = pem.split(/(?<=-----END CERTIFICATE-----)\n?/).filter((p) => p.includes('BEGIN'));
    const name = Math.random().toString(36).slice(2);
    const paths = { trusted: join(dir, `${name}.roots`), leaf: join(dir, `${name}.leaf`), chain: join(dir, `${name}.chain`) };
    await Promise.all([writeFile(paths.trusted, trusted), writeFile(paths.leaf, `${leaf}\n`), writeFile(paths.chain, `${chain.join('\n')}\n`)]);
    // -partial_chain: like Go, a trusted intermediate is an anchor of its own.
    const args = ['verify', '-partial_chain', '-purpose', 'sslclient', '-CAfile', paths.trusted, ...(chain.length ? ['-untrusted', paths.chain] : []), paths.leaf];
    return run('openssl', args).then(() => true, () => false);
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'etcdops-peer-ca-'));
    ca = await ensureCa(join(dir, 'pki'), { commonName: 'etcd cluster CA' });
    peerCa = await ensurePeerCa(join(dir, 'pki'), ca);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('is created once, its key 0600, and loaded again unchanged', async () => {
    assert.equal(peerCa.created, true);
    assert.equal((await stat(join(dir, 'pki', 'peer-ca.key'))).mode & 0o777, 0o600);
    const again = await ensurePeerCa(join(dir, 'pki'), ca);
    assert.equal(again.created, false);
    assert.equal(again.certPem, peerCa.certPem);
  });

  it('the peer port (trusting the peer CA only) accepts a peer certificate with its chain, not client or server certificates', async () => {
    const peerLeaf = await issueCertificate(peerCa, { commonName: 'n1', kind: 'peer', ...NAMES });
    const peerFile = `${peerLeaf.certPem.trim()}\n${peerCa.certPem.trim()}\n`;
    const client = await issueCertificate(ca, { commonName: 'backup', kind: 'client' });
    const server = await issueCertificate(ca, { commonName: 'n1', kind: 'server', ...NAMES });
    const oldPeer = await issueCertificate(ca, { commonName: 'n1', kind: 'peer', ...NAMES });
    assert.equal(await accepted(peerCa.certPem, peerFile), true, 'peer certificate of the peer CA');
    assert.equal(await accepted(peerCa.certPem, client.certPem), false, 'client certificate');
    assert.equal(await accepted(peerCa.certPem, server.certPem), false, 'server certificate');
    assert.equal(await accepted(peerCa.certPem, oldPeer.certPem), false, 'peer certificate of the cluster CA');
    // During the rolling restart members not yet restarted trust the cluster CA: they must accept the new one.
    assert.equal(await accepted(ca.certPem, peerFile), true, 'new peer certificate, member still trusting the cluster CA');
  });

  it('refuses a peer CA that another cluster CA issued', async () => {
    const other = await ensureCa(join(dir, 'other'), { commonName: 'another CA' });
    await assert.rejects(ensurePeerCa(join(dir, 'pki'), other), (e: unknown) => e instanceof UserError && /not issued by this cluster's CA/.test(e.message));
  });

  describe('etcd_certificates plans the move of peer certificates to the peer CA', () => {
    const now = new Date().toISOString();
    const file = (content: string, mode = '644') => ({ attributes: `etcd:etcd:${mode}`, content });
    async function factsWith(peer: { certPem: string; keyPem: string }, peerCaPem: string | undefined) {
      const server = await issueCertificate(ca, { commonName: 'n1', kind: 'server', ...NAMES });
      const backup = await issueCertificate(ca, { commonName: 'backup', kind: 'client' });
      return {
        caPem: ca.certPem,
        peerCaPem,
        now,
        files: {
          'ca.crt': file(ca.certPem),
          'peer-ca.crt': peerCaPem === undefined ? {} : file(peerCaPem),
          'server.crt': file(server.certPem),
          'server.key': file(server.keyPem, '600'),
          'peer.crt': file(peer.certPem),
          'peer.key': file(peer.keyPem, '600'),
          'backup.crt': file(backup.certPem),
          'backup.key': file(backup.keyPem, '600'),
        },
      };
    }
    const peerChanges = (facts: Parameters<typeof planCertificates>[1]) =>
      planCertificates({}, facts, etcdContext(['n1'])).changes.filter((c) => c.target.includes('peer')).map((c) => `${c.action} ${c.target}: ${c.reason}`);

    const rows: { title: string; issuer: 'cluster' | 'peer' | 'peer-without-chain'; peerCaKnown: boolean; expected: RegExp[] }[] = [
      {
        title: 'a cluster from before the peer CA: the peer CA is created and the peer certificate re-issued',
        issuer: 'cluster',
        peerCaKnown: false,
        expected: [/^CREATE .*peer-ca.crt \(control node\): no peer CA yet/, /^CREATE \/etc\/etcd\/pki\/peer-ca.crt: missing/, /^REPLACE \/etc\/etcd\/pki\/peer.crt: .*re-issued by a peer CA/, /^REPLACE \/etc\/etcd\/pki\/peer.key/],
      },
      {
        title: 'a peer certificate of the cluster CA while the peer CA exists: re-issued',
        issuer: 'cluster',
        peerCaKnown: true,
        expected: [/^REPLACE \/etc\/etcd\/pki\/peer.crt: .*not issued by the peer CA/, /^REPLACE \/etc\/etcd\/pki\/peer.key/],
      },
      { title: 'a peer certificate of the peer CA without its chain: re-issued', issuer: 'peer-without-chain', peerCaKnown: true, expected: [/^REPLACE \/etc\/etcd\/pki\/peer.crt: .*missing from its chain/, /^REPLACE \/etc\/etcd\/pki\/peer.key/] },
      { title: 'a peer certificate of the peer CA with its chain: kept', issuer: 'peer', peerCaKnown: true, expected: [] },
    ];
    for (const row of rows) {
      it(row.title, async () => {
        const leaf = await issueCertificate(row.issuer === 'cluster' ? ca : peerCa, { commonName: 'n1', kind: 'peer', ...NAMES });
        const pem = row.issuer === 'peer' ? `${leaf.certPem.trim()}\n${peerCa.certPem.trim()}\n` : leaf.certPem;
        const changes = peerChanges(await factsWith({ certPem: pem, keyPem: leaf.keyPem }, row.peerCaKnown ? peerCa.certPem : undefined));
        assert.equal(changes.length, row.expected.length, changes.join('\n'));
        row.expected.forEach((pattern, i) => assert.match(changes[i]!, pattern));
      });
    }
  });
});
