// `etcdops inspect` on a real 3-member cluster built by site.yml: a consistent cluster, the big values
// largest first, exact counts and bytes per prefix read in pages, quota figures per member, and growth
// since a saved baseline shown for the one prefix that grew. Then, on the same lab: a prefix written at
// 200/s ranked first at its real rate; a stopped member reported by every check without a crash; a member
// made to diverge for real named (exit 2); and inspect-schedule.yml's timer running twice, its metrics
// scraped by a real Prometheus and queried with promtool.
import { deepStrictEqual, match, ok, strictEqual } from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { withAnyEndpoint, withEndpointClient } from '../../src/etcd/cluster-access.js';
import { sshArgs } from '../../src/lab/lab-ssh.js';
import { runCommand } from '../../src/lab/run-command.js';
import { etcdops, plainRecapOf } from './etcdops-cli.js';
import { adminAccess } from './etcd-helpers.js';
import { sshRun, useLab } from './lab-fixture.js';

const SITE = fileURLToPath(new URL('../../playbooks/site.yml', import.meta.url));
const SCHEDULE = fileURLToPath(new URL('../../playbooks/inspect-schedule.yml', import.meta.url));
const METRICS_FILE = '/var/lib/prometheus/node-exporter/etcdops_inspect.prom';
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

  it('ranks a prefix written at 200 puts/s first, at its real rate within 20%', async () => {
    const client = await access();
    let hotPuts = 0;
    let stop = false;
    const started = Date.now();
    const writer = withAnyEndpoint(client, async (c) => {
      // 10 puts every 50 ms under /hot/spot/, one a second under two other prefixes.
      for (let tick = 0; !stop; tick += 1) {
        const due = started + tick * 50;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
        const puts: Promise<unknown>[] = Array.from({ length: 10 }, (_, i) => c.put(`/hot/spot/k${(tick * 10 + i) % 100}`).value(String(tick)).exec().then(() => (hotPuts += 1)));
        if (tick % 20 === 0) puts.push(c.put('/app/users/ticker').value(String(tick)).exec(), c.put('/jobs/queue/ticker').value(String(tick)).exec());
        await Promise.all(puts);
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const counted = hotPuts;
    const from = Date.now();
    const result = await inspect(['--output', 'json', '--check', 'hot-prefixes', '--hot-window', '5']);
    const truth = ((hotPuts - counted) * 1000) / (Date.now() - from);
    stop = true;
    await writer;
    strictEqual(result.code, 2, result.stdout + result.stderr);
    const hot = JSON.parse(result.stdout).checks['hot-prefixes'];
    strictEqual(hot.data.top[0].prefix, '/hot/spot/', JSON.stringify(hot.data));
    ok(Math.abs(truth - 200) < 40, `the writer itself managed ${truth.toFixed(1)} puts/s, not about 200`);
    const measured = hot.data.top[0].perSecond;
    ok(Math.abs(measured - truth) <= 0.2 * truth, `inspect says ${measured}/s, the writer did ${truth.toFixed(1)}/s`);
    for (const cold of ['/app/users/', '/jobs/queue/']) {
      const rate = hot.data.top.find((p: { prefix: string }) => p.prefix === cold)?.perSecond;
      ok(rate !== undefined && rate <= 2, `${cold}: ${rate}/s`);
    }
    strictEqual(hot.findings.length, 1, JSON.stringify(hot.findings));
    match(hot.findings[0].message, /^prefix \/hot\/spot\/ takes [\d.]+ writes\/s, more than 100/);
  });

  it('reports a stopped member in every check that asks it, without a crash (exit 2)', async () => {
    strictEqual((await sshRun(lab(), 'n3', 'systemctl stop etcd')).code, 0);
    try {
      const result = await inspect(['--hot-window', '1']);
      strictEqual(result.code, 2, result.stdout + result.stderr);
      strictEqual(result.stderr.trim(), '');
      for (const [check, line] of [
        ['consistency', /CRITICAL: member n3 did not give its hash/],
        ['quota', /CRITICAL: member n3 did not give its status/],
        ['spread', /CRITICAL: member n3 did not answer/],
        ['certificates', /WARNING: server certificate of n3 could not be read/],
        ['versions', /WARNING: member n3 did not tell its version/],
      ] as const) {
        match(result.stdout, new RegExp(`^(CRITICAL|WARNING) +${check} `, 'm'), check);
        match(result.stdout, line, check);
      }
      for (const check of ['big-values', 'prefixes', 'hot-prefixes', 'learners', 'alarms', 'zones']) match(result.stdout, new RegExp(`^(OK|INFO|WARNING) +${check} `, 'm'), check);
    } finally {
      strictEqual((await sshRun(lab(), 'n3', 'systemctl start etcd')).code, 0);
    }
  });

  it('names a member whose data diverged (an old copy of its database under its current raft log): exit 2', async () => {
    const admin = await access();
    const n2 = `https://${lab().hosts[1]!.address}:2379`;
    const onN2 = async (cmd: string, input?: string) => {
      const target = { keyFile: lab().keyFile, knownHostsFile: lab().knownHostsFile, address: lab().hosts[1]!.address };
      const result = await runCommand('ssh', sshArgs(target, [cmd]), { allowFailure: true, timeoutMs: 60_000, ...(input === undefined ? {} : { input }) });
      strictEqual(result.code, 0, `${cmd}: ${result.stderr}`);
      return result.stdout;
    };
    await put(Array.from({ length: 60 }, (_, i) => [`/diverge/old/k${i}`, 'v'] as [string, string]));
    await onN2('systemctl stop etcd && cp /var/lib/etcd/member/snap/db /root/old.db && systemctl start etcd');
    await put(Array.from({ length: 40 }, (_, i) => [`/diverge/new/k${i}`, 'v'] as [string, string]));
    await withAnyEndpoint(admin, (c) => c.delete().prefix('/diverge/old/').exec());
    // n2 stops having applied every entry; its old database is told it has applied them all too.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const applied = BigInt((await withEndpointClient(admin, n2, (c) => c.maintenance.status())).raftAppliedIndex);
    await onN2('systemctl stop etcd');
    const db = Buffer.from(await onN2('base64 -w0 /root/old.db'), 'base64');
    const marker = Buffer.from('consistent_index');
    for (let at = db.indexOf(marker); at >= 0; at = db.indexOf(marker, at + 1)) db.writeBigUInt64BE(applied, at + marker.length);
    await onN2('base64 -d > /var/lib/etcd/member/snap/db && chown etcd:etcd /var/lib/etcd/member/snap/db && systemctl start etcd', db.toString('base64'));
    await put(Array.from({ length: 10 }, (_, i) => [`/diverge/after/k${i}`, 'v'] as [string, string]));

    const result = await inspect(['--output', 'json', '--check', 'consistency,spread']);
    strictEqual(result.code, 2, result.stdout + result.stderr);
    const report = JSON.parse(result.stdout);
    strictEqual(report.severity, 'CRITICAL');
    deepStrictEqual(report.checks.consistency.findings.map((f: { member: string; severity: string }) => [f.member, f.severity]), [['n2', 'CRITICAL']]);
    match(report.checks.consistency.findings[0].message, /^member n2 differs: hash \d+ where n1, n3 have \d+/);
    deepStrictEqual(report.checks.spread.findings.map((f: { member: string; severity: string }) => [f.member, f.severity]), [['n2', 'CRITICAL']]);
    match(report.checks.spread.findings[0].message, /^member n2 is at revision \d+ after applying raft index \d+: \d+ revisions fewer than the others .*: its data diverged/);
  });

  it('runs inspect-schedule.yml\'s timer at least twice; a real Prometheus scrapes the spread and the last run', async function () {
    this.timeout(240_000);
    const schedule = () => etcdops(['play', SCHEDULE, '-i', lab().inventory, '--output', 'plain', '-e', 'etcd_inspect_on_calendar=*:*:0/10', '-e', 'etcd_inspect_timer_accuracy=1s', '-e', '{"etcd_inspect_args": ["--hot-window", "1"]}'], { timeoutMs: 180_000 });
    // A verified snapshot beside the timer and off-site (a folder on the backup host is an rclone path too; the backup
    // service may only write under its own state folder), for the backup ages.
    const inventory = parse(readFileSync(lab().inventory, 'utf8'));
    inventory.all.children.etcd.hosts.n1 = { ...inventory.all.children.etcd.hosts.n1, etcd_backup_remote: '/var/lib/etcd-backup/offsite' };
    writeFileSync(lab().inventory, stringify(inventory));
    const backups = await etcdops(['play', fileURLToPath(new URL('../../playbooks/backup.yml', import.meta.url)), '-i', lab().inventory, '--output', 'plain'], { timeoutMs: 120_000 });
    strictEqual(backups.code, 0, backups.stdout + backups.stderr);
    const backup = await etcdops(['backup', 'now', '-i', lab().inventory], { timeoutMs: 120_000 });
    strictEqual(backup.code, 0, backup.stdout + backup.stderr);
    const ages = await inspect(['--output', 'json', '--check', 'backups']);
    strictEqual(ages.code, 0, ages.stdout + ages.stderr);
    const data = JSON.parse(ages.stdout).checks.backups.data;
    ok(data.ageSeconds < 600 && data.offsiteAgeSeconds < 600, JSON.stringify(data));
    const play = await schedule();
    strictEqual(play.code, 0, play.stdout + play.stderr);
    const verify = await sshRun(lab(), 'n1', 'systemd-analyze verify /etc/systemd/system/etcdops-inspect.service /etc/systemd/system/etcdops-inspect.timer');
    strictEqual(verify.code, 0, verify.stderr);
    const again = await schedule();
    strictEqual(again.code, 0, again.stdout + again.stderr);
    deepStrictEqual(Object.values(plainRecapOf(again.stdout)).map((r) => r.changed), [0, 0, 0], again.stdout);
    const runs = async () => Number((await sshRun(lab(), 'n1', "journalctl -u etcdops-inspect.service -o cat | grep -c '^Finished etcdops-inspect.service'")).stdout.trim() || 0);
    for (const deadline = Date.now() + 90_000; (await runs()) < 2; ) {
      ok(Date.now() < deadline, `the timer ran ${await runs()} times in 90 s`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    const file = async () => (await sshRun(lab(), 'n1', `cat ${METRICS_FILE}`)).stdout;
    const server: Server = createServer((_, response) => void file().then((text) => response.end(text)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const dir = mkdtempSync(join(tmpdir(), 'etcdops-inspect-prometheus-'));
    const port = 20000 + Math.floor(Math.random() * 20000);
    writeFileSync(join(dir, 'prometheus.yml'), stringify({ global: { scrape_interval: '1s' }, scrape_configs: [{ job_name: 'etcdops_inspect', static_configs: [{ targets: [`127.0.0.1:${(server.address() as AddressInfo).port}`] }] }] }));
    const prometheus = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
    try {
      const query = async (expr: string) => {
        const out = await runCommand('promtool', ['query', 'instant', `http://127.0.0.1:${port}`, expr], { allowFailure: true, timeoutMs: 10_000 });
        const value = /=> (\S+) @/.exec(out.stdout);
        return value ? Number(value[1]) : null;
      };
      let lastRun: number | null = null;
      for (const deadline = Date.now() + 60_000; (lastRun = await query('etcdops_inspect_last_run_timestamp_seconds')) === null; ) {
        ok(Date.now() < deadline, 'Prometheus never returned etcdops_inspect_last_run_timestamp_seconds');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      ok(Math.abs(Date.now() / 1000 - lastRun) < 60, `last run ${lastRun}`);
      const text = await file();
      const inFile = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
      strictEqual(await query('etcdops_inspect_key_count_spread'), inFile('etcdops_inspect_key_count_spread'));
      const revisionSpread = await query('etcdops_inspect_revision_spread');
      ok(revisionSpread !== null && revisionSpread > 0, `revision spread ${revisionSpread}: n2 diverged`);
      strictEqual(await query('etcdops_inspect_success'), 1);
      strictEqual(await query('etcdops_inspect_finding{check="consistency",severity="CRITICAL",member="n2"}'), 1);
      strictEqual(await query('count(etcdops_inspect_finding{check="backups"})'), null, 'the scheduled run read both backup ages');
      const age = await query('etcdops_inspect_backup_age_seconds');
      ok(age !== null && age >= 0 && age < 600, `backup age ${age} s`);
      const expiry = await query('etcdops_inspect_certificate_expiry_seconds{member="n1",certificate="server"}');
      ok(expiry !== null && expiry > 300 * 86_400, `n1's server certificate expires in ${expiry} s`);
    } finally {
      prometheus.kill('SIGTERM');
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
