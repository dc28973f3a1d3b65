// The extensions read from a certificate's DER, on certificates openssl makes (RSA, EC, Ed25519 keys; SANs,
// extended key usages, key identifiers) with openssl's own reading as the judge; and DER that lies about
// its lengths is refused with an error, never read past its end.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readCertificateExtensions } from '../../../src/etcd/pki/certificate-extensions.js';

const run = promisify(execFile);

/** The key identifier openssl reads from the certificate, as lower-case hex without colons. */
async function opensslKeyId(path: string, extension: 'subjectKeyIdentifier' | 'authorityKeyIdentifier'): Promise<string> {
  const { stdout } = await run('openssl', ['x509', '-in', path, '-noout', '-ext', extension]);
  return /([0-9A-F]{2}(?::[0-9A-F]{2})+)/.exec(stdout)![1]!.replaceAll(':', '').toLowerCase();
}

describe('readCertificateExtensions', function () {
  this.timeout(30_000);
  let dir: string;
  const path = (name: string) => join(dir, name);
  const der = async (name: string) => new X509Certificate(await readFile(path(name))).raw;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'etcdops-cert-ext-'));
    const selfSigned = (key: string[], name: string, extensions: string[]) =>
      run('openssl', ['req', '-x509', '-newkey', ...key, '-nodes', '-keyout', path(`${name}.key`), '-out', path(`${name}.pem`), '-days', '2', '-subj', `/CN=${name}`, ...extensions.flatMap((e) => ['-addext', e])]);
    await selfSigned(['ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], 'ca', []);
    await selfSigned(['rsa:2048'], 'rsa', ['subjectAltName=DNS:a.example,IP:10.0.0.1,IP:fd00:0::1,DNS:b', 'extendedKeyUsage=serverAuth,clientAuth']);
    await selfSigned(['ed25519'], 'ed', ['subjectAltName=IP:::1']);
    await run('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384', '-nodes', '-keyout', path('leaf.key'), '-out', path('leaf.csr'), '-subj', '/CN=leaf']);
    await writeFile(path('leaf.cnf'), 'subjectAltName=DNS:leaf,IP:127.0.0.1\nextendedKeyUsage=clientAuth,1.2.3.4.5\nauthorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\nbasicConstraints=critical,CA:FALSE\n');
    await run('openssl', ['x509', '-req', '-in', path('leaf.csr'), '-CA', path('ca.pem'), '-CAkey', path('ca.key'), '-CAcreateserial', '-out', path('leaf.pem'), '-days', '2', '-extfile', path('leaf.cnf')]);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('RSA key: DNS and IP names in order, IPv6 in its canonical spelling, both TLS usages', async () => {
    const read = readCertificateExtensions(await der('rsa.pem'));
    assert.deepEqual(read.dnsNames, ['a.example', 'b']);
    assert.deepEqual(read.ipAddresses, ['10.0.0.1', 'fd00::1']);
    assert.deepEqual(read.extKeyUsageOids, ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    assert.equal(read.subjectKeyId, await opensslKeyId(path('rsa.pem'), 'subjectKeyIdentifier'));
  });

  it('EC key signed by an EC CA: a critical extension between, an unknown usage kept as its OID, the CA named by key id', async () => {
    const read = readCertificateExtensions(await der('leaf.pem'));
    assert.deepEqual(read.dnsNames, ['leaf']);
    assert.deepEqual(read.ipAddresses, ['127.0.0.1']);
    assert.deepEqual(read.extKeyUsageOids, ['1.3.6.1.5.5.7.3.2', '1.2.3.4.5']);
    assert.equal(read.subjectKeyId, await opensslKeyId(path('leaf.pem'), 'subjectKeyIdentifier'));
    assert.equal(read.authorityKeyId, await opensslKeyId(path('ca.pem'), 'subjectKeyIdentifier'));
    assert.equal(readCertificateExtensions(await der('ca.pem')).subjectKeyId, read.authorityKeyId);
  });

  it('Ed25519 key: an IPv6 loopback name, no usages', async () => {
    const read = readCertificateExtensions(await der('ed.pem'));
    assert.deepEqual({ ...read, subjectKeyId: undefined, authorityKeyId: undefined }, { dnsNames: [], ipAddresses: ['::1'], extKeyUsageOids: [], subjectKeyId: undefined, authorityKeyId: undefined });
  });

  it('refuses DER whose lengths lie, at every cut and with a length past its container', async () => {
    const good = await der('leaf.pem');
    for (let cut = 0; cut < good.length; cut += 7) {
      assert.throws(() => readCertificateExtensions(good.subarray(0, cut)), Error, `cut at ${cut}`);
    }
    const longer = Uint8Array.from(good);
    // The certificate's outer length, 2 bytes long (0x82): claim one more byte than there is.
    assert.equal(longer[1], 0x82);
    longer[3] = longer[3]! + 1;
    assert.throws(() => readCertificateExtensions(longer), /runs past its container/);
    assert.throws(() => readCertificateExtensions(Uint8Array.from([0x30, 0x85, 1, 1, 1, 1, 1])), /bad length/);
  });
});
