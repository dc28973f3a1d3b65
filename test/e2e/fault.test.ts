// fault.yml on a 3-member lab cluster, as an operator rehearses failures: a partitioned member while the
// others keep serving, a second fault refused because it would cost the quorum; then each fault kind
// this kernel supports observed from outside and cleared (early, or by the host's own timer), the host
// compared before and after; the kinds it cannot do refused before anything changes; then the drills,
// whose runs also observe the kill and the pause, and one SIGKILLed mid-fault. One lab for all, faults
// of a few seconds: CI time counts.
import { deepStrictEqual, match, ok, strictEqual } from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { etcdops, etcdopsProcess, recapOf } from './etcdops-cli.js';
import { health } from './etcd-helpers.js';
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
  const allHealthy = async () => {
    const h = await health(lab());
    return h.problems.length === 0 && h.members.filter((m) => m.healthy).length === 3;
  };
  const clearAndCompare = async (kind: string, before: string, twice = false) => {
    const cleared = await fault(kind, 'n3', 'action=clear');
    strictEqual(cleared.code, 0, cleared.stdout + cleared.stderr);
    match(cleared.stdout, /changed: \[n3\]/);
    match(cleared.stdout, /3 voting members healthy/, 'the clear waits for a healthy cluster');
    strictEqual(await hostState('n3'), before, `${kind}: n3 as before the fault`);
    if (!twice) return;
    const again = await fault(kind, 'n3', 'action=clear');
    strictEqual(again.code, 0, again.stdout + again.stderr);
    match(again.stdout, new RegExp(`no ${kind} fault in place on n3`));
  };

  it('drops half of the packets arriving at n3\'s client port, then clears early, twice', async () => {
    const before = await hostState('n3');
    const connects = `for i in $(seq 20); do timeout 0.3 bash -c '</dev/tcp/${address('n3')}/2379' 2>/dev/null || echo failed; done | grep -c failed || true`;
    strictEqual(await sh('n1', connects), '0', 'precondition: every connection to n3 works');
    const injected = await fault('loss', 'n3', 'percent=50', 'traffic=client', 'towards=any', 'direction=in', 'duration=60');
    strictEqual(injected.code, 0, injected.stdout + injected.stderr);
    match(await sh('n3', 'iptables -w -S ETCDOPS_FAULT_LOSS'), /! -s 127\.0\.0\.0\/8 -p tcp -m multiport --ports 2379 -m statistic --mode random --probability 0\.50+ -j DROP/);
    const failed = Number(await sh('n1', connects));
    ok(failed > 0 && failed < 20, `about half of 20 connections from n1 lose their SYN: ${failed} failed`);
    await clearAndCompare('loss', before, true);
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

  it('refuses IO latency on a data dir with no block device, and to fill the lab machine\'s disk, changing nothing', async () => {
    const before = await hostState('n3');
    // A lab host's data dir is a directory of the lab machine (overlay, device 0:N), and its cgroup v1
    // blkio hierarchy is read-only: the fault has nothing to limit, and says what is missing.
    match(await sh('n3', 'stat -f -c %T /var/lib/etcd'), /overlay/, 'precondition: the data dir on the host\'s overlay');
    const slowed = await fault('io_latency', 'n3', 'write_iops=10', 'duration=30');
    strictEqual(slowed.code, 2, slowed.stdout + slowed.stderr);
    match(slowed.stdout, /cannot inject io_latency on n3: io_latency needs the data dir \/var\/lib\/etcd on a block device \(cgroup IO limits act on a disk\), but it sits on overlayfs \(device 0:[0-9]+\), which has none.*nothing was changed/);
    const filled = await fault('disk_fill', 'n3', 'duration=30');
    strictEqual(filled.code, 2, filled.stdout + filled.stderr);
    match(filled.stdout, /cannot inject disk_fill on n3: .*sits on the root filesystem .*nothing was changed/);
    strictEqual(await hostState('n3'), before);
  });

  it('loads n3\'s CPU (etcd held to a 20% quota), memory and disk, each cleared by its own timer', async () => {
    const before = await hostState('n3');
    // Injected together (each fault.yml run checks the quorum on its own), observed, then each cleared by
    // the host after 10 s: no clear play to wait for.
    for (const injected of await Promise.all([['cpu', 'workers=1', 'cpu_quota=20%'], ['memory', 'memory_mib=64'], ['io_load', 'io_mib=8']].map(([kind, ...extra]) => fault(kind!, 'n3', ...extra, 'duration=10')))) {
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
    await until('n3 as before the faults, once their timers fired', async () => (await hostState('n3')) === before, 30_000);
  });

  it('kills etcd on n3 twice in a loop; its timer ends the loop', async () => {
    await until('a healthy cluster', allHealthy);
    const before = await hostState('n3');
    const restarts = async () => Number(await sh('n3', 'systemctl show -p NRestarts --value etcd'));
    const first = await restarts();
    // A kill, then another 6 s later (etcd's unit restarts it after RestartSec=5s), both within the 8 s.
    const looped = await fault('restart_loop', 'n3', 'interval=6', 'count=2', 'duration=8');
    strictEqual(looped.code, 0, looped.stdout + looped.stderr);
    await until('two restarts by systemd', async () => (await restarts()) === first + 2, 30_000);
    await until('n3 as before the fault', async () => (await hostState('n3')) === before && (await allHealthy()), 30_000);
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

    it('fills n3\'s data filesystem down to 4 MiB: etcd fails to write with "no space left on device", then comes back', async () => {
      const before = await hostState('n3');
      const filled = await fault('disk_fill', 'n3', 'leave_free_mib=4', 'duration=12');
      strictEqual(filled.code, 0, filled.stdout + filled.stderr);
      const left = Number(await sh('n3', 'df -B1 --output=avail /var/lib/etcd | tail -n 1')) / 1048576;
      ok(left >= 3.5 && left <= 4.5, `4 MiB left: ${left} MiB`);
      // Big values (20 × 900 kB, more than the 4 MiB left) make n3's database grow, which the filesystem cannot hold.
      const put = await sshRun(lab(), 'n1', `for i in $(seq 20); do head -c 900000 /dev/zero | tr '\\0' x | etcdctl --endpoints=https://${address('n1')}:2379 --cacert=/etc/etcd/pki/ca.crt --cert=/etc/etcd/pki/backup.crt --key=/etc/etcd/pki/backup.key --command-timeout=10s put rehearsal-full-$i >/dev/null || exit 1; done`);
      strictEqual(put.code, 0, put.stderr);
      await until('the disk error in n3\'s log', async () => /no space left on device/.test(await sh('n3', 'journalctl -u etcd --since "-60s" --no-pager')), 30_000);
      await until('n3 healthy again once its host cleared the fill', async () => (await allHealthy()) && (await hostState('n3')) === before, 60_000);
      await sshRun(lab(), 'n1', `etcdctl --endpoints=https://${address('n1')}:2379 --cacert=/etc/etcd/pki/ca.crt --cert=/etc/etcd/pki/backup.crt --key=/etc/etcd/pki/backup.key del rehearsal-full- --prefix`);
    });

    /**
     * The shipped drill, except rolling-restarts with a shorter spec (its thresholds unchanged): stops of
     * 2 s, 8 s apart, rather than 3 s, 12 s apart, which leave room for slower clusters than the lab.
     * Each stop must find the others healthy: the host's own timer started the member stopped before.
     */
    const drillFile = (file: string): string => {
      if (file !== 'rolling-restarts.yml') return join(DRILLS, file);
      const spec = parse(readFileSync(join(DRILLS, file), 'utf8'));
      spec.load.duration = 22;
      spec.faults = [{ ...spec.faults[0], duration: 2, spacing: 8 }];
      const shorter = join(work, file);
      writeFileSync(shorter, stringify(spec));
      return shorter;
    };
    for (const file of readdirSync(DRILLS).filter((f) => f.endsWith('.yml')).sort()) {
      it(`the shipped drill ${file} passes its checks`, async () => {
        await until('a healthy cluster', allHealthy, 40_000);
        const states = file === 'rolling-restarts.yml' ? await Promise.all(['n1', 'n2', 'n3'].map(hostState)) : [];
        const run = await drill(drillFile(file));
        strictEqual(run.code, 0, run.stdout + run.stderr);
        match(run.stdout, new RegExp(`drill ${file.replace('.yml', '')} passed`));
        const r = report();
        strictEqual(r.passed, true);
        strictEqual(r.figures.lostWrites, 0);
        strictEqual(r.figures.consistent, true);
        ok(r.figures.ackedWrites > 20, `writes were acknowledged: ${r.figures.ackedWrites}`);
        if (['leader-killed.yml', 'leader-paused.yml', 'leader-partitioned.yml'].includes(file)) {
          // The leader killed, paused or cut off, as the others see it: they elect another.
          ok(r.figures.leaderChanges >= 1 && r.timeline.some((e: { what: string }) => e.what.startsWith(`leader ${r.faults[0].target} → `)), JSON.stringify(r.timeline));
        }
        if (file === 'leader-partitioned.yml') {
          // The leader cut off: its change, the time without answers and the recovery, in the report.
          ok(r.figures.unavailable.ms > 0 && r.figures.unavailable.ms < 5000, JSON.stringify(r.figures.unavailable));
          strictEqual(r.faults[0].asked, 'leader');
          match(run.stdout, /longest unavailable\s+\d+\.\d s \(\+\d+\.\d s to \+\d+\.\d s\)\n\s+recovery after the faults \d+\.\d s\n\s+lost acknowledged writes\s+0 of \d+/);
        }
        if (file === 'rolling-restarts.yml') {
          strictEqual(r.faults.length, 3, 'a stop on each member');
          deepStrictEqual(await Promise.all(['n1', 'n2', 'n3'].map(hostState)), states, 'each member as before its stop');
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

    // A process of this machine, by PID: gone, or a zombie no one reaped yet (it runs nothing).
    const running = (pid: number) => existsSync(`/proc/${pid}`) && !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    const childrenOf = (pid: number) => {
      try {
        return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
      } catch {
        return [];
      }
    };

    it('a drill in a 20 s partition: the member cut off, seen from outside; faults that would cost the quorum refused; SIGKILLed, it ends its fault.yml run and the host heals on time', async () => {
      await until('a healthy cluster', allHealthy, 40_000);
      const hosts = ['n1', 'n2', 'n3'];
      const states = await Promise.all(hosts.map(hostState));
      const file = join(work, 'killed.yml');
      // The second step clears a fault that is not in place: its fault.yml run then waits in the health gate
      // while the partition lasts, so it is running when the drill dies.
      writeFileSync(file, 'name: killed\nload: {rate: 5, duration: 22}\nfaults:\n  - {at: 0, fault: partition, target: follower, duration: 20}\n  - {at: 10, fault: loss, target: follower, duration: 10, settings: {action: clear}}\nchecks: {}\n');
      const run = etcdopsProcess(['drill', file, '-i', lab().inventory, '--json', join(work, 'killed.json')]);
      let armedAt = 0;
      let cut = '';
      await until('the partition armed on a member', async () => {
        const armed = await Promise.all(hosts.map(async (h) => (await sshRun(lab(), h, 'test -f /run/etcdops-fault/partition.clear')).code === 0));
        cut = hosts[armed.indexOf(true)] ?? '';
        if (cut !== '') armedAt = Date.now();
        return cut !== '';
      });

      // The partition, while the host holds it: the others keep a leader and take writes the member cut off misses.
      const [other, third] = hosts.filter((h) => h !== cut) as [string, string];
      match((await firewall(cut)).stdout, new RegExp(`-A ETCDOPS_FAULT -s ${address(other).replace(/\./g, '\\.')}/32 .*-j DROP`));
      await until(`${cut} to be reported unhealthy`, async () => {
        const h = await health(lab());
        return h.members.find((m) => m.name === cut)?.healthy === false && h.members.filter((m) => m.name !== cut).every((m) => m.healthy);
      });
      const h = await health(lab());
      ok(h.leaderId !== null && h.members.find((m) => m.isLeader)?.name !== cut, `a leader among ${other}, ${third}: ${JSON.stringify(h.members)}`);
      strictEqual((await etcdctl(other, address(other), 'put rehearsal partitioned')).code, 0);
      const stale = await etcdctl(cut, address(cut), 'get rehearsal --consistency=s --print-value-only');
      strictEqual(stale.code, 0, `${cut} still answers a serializable read from its own data: ${stale.stderr}`);
      strictEqual(stale.stdout.trim(), '', `${cut} cannot have the write made while it was cut off`);

      // A second fault that would leave one healthy member of three is refused, and so are an unknown kind
      // and two members at once; nothing changes on the member asked.
      const pid = (await sshRun(lab(), other, 'systemctl show -p MainPID --value etcd')).stdout;
      const rules = (await firewall(other)).stdout;
      const [refused, unnamed, two] = await Promise.all([
        etcdops(['play', FAULT, '-i', lab().inventory, '-e', 'fault=stop', '-e', `target=${other}`, '-e', 'duration=10', '--output', 'json']),
        etcdops(['play', FAULT, '-i', lab().inventory, '-e', 'fault=flood', '-e', `target=${other}`, '--output', 'plain']),
        fault('pause', `${other},${third}`, 'duration=10'),
      ]);
      strictEqual(refused.code, 2, refused.stdout + refused.stderr);
      match(refused.stdout, new RegExp(`refusing to inject stop on ${other}: of 3 voting members, those left healthy would be ${third}: not a majority`));
      // run_once refusals run on the first host only; as in Ansible, hosts that ran nothing are not in the recap.
      for (const [host, counts] of Object.entries(recapOf(refused.stdout))) strictEqual(counts.changed, 0, `nothing changed on ${host}`);
      strictEqual((await sshRun(lab(), other, 'systemctl show -p MainPID --value etcd')).stdout, pid, `etcd on ${other} untouched`);
      strictEqual((await firewall(other)).stdout, rules);
      strictEqual(unnamed.code, 2, unnamed.stdout + unnamed.stderr);
      match(unnamed.stdout, /give the fault with -e fault=kill\|stop\|pause\|restart_loop\|partition\|loss\|delay\|bandwidth\|disk_fill\|io_load\|io_latency\|cpu\|memory/);
      strictEqual(two.code, 2, two.stdout + two.stderr);
      match(two.stdout, new RegExp(`refusing to inject pause on 2 members \\(${other} ${third}\\): more than max_members=1`));

      // The control node dies mid-fault: its fault.yml run goes with it, the host clears the partition on time.
      let plays: number[] = [];
      await until('a fault.yml run of the drill', async () => (plays = childrenOf(run.child.pid!)).length > 0, 15_000);
      run.child.kill('SIGKILL');
      await run.done;
      await until('the drill\'s fault.yml runs gone within 1.5 s', async () => plays.every((p) => !running(p)), 1_500);
      await until('every member as before the drill', async () => JSON.stringify(await Promise.all(hosts.map(hostState))) === JSON.stringify(states), 40_000);
      ok(Date.now() - armedAt >= 18_000, `cleared when its 20 s were over, not before (${Date.now() - armedAt} ms after it was seen armed)`);
      await until('a healthy cluster', allHealthy, 40_000);
      strictEqual((await etcdctl(cut, address(cut), 'get rehearsal --consistency=s --print-value-only')).stdout.trim(), 'partitioned', `${cut} caught up`);
    });
  });
});
