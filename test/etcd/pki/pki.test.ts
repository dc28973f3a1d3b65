// The PKI on real keys and certificates, with openssl as an independent judge of what was issued.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureCa, type CertificateAuthority } from '../../../src/etcd/pki/certificate-authority.js';
import { CertificateProblem, certificateVerdict } from '../../../src/etcd/pki/certificate-verdict.js';
import { inspectCertificate } from '../../../src/etcd/pki/inspect-certificate.js';
import { issueCertificate, type IssuedCertificate } from '../../../src/etcd/pki/issue-certificate.js';
import { UserError } from '../../../src/errors/user-error.js';

const run = promisify(execFile);

/** openssl's verdict on a certificate: exit status and its words. */
async function opensslVerify(caPath: string, cert: string, purpose: 'sslserver' | 'sslclient', dir: string) {
  const file = join(dir, `verify-${Math.random().toString(36).slice(2)}.pem`);
  await writeFile(file, cert);
  try {
    const { stdout } = await run('openssl', ['verify', '-CAfile', caPath, '-purpose', purpose, file]);
    return { ok: true, output: stdout };
  } catch (error) {
    const e = error as { stdout: string; stderr: string };
    return { ok: false, output: `${e.stdout}${e.stderr}` };
  }
}

const MEMBER_NAMES = { dnsNames: ['etcd1', 'etcd1.lab', 'localhost'], ipAddresses: ['10.213.0.11', '127.0.0.1'] };

describe('PKI', function () {
  this.timeout(30000);
  let dir: string;
  let ca: CertificateAuthority;
  let server: IssuedCertificate;
  let peer: IssuedCertificate;
  let client: IssuedCertificate;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'etcdops-pki-'));
    ca = await ensureCa(join(dir, 'pki'), { commonName: 'etcd cluster CA' });
    [server, peer, client] = await Promise.all([
      issueCertificate(ca, { commonName: 'etcd1', kind: 'server', ...MEMBER_NAMES }),
      issueCertificate(ca, { commonName: 'etcd1', kind: 'peer', ...MEMBER_NAMES }),
      issueCertificate(ca, { commonName: 'admin', kind: 'client' }),
    ]);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('ensureCa', () => {
    it('creates a CA whose key is 0600 in a 0700 folder', async () => {
      assert.equal(ca.created, true);
      assert.equal((await stat(ca.keyPath)).mode & 0o777, 0o600);
      assert.equal((await stat(join(dir, 'pki'))).mode & 0o777, 0o700);
      const cert = new X509Certificate(await readFile(ca.certPath, 'utf8'));
      assert.equal(cert.ca, true);
      assert.equal(cert.subject, 'CN=etcd cluster CA');
      const { stdout } = await run('openssl', ['x509', '-in', ca.certPath, '-noout', '-ext', 'basicConstraints,keyUsage']);
      assert.match(stdout, /CA:TRUE/);
      assert.match(stdout, /Certificate Sign/);
    });

    it('reuses the existing CA instead of creating another', async () => {
      const again = await ensureCa(join(dir, 'pki'), { commonName: 'ignored when reusing' });
      assert.equal(again.created, false);
      assert.equal(again.certPem, ca.certPem);
      assert.equal(again.keyPem, ca.keyPem);
    });

    it('narrows a key file that became readable by others back to 0600', async () => {
      await chmod(ca.keyPath, 0o644);
      const again = await ensureCa(join(dir, 'pki'), { commonName: 'x' });
      assert.equal(again.keyModeTightened, true);
      assert.equal((await stat(ca.keyPath)).mode & 0o777, 0o600);
    });

    it('refuses a half CA (certificate without key) rather than replacing it', async () => {
      const half = join(dir, 'half');
      await ensureCa(half, { commonName: 'half' });
      await rm(join(half, 'ca.key'));
      await assert.rejects(ensureCa(half, { commonName: 'half' }), (error: Error) => {
        assert.ok(error instanceof UserError);
        assert.match(error.message, /incomplete.*ca\.key does not/);
        return true;
      });
    });

    it('round-trips a passphrase-protected CA and refuses a missing or wrong passphrase', async () => {
      const locked = join(dir, 'locked');
      const created = await ensureCa(locked, { commonName: 'locked CA', passphrase: 's3cret' });
      const onDisk = await readFile(created.keyPath, 'utf8');
      assert.match(onDisk, /BEGIN ENCRYPTED PRIVATE KEY/);
      await assert.rejects(run('openssl', ['pkey', '-in', created.keyPath, '-passin', 'pass:wrong', '-noout']));
      await run('openssl', ['pkey', '-in', created.keyPath, '-passin', 'pass:s3cret', '-noout']);
      await assert.rejects(ensureCa(locked, { commonName: 'x' }), /passphrase-protected: give its passphrase/);
      await assert.rejects(ensureCa(locked, { commonName: 'x', passphrase: 'nope' }), /passphrase does not open it/);
      const reopened = await ensureCa(locked, { commonName: 'x', passphrase: 's3cret' });
      assert.equal(reopened.created, false);
      assert.equal(reopened.keyPem, created.keyPem);
      const cert = await issueCertificate(reopened, { commonName: 'backup', kind: 'client' });
      assert.equal((await opensslVerify(created.certPath, cert.certPem, 'sslclient', dir)).ok, true);
    });
  });

  describe('issueCertificate and inspectCertificate', () => {
    const cases = [
      { kind: 'server', usage: ['serverAuth', 'clientAuth'], asServer: true, asClient: true },
      { kind: 'peer', usage: ['serverAuth', 'clientAuth'], asServer: true, asClient: true },
      { kind: 'client', usage: ['clientAuth'], asServer: false, asClient: true },
    ] as const;
    for (const c of cases) {
      it(`a ${c.kind} certificate has usage [${c.usage.join(', ')}] and openssl agrees`, async () => {
        const issued = { server, peer, client }[c.kind];
        const inspection = inspectCertificate(issued.certPem, { ca: ca.certPem, keyPem: issued.keyPem });
        assert.deepEqual(inspection.extKeyUsage, c.usage);
        assert.equal(inspection.signedByCa, true);
        assert.equal(inspection.keyMatches, true);
        assert.equal((await opensslVerify(ca.certPath, issued.certPem, 'sslserver', dir)).ok, c.asServer);
        assert.equal((await opensslVerify(ca.certPath, issued.certPem, 'sslclient', dir)).ok, c.asClient);
      });
    }

    it('member certificates carry every SAN, as openssl reads them', async () => {
      const inspection = inspectCertificate(server.certPem, { ca: ca.certPem });
      assert.deepEqual(inspection.dnsNames, MEMBER_NAMES.dnsNames);
      assert.deepEqual(inspection.ipAddresses, MEMBER_NAMES.ipAddresses);
      assert.equal(inspection.keyMatches, null);
      const file = join(dir, 'server.pem');
      await writeFile(file, server.certPem);
      const { stdout } = await run('openssl', ['x509', '-in', file, '-noout', '-ext', 'subjectAltName']);
      assert.match(stdout, /DNS:etcd1, DNS:etcd1\.lab, DNS:localhost, IP Address:10\.213\.0\.11, IP Address:127\.0\.0\.1/);
      assert.equal(certificateVerdict(inspection, { kind: 'server', ...MEMBER_NAMES }, { now: new Date() }).action, 'keep');
    });

    it('a client certificate has the user as CN and no SANs', () => {
      const inspection = inspectCertificate(client.certPem, { ca: ca.certPem });
      assert.equal(inspection.subject, 'CN=admin');
      assert.deepEqual([...inspection.dnsNames, ...inspection.ipAddresses], []);
    });

    it('lasts validityDays (default 365)', () => {
      const inspection = inspectCertificate(peer.certPem, { ca: ca.certPem });
      const days = (Date.parse(inspection.notAfter) - Date.now()) / 86400000;
      assert.ok(days > 364.9 && days <= 365, `validity ${days} days`);
    });

    it('refuses a member certificate without any name, and a malformed IP', async () => {
      await assert.rejects(issueCertificate(ca, { commonName: 'n', kind: 'peer' }), /at least one DNS name or IP/);
      await assert.rejects(issueCertificate(ca, { commonName: 'n', kind: 'server', ipAddresses: ['10.0.0.300'] }), /not an IP/);
    });
  });

  describe('detection of certificates that must not be trusted as they are', () => {
    it('an already expired certificate is detected (and openssl agrees)', async () => {
      const longAgo = new Date(Date.now() - 400 * 86400000);
      const old = await issueCertificate(ca, { commonName: 'etcd1', kind: 'server', ...MEMBER_NAMES, now: longAgo });
      const inspection = inspectCertificate(old.certPem, { ca: ca.certPem, keyPem: old.keyPem });
      assert.equal(inspection.signedByCa, true);
      const verdict = certificateVerdict(inspection, { kind: 'server', ...MEMBER_NAMES }, { now: new Date() });
      assert.equal(verdict.problem, CertificateProblem.EXPIRED);
      const oracle = await opensslVerify(ca.certPath, old.certPem, 'sslserver', dir);
      assert.equal(oracle.ok, false);
      assert.match(oracle.output, /expired/);
    });

    it('a certificate valid for 10 days is renewed ahead of expiry', async () => {
      const short = await issueCertificate(ca, { commonName: 'etcd1', kind: 'server', ...MEMBER_NAMES, validityDays: 10 });
      const verdict = certificateVerdict(
        inspectCertificate(short.certPem, { ca: ca.certPem }),
        { kind: 'server', ...MEMBER_NAMES },
        { now: new Date() },
      );
      assert.equal(verdict.problem, CertificateProblem.EXPIRES_SOON);
    });

    it('a certificate from a second CA, even one with the same name, is reported as foreign', async () => {
      const rogue = await ensureCa(join(dir, 'rogue'), { commonName: 'etcd cluster CA' });
      const forged = await issueCertificate(rogue, { commonName: 'etcd1', kind: 'server', ...MEMBER_NAMES });
      const inspection = inspectCertificate(forged.certPem, { ca: ca.certPem, keyPem: forged.keyPem });
      assert.equal(inspection.signedByCa, false);
      assert.equal(inspection.issuerMatchesCa, false);
      const verdict = certificateVerdict(inspection, { kind: 'server', ...MEMBER_NAMES }, { now: new Date() });
      assert.equal(verdict.problem, CertificateProblem.FOREIGN_CA);
      assert.match(verdict.reason, /another CA/);
      assert.equal((await opensslVerify(ca.certPath, forged.certPem, 'sslserver', dir)).ok, false);
    });

    it('a certificate altered after issuance is reported as tampered', async () => {
      const der = Buffer.from(new X509Certificate(server.certPem).raw);
      // Rewrite the SAN "etcd1.lab" to "etcd9.lab": still a well-formed certificate, no longer the signed one.
      const at = der.indexOf(Buffer.from('etcd1.lab'));
      assert.ok(at > 0);
      der[at + 4] = '9'.charCodeAt(0);
      const altered = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
      const inspection = inspectCertificate(altered, { ca: ca.certPem, keyPem: server.keyPem });
      assert.deepEqual(inspection.dnsNames, ['etcd1', 'etcd9.lab', 'localhost']);
      assert.equal(inspection.issuerMatchesCa, true);
      assert.equal(inspection.signedByCa, false);
      const verdict = certificateVerdict(inspection, { kind: 'server', ...MEMBER_NAMES }, { now: new Date() });
      assert.equal(verdict.problem, CertificateProblem.TAMPERED);
      const oracle = await opensslVerify(ca.certPath, altered, 'sslserver', dir);
      assert.equal(oracle.ok, false);
      assert.match(oracle.output, /signature failure/);
    });

    it('a key that is not the certificate\'s is a mismatch', () => {
      const inspection = inspectCertificate(server.certPem, { ca: ca.certPem, keyPem: peer.keyPem });
      assert.equal(inspection.keyMatches, false);
      assert.equal(
        certificateVerdict(inspection, { kind: 'server', ...MEMBER_NAMES }, { now: new Date() }).problem,
        CertificateProblem.KEY_MISMATCH,
      );
    });

    it('text that is not a certificate is a UserError', () => {
      assert.throws(() => inspectCertificate('garbage', { ca: ca.certPem }), UserError);
    });
  });
});
