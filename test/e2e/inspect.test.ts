// `etcdops inspect` on a real 3-member cluster built by site.yml: a consistent cluster, the big values
// largest first, exact counts and bytes per prefix read in pages, quota figures per member, and growth
// since a saved baseline shown for the one prefix that grew.
import { deepStrictEqual, match, ok, strictEqual } from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { withAnyEndpoint } from '../../src/etcd/cluster-access.js';
import { etcdops } from './etcdops-cli.js';
import { adminAccess } from './etcd-helpers.js';
import { useLab } from './lab-fixture.js';

const SITE = fileURLToPath(new URL('../../playbooks/site.yml', import.meta.url));
const HOSTS = ['n1', 'n2', 'n3'];
const N3_QUOTA = 4 * 1024 ** 3;

/** What the test writes: prefix (depth 2) → its keys and values. */
function dataset(): Map<string, [string, string][]> {
  const set = (prefix: string, n: number, value: (i: number) => string) =>
    [prefix, Array.from({ length: n }, (_, i) => [`${prefix}k${String(i).padStart(4, '0')}`, value(i)] as [string, string])] as const;
  return new Map([
    set('/app/users/', 180, (i) => `user-${i}`),
    set('/app/orders/', 90, (i) => `order-${'x'.repeat(i % 40)}`),
    set('/jobs/queue/', 45, (i) => JSON.stringify({ job: i })),
    ['/blobs/big/', [['/blobs/big/small', 'a'.repeat(200 * 1024)], ['/blobs/big/large', 'b'.repeat(300 * 1024)]]],
  ]);
}

const bytesOf = (pairs: readonly [string, string][]) => pairs.reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);

describe('etcdops inspect on the lab', function () {
  this.timeout(180_000);
  const lab = useLab('insp1', 3);
  const baselineFile = () => join(dirname(lab().inventory), 'inspect-baseline.json');
  const inspect = (args: string[]) => etcdops(['inspect', '-i', lab().inventory, ...args], { timeoutMs: 60_000 });
  const access = () => adminAccess(lab().inventory, lab().hosts.map((h) => h.address));
  const put = async (pairs: readonly [string, string][]) => {
    await withAnyEndpoint(await access(), async (client) => {
      for (let i = 0; i < pairs.length; i += 50) await Promise.all(pairs.slice(i, i + 50).map(([k, v]) => client.put(k).value(v).exec()));
    });
  };
  const written = dataset();

  before(async function () {
    this.timeout(300_000);
    // One member with its own quota, so the report is seen to read it from the inventory.
    const inventory = parse(readFileSync(lab().inventory, 'utf8'));
    inventory.all.children.etcd.hosts.n3 = { ...inventory.all.children.etcd.hosts.n3, etcd_quota_backend_bytes: N3_QUOTA };
    writeFileSync(lab().inventory, stringify(inventory));
    const site = await etcdops(['play', SITE, '-i', lab().inventory, '--output', 'plain']);
    strictEqual(site.code, 0, site.stdout + site.stderr);
    await put([...written.values()].flat());
  });

  it('reports a consistent cluster, the big values largest first, exact prefix figures and quota (exit 2 for the big values)', async () => {
    const result = await inspect(['--output', 'json', '--page-keys', '40', '--save-baseline', baselineFile()]);
    strictEqual(result.code, 2, result.stdout + result.stderr);
    const report = JSON.parse(result.stdout);
    strictEqual(report.severity, 'WARNING');
    deepStrictEqual(report.members, HOSTS);

    const consistency = report.checks.consistency;
    strictEqual(consistency.severity, 'OK', JSON.stringify(consistency));
    strictEqual(consistency.data.revision, report.revision);
    strictEqual(consistency.data.members.length, 3);
    strictEqual(new Set(consistency.data.members.map((m: { hash: string }) => m.hash)).size, 1);

    const big = report.checks['big-values'];
    strictEqual(big.severity, 'WARNING');
    deepStrictEqual(big.data.largest, [
      { key: '/blobs/big/large', bytes: 300 * 1024 },
      { key: '/blobs/big/small', bytes: 200 * 1024 },
    ]);
    strictEqual(big.data.count, 2);

    const top = new Map(report.checks.prefixes.data.top.map((p: { prefix: string }) => [p.prefix, p]));
    for (const [prefix, pairs] of written) deepStrictEqual(top.get(prefix), { prefix, keys: pairs.length, bytes: bytesOf(pairs) }, prefix);
    strictEqual(report.checks.prefixes.data.top[0].prefix, '/app/users/');
    strictEqual(report.checks.prefixes.data.growth, null);

    const quota = report.checks.quota;
    strictEqual(quota.severity, 'OK', JSON.stringify(quota));
    deepStrictEqual(quota.data.members.map((m: { member: string }) => m.member), HOSTS);
    for (const m of quota.data.members) {
      ok(m.dbSize > 500 * 1024 && m.dbSizeInUse > 0 && m.dbSizeInUse <= m.dbSize, JSON.stringify(m));
      strictEqual(m.percentUsed, Math.round((m.dbSize / m.quotaBytes) * 1000) / 10);
      deepStrictEqual(m.alarms, []);
    }
    deepStrictEqual(quota.data.members.map((m: { quotaBytes: number; quotaSource: string }) => [m.quotaBytes, m.quotaSource]), [
      [8 * 1024 ** 3, 'default'],
      [8 * 1024 ** 3, 'default'],
      [N3_QUOTA, 'inventory'],
    ]);

    const saved = JSON.parse(readFileSync(baselineFile(), 'utf8'));
    strictEqual(saved.revision, report.revision);
    strictEqual(saved.prefixes.find((p: { prefix: string }) => p.prefix === '/jobs/queue/').keys, 45);
  });

  it('says all is fine with exit 0 in text when only consistency and quota are asked', async () => {
    const result = await inspect(['--check', 'consistency,quota']);
    strictEqual(result.code, 0, result.stdout + result.stderr);
    match(result.stdout, /^inspect: OK at revision \d+ \(3 members: n1, n2, n3\)$/m);
    match(result.stdout, /^OK +consistency +3 of 3 members agree on hash \d+ at revision \d+$/m);
    match(result.stdout, /^ +n3 +db [\d.]+ (KiB|MiB) +in use [\d.]+ (KiB|MiB) +quota 4\.0 GiB +[\d.]+% +alarms none$/m);
    ok(!/big-values|prefixes/.test(result.stdout), result.stdout);
  });

  it('shows growth since the baseline for the one prefix that grew', async () => {
    const added: [string, string][] = Array.from({ length: 25 }, (_, i) => [`/jobs/queue/new${i}`, `job-${i}`]);
    await put(added);
    const result = await inspect(['--output', 'json', '--check', 'prefixes', '--baseline', baselineFile()]);
    strictEqual(result.code, 0, result.stdout + result.stderr);
    const prefixes = JSON.parse(result.stdout).checks.prefixes;
    const before = written.get('/jobs/queue/')!;
    deepStrictEqual(prefixes.data.growth, [
      { prefix: '/jobs/queue/', keysBefore: 45, keysAfter: 70, keysDelta: 25, bytesBefore: bytesOf(before), bytesAfter: bytesOf([...before, ...added]), bytesDelta: bytesOf(added) },
    ]);
    const text = await inspect(['--check', 'prefixes', '--baseline', baselineFile()]);
    strictEqual(text.code, 0, text.stderr);
    match(text.stdout, /^ +\/jobs\/queue\/ +\+25 keys +45 → 70 +\+[\d.]+ (B|KiB)$/m);
  });
});
