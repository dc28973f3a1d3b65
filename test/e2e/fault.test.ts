// fault.yml on a 3-member lab cluster, as an operator rehearses failures: a partitioned member while the
// others keep serving, a killed member that systemd brings back, a second fault refused because it
// would cost the quorum; then each fault kind this kernel supports observed from outside and cleared
// (early, or by the host's own timer even when the control node was SIGKILLed), the host compared
// before and after; and the kinds it cannot do refused before anything changes.
import { deepStrictEqual, match, notStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { etcdops, etcdopsProcess, recapOf } from './etcdops-cli.js';
import { etcdPid, health } from './etcd-helpers.js';
import { sshRun, useLab } from './lab-fixture.js';

const SITE = fileURLToPath(new URL('../../playbooks/site.yml', import.meta.url));
const FAULT = fileURLToPath(new URL('../../playbooks/fault.yml', import.meta.url));
const DRILLS = fileURLToPath(new URL('../../playbooks/drills/', import.meta.url));
const SCHEDULE = fileURLToPath(new URL('../../playbooks/drill-schedule.yml', import.meta.url));

describe('etcd fault.yml on the lab', function () {
  this.timeout(120_000);
  const lab = useLab('flt1', 3);
  const address = (host: string) => lab().hosts.find((h) => h.name === host)!.address;
  const fault = (name: string, target: string, ...extra: string[]) =>
    etcdops(['play', FAULT, '-i', lab().inventory, '-e', `fault=${name}`, '-e', `target=${target}`, '--output', 'plain', '-v', ...extra.flatMap((e) => ['-e', e])]);
  /** etcdctl on a member, with that member's own client certificate, against one endpoint. */
  const etcdctl = (host: string, endpoint: string, args: string) =>
    sshRun(
      lab(),
      host,
      `etcdctl --endpoints=https://${endpoint}:2379 --cacert=/etc/etcd/pki/ca.crt --cert=/etc/etcd/pki/backup.crt --key=/etc/etcd/pki/backup.key --dial-timeout=2s --command-timeout=3s ${args}`,
    );
  const firewall = (host: string) => sshRun(lab(), host, 'iptables -w -S');
  const until = async (what: string, check: () => Promise<boolean>, ms = 30_000) => {
    const deadline = Date.now() + ms;
    while (!(await check().catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  };

  before(async function () {
    this.timeout(300_000);
    const site = await etcdops(['play', SITE, '-i', lab().inventory, '--output', 'json']);
    strictEqual(site.code, 0, site.stdout + site.stderr);
  });

  it('partitions n3 while n1 and n2 keep a leader and take writes, then heals it', async () => {
    const start = await health(lab());
    deepStrictEqual(start.problems, [], 'precondition: a healthy cluster');
    strictEqual(start.members.filter((m) => m.healthy && !m.isLearner).length, 3, 'precondition: 3 healthy voting members');
    for (const host of ['n1', 'n2', 'n3']) strictEqual(/ETCDOPS_FAULT/.test((await firewall(host)).stdout), false, `precondition: no fault on ${host}`);
    const injected = await fault('partition', 'n3', 'duration=120');
    strictEqual(injected.code, 0, injected.stdout + injected.stderr);
    match((await firewall('n3')).stdout, new RegExp(`-A ETCDOPS_FAULT -s ${address('n1').replace(/\./g, '\\.')}/32 .*-j DROP`));
    await until('n3 to be reported unhealthy', async () => {
      const h = await health(lab());
      return h.members.find((m) => m.name === 'n3')?.healthy === false && h.members.filter((m) => m.name !== 'n3').every((m) => m.healthy);
    });
    const h = await health(lab());
    ok(h.leaderId !== null && h.members.find((m) => m.isLeader)?.name !== 'n3', `a leader among n1, n2: ${JSON.stringify(h.members)}`);
    const put = await etcdctl('n1', address('n1'), 'put rehearsal partitioned');
    strictEqual(put.code, 0, put.stderr);
    const stale = await etcdctl('n3', address('n3'), 'get rehearsal --consistency=s --print-value-only');
    strictEqual(stale.code, 0, `n3 still answers a serializable read from its own data: ${stale.stderr}`);
    strictEqual(stale.stdout.trim(), '', 'n3 cannot have the write made while it was cut off');

    const cleared = await fault('partition', 'n3', 'action=clear');
    strictEqual(cleared.code, 0, cleared.stdout + cleared.stderr);
    match(cleared.stdout, /3 voting members healthy/);
    strictEqual(/ETCDOPS_FAULT/.test((await firewall('n3')).stdout), false, 'the chain is gone');
    const after = await health(lab());
    deepStrictEqual(after.problems, []);
    strictEqual(after.members.filter((m) => m.healthy).length, 3);
    const get = await etcdctl('n3', address('n3'), 'get rehearsal --consistency=s --print-value-only');
    strictEqual(get.stdout.trim(), 'partitioned', get.stderr);
  });

  it('kills etcd on n3 and systemd brings it back with a new PID', async () => {
    const restarts = async () => Number((await sshRun(lab(), 'n3', 'systemctl show -p NRestarts --value etcd')).stdout.trim());
    const before = await etcdPid(lab(), 'n3');
    const restartsBefore = await restarts();
    ok(before > 0);
    const killed = await fault('kill', 'n3');
    strictEqual(killed.code, 0, killed.stdout + killed.stderr);
    await until('etcd on n3 to come back', async () => {
      const pid = await etcdPid(lab(), 'n3');
      return pid > 0 && pid !== before && (await health(lab())).problems.length === 0;
    });
    notStrictEqual(await etcdPid(lab(), 'n3'), before);
    strictEqual(await restarts(), restartsBefore + 1, 'restarted by systemd, once');
  });

  it('refuses a second fault that would cost the quorum, and changes nothing on n2', async () => {
    const partitioned = await fault('partition', 'n3', 'duration=120');
    strictEqual(partitioned.code, 0, partitioned.stdout + partitioned.stderr);
    await until('n3 to be reported unhealthy', async () => (await health(lab())).members.find((m) => m.name === 'n3')?.healthy === false);
    const pid = await etcdPid(lab(), 'n2');
    const rules = (await firewall('n2')).stdout;
    const refused = await etcdops(['play', FAULT, '-i', lab().inventory, '-e', 'fault=stop', '-e', 'target=n2', '-e', 'duration=10', '--output', 'json']);
    strictEqual(refused.code, 2, refused.stdout + refused.stderr);
    match(refused.stdout, /refusing to inject stop on n2: of 3 voting members, those left healthy would be n1: not a majority/);
    strictEqual(recapOf(refused.stdout).n2!.changed, 0);
    strictEqual(await etcdPid(lab(), 'n2'), pid);
    strictEqual((await firewall('n2')).stdout, rules);
    strictEqual((await sshRun(lab(), 'n2', 'systemctl is-active etcd')).stdout.trim(), 'active');
    const unnamed = await etcdops(['play', FAULT, '-i', lab().inventory, '-e', 'fault=flood', '-e', 'target=n2', '--output', 'plain']);
    strictEqual(unnamed.code, 2, unnamed.stdout + unnamed.stderr);
    match(unnamed.stdout, /give the fault with -e fault=kill\|stop\|pause\|restart_loop\|partition\|loss\|delay\|bandwidth\|disk_fill\|io_load\|cpu\|memory/);
    const two = await fault('pause', 'n1,n2', 'duration=10');
    strictEqual(two.code, 2, two.stdout + two.stderr);
    match(two.stdout, /refusing to inject pause on 2 members \(n1 n2\): more than max_members=1/);

    const cleared = await fault('partition', 'n3', 'action=clear');
    strictEqual(cleared.code, 0, cleared.stdout + cleared.stderr);
    deepStrictEqual((await health(lab())).problems, []);
  });
  // What a fault may leave behind: firewall rules, qdiscs, units, etcd's runtime limits, files.
  const STATE = [
    // A table the fault loaded stays loaded: empty, with ACCEPT policies, it filters nothing, as before.
    "iptables-save | sed -e '/^#/d' -e 's/\\[[0-9]*:[0-9]*\\]//' -e '/^\\*/d' -e '/^COMMIT$/d' -e '/^:\\(INPUT\\|FORWARD\\|OUTPUT\\|PREROUTING\\|POSTROUTING\\) ACCEPT *$/d'",
    'tc qdisc show',
    "systemctl list-units --all --no-legend --plain 'etcdops*'",
    'ls -A /run/etcdops-fault 2>&1',
    'ls -AR /run/systemd/system.control 2>&1',
    'ls -A /var/lib/etcd',
    'systemctl show -p CPUQuotaPerSecUSec -p MemoryMax -p ActiveState etcd',
  ].join('; echo --; ');
  const hostState = async (host: string) => (await sshRun(lab(), host, STATE)).stdout;
  const sh = async (host: string, cmd: string) => (await sshRun(lab(), host, cmd)).stdout.trim();
  const n3Healthy = async () => (await health(lab())).members.find((m) => m.name === 'n3')?.healthy === true;
  const allHealthy = async () => {
    const h = await health(lab());
    return h.problems.length === 0 && h.members.filter((m) => m.healthy).length === 3;
  };
  const clearAndCompare = async (kind: string, before: string) => {
    const cleared = await fault(kind, 'n3', 'action=clear');
    strictEqual(cleared.code, 0, cleared.stdout + cleared.stderr);
    match(cleared.stdout, /changed: \[n3\]/);
    strictEqual(await hostState('n3'), before, `${kind}: n3 as before the fault`);
    const again = await fault(kind, 'n3', 'action=clear');
    strictEqual(again.code, 0, again.stdout + again.stderr);
    match(again.stdout, new RegExp(`no ${kind} fault in place on n3`));
  };

  it('pauses n3, whose timer resumes it after 10 s although the control node was SIGKILLed', async () => {
    await until('a healthy cluster', allHealthy);
    const before = await hostState('n3');
    const started = Date.now();
    const run = etcdopsProcess(['play', FAULT, '-i', lab().inventory, '-e', 'fault=pause', '-e', 'target=n3', '-e', 'duration=10', '--output', 'plain']);
    await until('the pause armed on n3', async () => (await sshRun(lab(), 'n3', 'test -f /run/etcdops-fault/pause.clear')).code === 0);
    run.child.kill('SIGKILL');
    await run.done;
    await until('n3 reported unhealthy by the cluster', async () => !(await n3Healthy()));
    match(await sh('n3', 'ps -o stat= -p "$(systemctl show -p MainPID --value etcd)"'), /^T/, 'etcd stopped by SIGSTOP, still there');
    strictEqual(await sh('n3', 'systemctl is-active etcd'), 'active');
    await until('n3 healthy again', allHealthy, 40_000);
    ok(Date.now() - started >= 9_500, `cleared after its duration, not before (${Date.now() - started} ms)`);
    await until('n3 as before the fault', async () => (await hostState('n3')) === before, 10_000);
  });

  it('drops half of the packets arriving at n3\'s client port, then clears early, twice', async () => {
    const before = await hostState('n3');
    const connects = `for i in $(seq 20); do timeout 0.5 bash -c '</dev/tcp/${address('n3')}/2379' 2>/dev/null || echo failed; done | grep -c failed || true`;
    strictEqual(await sh('n1', connects), '0', 'precondition: every connection to n3 works');
    const injected = await fault('loss', 'n3', 'percent=50', 'traffic=client', 'towards=any', 'direction=in', 'duration=60');
    strictEqual(injected.code, 0, injected.stdout + injected.stderr);
    match(await sh('n3', 'iptables -w -S ETCDOPS_FAULT_LOSS'), /! -s 127\.0\.0\.0\/8 -p tcp -m multiport --ports 2379 -m statistic --mode random --probability 0\.50+ -j DROP/);
    const failed = Number(await sh('n1', connects));
    ok(failed > 0 && failed < 20, `about half of 20 connections from n1 lose their SYN: ${failed} failed`);
    await clearAndCompare('loss', before);
  });

  it('limits n3\'s outgoing client traffic to 256 kbit/s, then clears early', async () => {
    const before = await hostState('n3');
    const etcdctlOnN1 = `etcdctl --endpoints=https://${address('n3')}:2379 --cacert=/etc/etcd/pki/ca.crt --cert=/etc/etcd/pki/backup.crt --key=/etc/etcd/pki/backup.key --command-timeout=30s`;
    strictEqual((await sshRun(lab(), 'n1', `${etcdctlOnN1} put rehearsal-big "$(head -c 100000 /dev/zero | tr '\\0' x)" >/dev/null`)).code, 0);
    const readMs = async () => Number(await sh('n1', `s=$(date +%s%N); ${etcdctlOnN1} get rehearsal-big --consistency=s >/dev/null; echo $((($(date +%s%N) - s) / 1000000))`));
    const fast = await readMs();
    ok(fast < 1500, `precondition: 100 kB read in ${fast} ms`);
    const injected = await fault('bandwidth', 'n3', 'rate=256kbit', 'traffic=client', 'towards=any', 'duration=60');
    strictEqual(injected.code, 0, injected.stdout + injected.stderr);
    match(await sh('n3', 'tc qdisc show dev eth0'), /qdisc htb 1: root/);
    const slow = await readMs();
    ok(slow > 2000, `100 kB at 256 kbit/s takes about 3 s: ${slow} ms`);
    await clearAndCompare('bandwidth', before);
    ok((await readMs()) < 1500, 'fast again');
  });

  it('injects a delay where the kernel has netem, and otherwise refuses it naming netem, changing nothing', async () => {
    const before = await hostState('n3');
    const netem = (await sshRun(lab(), 'n3', 'unshare -n tc qdisc add dev lo root netem delay 1ms')).code === 0;
    const injected = await fault('delay', 'n3', 'delay_ms=300', 'traffic=peer', 'duration=30');
    if (netem) {
      strictEqual(injected.code, 0, injected.stdout + injected.stderr);
      const connectMs = Number(await sh('n1', `s=$(date +%s%N); bash -c '</dev/tcp/${address('n3')}/2380'; echo $((($(date +%s%N) - s) / 1000000))`));
      ok(connectMs >= 300, `n3 answers a peer connection 300 ms late: ${connectMs} ms`);
      await clearAndCompare('delay', before);
    } else {
      strictEqual(injected.code, 2, injected.stdout + injected.stderr);
      match(injected.stdout, /cannot inject delay on n3: a delay needs the netem qdisc \(kernel module sch_netem\).*Specified qdisc kind is unknown.*nothing was changed/);
      strictEqual(await hostState('n3'), before);
    }
  });

  it('refuses to fill the lab machine\'s disk, and fills a filesystem of n3 down to the margin', async () => {
    const before = await hostState('n3');
    const refused = await fault('disk_fill', 'n3', 'duration=30');
    strictEqual(refused.code, 2, refused.stdout + refused.stderr);
    match(refused.stdout, /cannot inject disk_fill on n3: .*sits on the root filesystem .*nothing was changed/);
    strictEqual(await hostState('n3'), before);

    await sh('n3', 'mkdir -p /mnt/fill && mount -t tmpfs -o size=32m tmpfs /mnt/fill');
    const free = async () => Number(await sh('n3', 'df -B1 --output=avail /mnt/fill | tail -n 1')) / 1048576;
    try {
      const filled = await fault('disk_fill', 'n3', 'etcd_data_dir=/mnt/fill', 'leave_free_mib=4', 'duration=30');
      strictEqual(filled.code, 0, filled.stdout + filled.stderr);
      const left = await free();
      ok(left >= 3.5 && left <= 4.5, `4 MiB left: ${left} MiB`);
      const write = await sshRun(lab(), 'n3', 'head -c 8M /dev/zero > /mnt/fill/more');
      match(write.stderr, /No space left on device/);
      await sh('n3', 'rm -f /mnt/fill/more');
      const cleared = await fault('disk_fill', 'n3', 'action=clear');
      strictEqual(cleared.code, 0, cleared.stdout + cleared.stderr);
      strictEqual(await free(), 32);
    } finally {
      await sh('n3', 'umount /mnt/fill && rmdir /mnt/fill');
    }
    strictEqual(await hostState('n3'), before);
  });

  it('loads n3\'s CPU (etcd held to a 20% quota), memory and disk, then clears each', async () => {
    const before = await hostState('n3');
    for (const [kind, ...extra] of [['cpu', 'workers=1', 'cpu_quota=20%'], ['memory', 'memory_mib=64'], ['io_load', 'io_mib=8']] as const) {
      const injected = await fault(kind, 'n3', ...extra, 'duration=60');
      strictEqual(injected.code, 0, injected.stdout + injected.stderr);
    }
    strictEqual(await sh('n3', 'systemctl show -p CPUQuotaPerSecUSec --value etcd'), '200ms');
    // Nanoseconds on a CPU (schedstat), summed over the workers: the machine's CPUs are shared, so a busy
    // worker is judged by a twentieth of the wall time, which an idle one never reaches.
    const cpuSeconds = async () => Number(await sh('n3', "for p in $(pgrep -f '^stress-ng-cpu'); do cut -d' ' -f1 /proc/$p/schedstat; done | awk '{s += $1} END {print s / 1e9}'"));
    const cpuBefore = await cpuSeconds();
    await new Promise((r) => setTimeout(r, 3000));
    const busy = (await cpuSeconds()) - cpuBefore;
    ok(busy >= 0.15, `a CPU worker keeps a CPU busy: ${busy} s on a CPU in 3 s`);
    const rssKib = Number(await sh('n3', "ps -eo rss=,args= | awk '/stress-ng-vm/ && !/awk/ {if ($1 > m) m = $1} END {print m + 0}'"));
    ok(rssKib >= 60 * 1024, `64 MiB held: ${rssKib} KiB`);
    await until('the IO worker writing', async () => Number(await sh('n3', 'stat -c %s /var/lib/etcd/etcdops-fault-io 2>/dev/null || echo 0')) > 0, 10_000);
    for (const kind of ['cpu', 'memory', 'io_load']) {
      const cleared = await fault(kind, 'n3', 'action=clear');
      strictEqual(cleared.code, 0, cleared.stdout + cleared.stderr);
    }
    strictEqual(await hostState('n3'), before);
  });

  it('kills etcd on n3 twice in a loop, then stops it until its own timer starts it again', async () => {
    await until('a healthy cluster', allHealthy);
    const before = await hostState('n3');
    const restarts = async () => Number(await sh('n3', 'systemctl show -p NRestarts --value etcd'));
    const first = await restarts();
    const looped = await fault('restart_loop', 'n3', 'interval=6', 'count=2', 'duration=14');
    strictEqual(looped.code, 0, looped.stdout + looped.stderr);
    await until('two restarts by systemd', async () => (await restarts()) === first + 2, 30_000);
    await until('n3 as before the fault', async () => (await hostState('n3')) === before && (await allHealthy()), 30_000);

    const stopped = await fault('stop', 'n3', 'duration=5');
    strictEqual(stopped.code, 0, stopped.stdout + stopped.stderr);
    strictEqual(await sh('n3', 'systemctl is-active etcd || true'), 'inactive');
    await until('n3 started again by its timer', async () => (await hostState('n3')) === before && (await allHealthy()), 40_000);
  });
  describe('drills', () => {
    const work = mkdtempSync(join(tmpdir(), 'etcdops-drill-'));
    const drill = (file: string) => etcdops(['drill', file, '-i', lab().inventory, '--json', join(work, 'report.json')], { timeoutMs: 180_000 });
    const report = () => JSON.parse(readFileSync(join(work, 'report.json'), 'utf8'));

    // A member's data dir on a filesystem of its own (a 256 MiB tmpfs, data copied over, one member at a
    // time), as production members have: filling it fills nothing else of the lab machine.
    before(async function () {
      this.timeout(120_000);
      for (const host of ['n1', 'n2', 'n3']) {
        await until('a healthy cluster', allHealthy, 40_000);
        const moved = await sshRun(lab(), host, 'set -e; systemctl stop etcd; mkdir -p /var/lib/etcd.disk; cp -a /var/lib/etcd/. /var/lib/etcd.disk/; mount -t tmpfs -o size=256m,mode=0700 tmpfs /var/lib/etcd; cp -a /var/lib/etcd.disk/. /var/lib/etcd/; chown etcd:etcd /var/lib/etcd; rm -rf /var/lib/etcd.disk; systemctl start etcd');
        strictEqual(moved.code, 0, moved.stderr);
      }
      await until('a healthy cluster', allHealthy, 40_000);
    });

    it('fills n3\'s data filesystem: etcd fails to write with "no space left on device", then comes back', async () => {
      const before = await hostState('n3');
      const filled = await fault('disk_fill', 'n3', 'duration=20');
      strictEqual(filled.code, 0, filled.stdout + filled.stderr);
      strictEqual(await sh('n3', "df --output=avail /var/lib/etcd | tail -n 1 | tr -d ' '"), '0');
      // Big values (20 × 900 kB) make n3's database grow, which a full filesystem cannot hold.
      const put = await sshRun(lab(), 'n1', `for i in $(seq 20); do head -c 900000 /dev/zero | tr '\\0' x | etcdctl --endpoints=https://${address('n1')}:2379 --cacert=/etc/etcd/pki/ca.crt --cert=/etc/etcd/pki/backup.crt --key=/etc/etcd/pki/backup.key --command-timeout=10s put rehearsal-full-$i >/dev/null || exit 1; done`);
      strictEqual(put.code, 0, put.stderr);
      await until('the disk error in n3\'s log', async () => /no space left on device/.test(await sh('n3', 'journalctl -u etcd --since "-60s" --no-pager')), 30_000);
      await until('n3 healthy again once its host cleared the fill', async () => (await allHealthy()) && (await hostState('n3')) === before, 60_000);
      await sshRun(lab(), 'n1', `etcdctl --endpoints=https://${address('n1')}:2379 --cacert=/etc/etcd/pki/ca.crt --cert=/etc/etcd/pki/backup.crt --key=/etc/etcd/pki/backup.key del rehearsal-full- --prefix`);
    });

    for (const file of readdirSync(DRILLS).filter((f) => f.endsWith('.yml')).sort()) {
      it(`the shipped drill ${file} passes its checks`, async () => {
        await until('a healthy cluster', allHealthy, 40_000);
        const run = await drill(join(DRILLS, file));
        strictEqual(run.code, 0, run.stdout + run.stderr);
        match(run.stdout, new RegExp(`drill ${file.replace('.yml', '')} passed`));
        const r = report();
        strictEqual(r.passed, true);
        strictEqual(r.figures.lostWrites, 0);
        strictEqual(r.figures.consistent, true);
        ok(r.figures.ackedWrites > 20, `writes were acknowledged: ${r.figures.ackedWrites}`);
        if (file === 'leader-partitioned.yml') {
          // The leader cut off: its change, the time without answers and the recovery, in the report.
          ok(r.figures.leaderChanges >= 1, JSON.stringify(r.timeline));
          ok(r.figures.unavailable.ms > 0 && r.figures.unavailable.ms < 5000, JSON.stringify(r.figures.unavailable));
          ok(r.faults[0].asked === 'leader' && r.timeline.some((e: { what: string }) => new RegExp(`^leader ${r.faults[0].target} → `).test(e.what)), JSON.stringify(r.timeline));
          match(run.stdout, /longest unavailable\s+\d+\.\d s \(\+\d+\.\d s to \+\d+\.\d s\)\n\s+recovery after the faults \d+\.\d s\n\s+lost acknowledged writes\s+0 of \d+/);
        }
      });
    }

    it('fails a drill whose threshold cannot hold, naming the check', async () => {
      const file = join(work, 'impossible.yml');
      writeFileSync(file, 'name: impossible\nload: {rate: 10, duration: 3}\nchecks:\n  availability_percent: 50\n  p99_ms: 0\n');
      const run = await drill(file);
      strictEqual(run.code, 2, run.stdout + run.stderr);
      match(run.stdout, /FAIL {2}p99_ms\s+expected ≤ 0 ms, got \d+ ms/);
      match(run.stdout, /drill impossible FAILED: p99_ms\n/);
      strictEqual(report().checks.find((c: { name: string }) => c.name === 'availability_percent').ok, true);
    });

    it('installs a drill on a timer on the host chosen, once, and removes it', async () => {
      const before = await hostState('n1');
      const file = join(work, 'nightly.yml');
      writeFileSync(file, 'name: nightly\nschedule: "@every 10m"\nload: {rate: 5, duration: 5}\nchecks: {}\n');
      const schedule = (...extra: string[]) => etcdops(['play', SCHEDULE, '-i', lab().inventory, '-e', `drill=${file}`, '-e', 'schedule_host=n1', '--output', 'json', ...extra.flatMap((e) => ['-e', e])]);
      const installed = await schedule();
      strictEqual(installed.code, 0, installed.stdout + installed.stderr);
      ok(recapOf(installed.stdout).n1!.changed > 0);
      match(await sh('n1', 'systemctl show -p ActiveState -p TimersMonotonic etcdops-drill-nightly.timer'), /OnUnitActiveUSec=10min[\s\S]*ActiveState=active|ActiveState=active[\s\S]*OnUnitActiveUSec=10min/);
      strictEqual(await sh('n1', 'systemctl is-enabled etcdops-drill-nightly.timer'), 'enabled');
      match(await sh('n1', 'systemctl cat etcdops-drill-nightly.service'), /\nExecStart=\/usr\/local\/bin\/etcdops drill \/etc\/etcdops\/drills\/nightly\.yml -i \/etc\/etcdops\/inventory\.yml --json \/var\/lib\/etcdops\/drills\/nightly\.drill\.json$/m);
      strictEqual(await sh('n1', 'cat /etc/etcdops/drills/nightly.yml'), readFileSync(file, 'utf8').trim());
      const again = await schedule();
      strictEqual(recapOf(again.stdout).n1!.changed, 0, 'installed once');
      const removed = await schedule('state=absent');
      strictEqual(removed.code, 0, removed.stdout + removed.stderr);
      strictEqual(await hostState('n1'), before);
      strictEqual(await sh('n1', 'ls /etc/systemd/system | grep -c etcdops-drill || true'), '0');
    });

    it('a drill SIGKILLed mid-fault leaves its fault to the host, which clears it on time', async () => {
      await until('a healthy cluster', allHealthy, 40_000);
      const states = await Promise.all(['n1', 'n2', 'n3'].map(hostState));
      const file = join(work, 'killed.yml');
      writeFileSync(file, 'name: killed\nload: {rate: 5, duration: 25}\nfaults:\n  - {at: 0, fault: partition, target: follower, duration: 12}\nchecks: {}\n');
      const run = etcdopsProcess(['drill', file, '-i', lab().inventory, '--json', join(work, 'killed.json')]);
      let armedAt = 0;
      await until('the partition armed on a member', async () => {
        const armed = await Promise.all(['n1', 'n2', 'n3'].map(async (h) => (await sshRun(lab(), h, 'test -f /run/etcdops-fault/partition.clear')).code === 0));
        armedAt = Date.now();
        return armed.some(Boolean);
      });
      run.child.kill('SIGKILL');
      await run.done;
      await until('every member as before the drill', async () => JSON.stringify(await Promise.all(['n1', 'n2', 'n3'].map(hostState))) === JSON.stringify(states), 40_000);
      ok(Date.now() - armedAt >= 10_000, `cleared when its 12 s were over, not before (${Date.now() - armedAt} ms after it was seen armed)`);
      await until('a healthy cluster', allHealthy, 40_000);
    });
  });
});
