// The etcdctl a control node without one uses: the release tarball's etcdctl, taken only when the tarball
// matches its SHA256SUMS line, cached whole; served here by a local HTTP server (127.0.0.1).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedEtcdctl, checksumFor, etcdctlOnPath, releaseSource } from '../../src/etcd/etcdctl-binary.js';

describe('etcdctl of the release the cluster runs', () => {
  let work: string;
  let server: Server;
  let base: string;
  let sums: string;
  const files = new Map<string, Buffer>();
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'etcdctl-binary-'));
    const release = join(work, 'etcd-v9.9.9-linux-amd64');
    mkdirSync(release);
    writeFileSync(join(release, 'etcdctl'), '#!/bin/sh\necho "etcdctl version: 9.9.9"\n');
    chmodSync(join(release, 'etcdctl'), 0o755);
    execFileSync('tar', ['-czf', join(work, 'etcd-v9.9.9-linux-amd64.tar.gz'), '-C', work, 'etcd-v9.9.9-linux-amd64']);
    const tarball = readFileSync(join(work, 'etcd-v9.9.9-linux-amd64.tar.gz'));
    files.set('/v9.9.9/etcd-v9.9.9-linux-amd64.tar.gz', tarball);
    sums = `${createHash('sha256').update(tarball).digest('hex')}  etcd-v9.9.9-linux-amd64.tar.gz\n`;
    files.set('/SHA256SUMS', Buffer.from(sums));
    files.set('/BADSUMS', Buffer.from(`${'0'.repeat(64)}  etcd-v9.9.9-linux-amd64.tar.gz\n`));
    server = createServer((req, res) => {
      const body = files.get(req.url ?? '');
      res.writeHead(body ? 200 : 404).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('names the release tarball and its checksums: etcd\'s releases by default, or the inventory\'s mirror', () => {
    assert.deepStrictEqual(releaseSource('3.5.30', undefined, undefined), {
      version: '3.5.30',
      tarballUrl: 'https://github.com/etcd-io/etcd/releases/download/v3.5.30/etcd-v3.5.30-linux-amd64.tar.gz',
      checksumsUrl: 'https://github.com/etcd-io/etcd/releases/download/v3.5.30/SHA256SUMS',
    });
    assert.equal(releaseSource('3.5.30', 'http://10.213.0.1:8080/', 'http://10.213.0.1:8080/SHA256SUMS').tarballUrl, 'http://10.213.0.1:8080/v3.5.30/etcd-v3.5.30-linux-amd64.tar.gz');
  });

  it('reads a checksum line, in either sha256sum mode', () => {
    const hash = 'a'.repeat(64);
    assert.equal(checksumFor(`${hash}  x.tar.gz\n`, 'x.tar.gz'), hash);
    assert.equal(checksumFor(`${hash} *dist/x.tar.gz\n`, 'x.tar.gz'), hash);
    assert.equal(checksumFor(`${hash}  y.tar.gz\n`, 'x.tar.gz'), undefined);
  });

  it('finds etcdctl on the PATH only where it is executable', async () => {
    const dir = join(work, 'bin');
    mkdirSync(dir);
    writeFileSync(join(dir, 'etcdctl'), 'not a program\n', { mode: 0o644 });
    assert.equal(await etcdctlOnPath(`${work}:${dir}`), undefined);
    chmodSync(join(dir, 'etcdctl'), 0o755);
    assert.equal(await etcdctlOnPath(`${work}:${dir}`), join(dir, 'etcdctl'));
  });

  it('refuses a tarball that does not match its checksum, caching nothing', async () => {
    const cache = join(work, 'cache-bad');
    await assert.rejects(cachedEtcdctl({ version: '9.9.9', tarballUrl: `${base}/v9.9.9/etcd-v9.9.9-linux-amd64.tar.gz`, checksumsUrl: `${base}/BADSUMS` }, cache), /has sha256 [0-9a-f]{64}, but .*BADSUMS says 0{64}: not using it/);
    assert.equal(existsSync(join(cache, 'etcdctl', 'v9.9.9', 'etcdctl')), false);
  });

  it('takes the etcdctl out of a checked tarball and caches it; the next call uses the cache', async () => {
    const cache = join(work, 'cache');
    const source = { version: '9.9.9', tarballUrl: `${base}/v9.9.9/etcd-v9.9.9-linux-amd64.tar.gz`, checksumsUrl: `${base}/SHA256SUMS` };
    const binary = await cachedEtcdctl(source, cache);
    assert.equal(binary, join(cache, 'etcdctl', 'v9.9.9', 'etcdctl'));
    assert.equal(execFileSync(binary).toString(), 'etcdctl version: 9.9.9\n');
    files.delete('/SHA256SUMS');
    assert.equal(await cachedEtcdctl(source, cache), binary);
    files.set('/SHA256SUMS', Buffer.from(sums));
  });
});
