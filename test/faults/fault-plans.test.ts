// Table-driven: what etcd_fault plans from the facts a host reports (pure, no host): the rollback armed
// before the fault, the commands of each kind, the refusals before any change (a missing mechanism, an
// unsafe disk, a fault already in place), the early clear and its no-op when nothing is in place.
import { deepStrictEqual, match, ok, strictEqual, throws } from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { FaultArgs, FaultFacts } from '../../src/faults/fault-kind.js';
import { FAULT_KIND_NAMES, FAULT_KINDS } from '../../src/faults/fault-registry.js';
import { parseFaultFacts, probeScript } from '../../src/faults/fault-script.js';
import { planFault } from '../../src/modules/etcd-fault.js';
import { TaskFailure } from '../../src/modules/task-failure.js';
import { ChangeAction } from '../../src/plan/change.js';

const peers = ['10.0.0.12', '10.0.0.13'];
const ok0 = { systemd_run: '/usr/bin/systemd-run' };
const commandsOf = (args: FaultArgs, facts: FaultFacts): string => String(planFault(args, facts, 'n1').result!.commands);

describe('etcd_fault: injection plans', () => {
  const rows: [what: string, args: FaultArgs, facts: FaultFacts, expected: RegExp[]][] = [
    ['a partition drops both ports to and from each peer, in its own chain', { kind: 'partition', duration: 30, peers }, { ...ok0, iptables: '/usr/sbin/iptables' }, [
      /iptables -w -A ETCDOPS_FAULT -s 10\.0\.0\.12 -p tcp -m multiport --ports 2379,2380 {2}-j DROP/,
      /iptables -w -A ETCDOPS_FAULT -d 10\.0\.0\.13 -p tcp -m multiport --ports 2379,2380 {2}-j DROP/,
      /iptables -w -I INPUT -j ETCDOPS_FAULT\niptables -w -I OUTPUT -j ETCDOPS_FAULT/,
    ]],
    ['a one-way partition only hooks INPUT and matches sources', { kind: 'partition', duration: 30, peers, direction: 'in' as never, traffic: 'peer' as never }, { ...ok0, iptables: '/sbin/iptables' }, [
      /-A ETCDOPS_FAULT -s 10\.0\.0\.12 -p tcp -m multiport --ports 2380 /,
      /iptables -w -I INPUT -j ETCDOPS_FAULT\n(?!iptables -w -I OUTPUT)/,
    ]],
    ['loss on client traffic from anywhere uses the statistic match', { kind: 'loss', duration: 30, percent: 30, traffic: 'client' as never }, { ...ok0, iptables: '/sbin/iptables' }, [
      /-A ETCDOPS_FAULT_LOSS ! -s 127\.0\.0\.0\/8 -p tcp -m multiport --ports 2379 -m statistic --mode random --probability 0\.3000 -j DROP/,
    ]],
    ['a delay is an htb class with a netem leaf and filters per peer and port', { kind: 'delay', duration: 30, delay_ms: 100, jitter_ms: 10, peers: ['10.0.0.12'], traffic: 'peer' as never }, { ...ok0, tc: '/sbin/tc', dev: 'eth0', root_qdisc: 'noqueue 0:', mechanism: 'ok' }, [
      /tc qdisc replace dev eth0 root handle 1: htb\ntc class add dev eth0 parent 1: classid 1:1 htb rate 10gbit\ntc qdisc add dev eth0 parent 1:1 handle 10: netem delay 100ms 10ms/,
      /u32 match ip dst 10\.0\.0\.12\/32 match ip dport 2380 0xffff flowid 1:1/,
      /u32 match ip dst 10\.0\.0\.12\/32 match ip sport 2380 0xffff flowid 1:1/,
    ]],
    ['a bandwidth limit is the htb class rate', { kind: 'bandwidth', duration: 30, rate: '1mbit', traffic: 'client' as never }, { ...ok0, tc: '/sbin/tc', dev: 'eth0', root_qdisc: 'fq_codel 0:' }, [
      /htb rate 1mbit\ntc filter add dev eth0 parent 1: protocol ip prio 1 u32 match ip dport 2379 0xffff flowid 1:1/,
      /if tc qdisc show dev eth0 root 2>\/dev\/null \| grep -q '\^qdisc htb 1: '; then tc qdisc del dev eth0 root; fi/,
    ]],
    ['a pause is SIGSTOP, cleared with SIGCONT', { kind: 'pause', duration: 12 }, { ...ok0, systemctl: '/bin/systemctl', active: 'active' }, [
      /systemctl kill --signal=SIGCONT etcd\.service/, /\nsystemctl kill --signal=SIGSTOP etcd\.service\n/,
    ]],
    ['a restart loop is a worker unit bounded by the duration', { kind: 'restart_loop', duration: 20, interval: 5, count: 3 }, { ...ok0, systemctl: '/bin/systemctl', active: 'active' }, [
      /systemd-run --quiet --collect --unit etcdops-fault-restart-loop --property=RuntimeMaxSec=20 /,
      /systemctl stop etcdops-fault-restart-loop\.service/,
    ]],
    ['disk_fill leaves the margin and removes its file', { kind: 'disk_fill', duration: 30, data_dir: '/data/etcd', leave_free_mib: 8 }, { ...ok0, fallocate: '/bin/fallocate', mount: '/data', avail: '1000000000' }, [
      /size=\$\(\(avail - 8388608\)\)/, /fallocate -l "\$size" \/data\/etcd\/etcdops-fault-fill/, /rm -f \/data\/etcd\/etcdops-fault-fill/,
    ]],
    ['cpu with shell workers when stress-ng is missing, and the quota reset', { kind: 'cpu', duration: 30, workers: 2, cpu_quota: '20%' }, { ...ok0, stress_ng: '', cpus: '4', active: 'active' }, [
      /while \[ "\$i" -lt 2 \]; do \(while :; do :; done\) &/, /systemctl set-property --runtime etcd\.service CPUQuota=20%/,
      /systemctl set-property --runtime etcd\.service CPUQuota= /, /rm -f \/run\/systemd\/system\.control\/etcd\.service\.d\/50-CPUQuota\.conf/,
    ]],
    ['cpu with stress-ng when present, one worker per CPU by default', { kind: 'cpu', duration: 30 }, { ...ok0, stress_ng: '/usr/bin/stress-ng', cpus: '4' }, [
      /systemd-run --quiet --collect --unit etcdops-fault-cpu --property=RuntimeMaxSec=30 .* \/bin\/sh -c 'exec stress-ng --cpu 4 --quiet'/,
    ]],
    ['memory with stress-ng when present', { kind: 'memory', duration: 30, memory_mib: 64 }, { ...ok0, stress_ng: '/usr/bin/stress-ng', mem_available_kib: '1000000' }, [
      /stress-ng --vm 1 --vm-bytes 64M --vm-keep/,
    ]],
    ['io_latency lowers etcd\'s IO limits on the data dir\'s disk, and resets each', { kind: 'io_latency', duration: 30, data_dir: '/data/etcd', write_iops: 20, read_bps: '1M' }, { ...ok0, systemctl: '/bin/systemctl', io_device: '8:1', io_block: 'yes', io_cgroup: 'io' }, [
      /\nsystemctl set-property --runtime etcd\.service 'IOWriteIOPSMax=\/data\/etcd 20'\nsystemctl set-property --runtime etcd\.service 'IOReadBandwidthMax=\/data\/etcd 1M'\n/,
      /systemctl set-property --runtime etcd\.service IOWriteIOPSMax= 2>\/dev\/null \|\| true\nrm -f \/run\/systemd\/system\.control\/etcd\.service\.d\/50-IOWriteIOPSMax\.conf/,
      /rm -f \/run\/systemd\/system\.control\/etcd\.service\.d\/50-IOReadBandwidthMax\.conf/,
    ]],
    ['io_latency by bandwidth on cgroup v1 (blkio)', { kind: 'io_latency', duration: 30, write_bps: '512K' }, { ...ok0, systemctl: '/bin/systemctl', io_device: '8:1', io_block: 'yes', io_cgroup: 'blkio' }, [
      /systemctl set-property --runtime etcd\.service 'IOWriteBandwidthMax=\/var\/lib\/etcd 512K'/,
    ]],
  ];
  for (const [what, args, facts, expected] of rows) {
    it(what, () => {
      const plan = planFault(args, facts, 'n1');
      strictEqual(plan.changes.length, 1);
      const commands = commandsOf(args, facts);
      for (const pattern of expected) match(commands, pattern);
    });
  }

  it('arms the host\'s own clear before the fault, and rolls back a failed injection', () => {
    const commands = commandsOf({ kind: 'pause', duration: 12 }, { ...ok0, systemctl: '/bin/systemctl', active: 'active' });
    const lines = commands.split('\n');
    const armed = lines.findIndex((l) => l.startsWith('systemd-run --quiet --collect --unit etcdops-fault-clear-pause --on-active=12s'));
    const trap = lines.findIndex((l) => l.startsWith('trap '));
    const injected = lines.indexOf('systemctl kill --signal=SIGSTOP etcd.service');
    ok(trap >= 0 && trap < armed && armed < injected, commands);
    strictEqual(lines[injected + 1], 'trap - EXIT');
  });

  it('the injection script is valid sh for every kind', () => {
    const facts = { ...ok0, iptables: 'x', tc: 'x', dev: 'eth0', systemctl: 'x', active: 'active', fallocate: 'x', mount: '/data', avail: '9999999999', mem_available_kib: '9999999', cpus: '2', io_device: '8:1', io_block: 'yes', io_cgroup: 'io' };
    const args: FaultArgs = { kind: '', duration: 5, peers, percent: 10, delay_ms: 5, rate: '1mbit', memory_mib: 8, write_iops: 10 };
    for (const kind of FAULT_KIND_NAMES) {
      const script = commandsOf({ ...args, kind }, facts);
      execFileSync('sh', ['-n'], { input: script });
      execFileSync('sh', ['-n'], { input: probeScript(FAULT_KINDS[kind], { ...args, kind }).text });
    }
  });
});

describe('etcd_fault: refusals before any change', () => {
  const rows: [what: string, args: FaultArgs, facts: FaultFacts, message: RegExp][] = [
    ['no netem in the kernel', { kind: 'delay', duration: 5, delay_ms: 100, peers }, { ...ok0, tc: '/sbin/tc', dev: 'eth0', mechanism_error: 'Error: Specified qdisc kind is unknown.' }, /cannot inject delay on n1: a delay needs the netem qdisc \(kernel module sch_netem\) under an htb class, which this kernel lacks: tc said: Error: Specified qdisc kind is unknown\.; nothing was changed/],
    ['a root qdisc of the user\'s own', { kind: 'bandwidth', duration: 5, rate: '1mbit', peers }, { ...ok0, tc: '/sbin/tc', dev: 'eth0', root_qdisc: 'cake 8001:' }, /eth0 has a root qdisc of its own \(cake 8001:\) that etcdops will not replace/],
    ['no tc', { kind: 'bandwidth', duration: 5, rate: '1mbit', peers }, { ...ok0, tc: '' }, /needs tc, which is not installed on this host \(install the iproute2 package\)/],
    ['no iptables', { kind: 'partition', duration: 5, peers }, { ...ok0, iptables: '' }, /a partition needs iptables, which is not installed/],
    ['the root filesystem', { kind: 'disk_fill', duration: 5 }, { ...ok0, fallocate: '/bin/fallocate', mount: '/', fstype: 'ext4', avail: '5' }, /the data dir \/var\/lib\/etcd sits on the root filesystem \(\/, ext4\).*allow_root_filesystem=true/],
    ['more memory than the host has', { kind: 'memory', duration: 5, memory_mib: 2000 }, { ...ok0, mem_available_kib: '1048576' }, /2000 MiB is more than 90% of the 1024 MiB available/],
    ['a stopped member', { kind: 'pause', duration: 5 }, { ...ok0, systemctl: '/bin/systemctl', active: 'inactive' }, /etcd\.service is inactive, not active/],
    ['no systemd-run: no rollback', { kind: 'stop', duration: 5 }, { systemctl: '/bin/systemctl', active: 'active', systemd_run: '' }, /systemd-run is missing/],
    ['no duration', { kind: 'stop' }, { ...ok0, systemctl: '/bin/systemctl', active: 'active' }, /etcd_fault stop needs duration/],
    ['loss without percent', { kind: 'loss', duration: 5 }, { ...ok0, iptables: 'x' }, /loss needs percent/],
    ['io_latency without a limit', { kind: 'io_latency', duration: 5 }, { ...ok0, systemctl: 'x', io_device: '8:1', io_block: 'yes', io_cgroup: 'io' }, /io_latency needs at least one limit: read_iops, write_iops, read_bps or write_bps/],
    ['io_latency on a data dir with no block device (a container\'s overlay)', { kind: 'io_latency', duration: 5, write_iops: 10 }, { ...ok0, systemctl: 'x', io_device: '0:121', io_fstype: 'overlayfs', io_cgroup: 'blkio-read-only' }, /io_latency needs the data dir \/var\/lib\/etcd on a block device \(cgroup IO limits act on a disk\), but it sits on overlayfs \(device 0:121\), which has none.*; nothing was changed/],
    ['io_latency with a read-only blkio hierarchy', { kind: 'io_latency', duration: 5, write_bps: '1M' }, { ...ok0, systemctl: 'x', io_device: '8:1', io_block: 'yes', io_cgroup: 'blkio-read-only' }, /neither cgroup v2 io nor a writable cgroup v1 blkio \(\/sys\/fs\/cgroup\/blkio is read-only/],
    ['io_latency on cgroup v2 without the io controller', { kind: 'io_latency', duration: 5, write_iops: 10 }, { ...ok0, systemctl: 'x', io_device: '8:1', io_block: 'yes', io_cgroup: 'v2-without-io' }, /cgroup\.controllers has no io/],
    ['io_latency by IOPS on cgroup v1', { kind: 'io_latency', duration: 5, write_iops: 10 }, { ...ok0, systemctl: 'x', io_device: '8:1', io_block: 'yes', io_cgroup: 'blkio' }, /read_iops and write_iops need the cgroup v2 io controller.*give read_bps or write_bps/],
  ];
  for (const [what, args, facts, message] of rows) {
    it(what, () => throws(() => planFault(args, facts, 'n1'), (e: Error) => e instanceof TaskFailure && message.test(e.message)));
  }
  it('allows the root filesystem when the user owns the machine', () => {
    strictEqual(planFault({ kind: 'disk_fill', duration: 5, allow_root_filesystem: true }, { ...ok0, fallocate: 'x', mount: '/', avail: '5' }, 'n1').changes.length, 1);
  });
});

describe('etcd_fault: the io_latency probe', () => {
  // Run here, on a real filesystem and a tmpfs: what it reports is what the refusal reads.
  const probeOf = (dir: string) => parseFaultFacts(execFileSync('sh', ['-c', probeScript(FAULT_KINDS.io_latency, { kind: 'io_latency', data_dir: dir }).text], { encoding: 'utf8' }));
  it('names the device of the data dir\'s filesystem, and whether it is a block device', () => {
    const shm = probeOf('/dev/shm');
    match(shm.io_device!, /^0:[0-9]+$/, 'a tmpfs has no block device (major 0)');
    strictEqual(shm.io_block, undefined);
    strictEqual(shm.io_fstype, 'tmpfs');
    match(shm.io_cgroup!, /^(io|v2-without-io|blkio|blkio-read-only|none)$/);
    strictEqual(probeOf('/nonexistent/etcd').io_device, undefined);
  });
});

describe('etcd_fault: in place, and the early clear', () => {
  const armed = { ...ok0, armed: 'yes', clear_script: 'iptables -w -F ETCDOPS_FAULT\n', iptables: 'x' };
  it('a second injection of a kind in place changes nothing', () => {
    const plan = planFault({ kind: 'partition', duration: 5 }, armed, 'n1');
    deepStrictEqual(plan.changes, []);
    match(plan.reason!, /a partition fault is already in place on n1, with its clear armed/);
  });
  it('the clear disarms the timer, runs the host\'s own clear script and shows it', () => {
    const plan = planFault({ kind: 'partition', action: 'clear' }, armed, 'n1');
    strictEqual(plan.changes[0]!.action, ChangeAction.DELETE);
    strictEqual(plan.changes[0]!.before, 'iptables -w -F ETCDOPS_FAULT\n');
    match(String(plan.result!.commands), /^systemctl stop etcdops-fault-clear-partition\.timer .*\nif \[ -f \/run\/etcdops-fault\/partition\.clear \]; then \/bin\/sh \/run\/etcdops-fault\/partition\.clear; echo cleared; fi$/);
  });
  it('clearing what is not in place is a no-op', () => {
    const plan = planFault({ kind: 'partition', action: 'clear' }, ok0, 'n1');
    deepStrictEqual(plan.changes, []);
    match(plan.reason!, /no partition fault in place on n1/);
    match(planFault({ kind: 'kill', action: 'clear' }, ok0, 'n1').reason!, /kill is over once injected/);
  });
  it('reads the probe\'s key=value lines, the clear script in base64', () => {
    deepStrictEqual(parseFaultFacts(`armed=yes\nclear_script=${Buffer.from('rm -f x\n').toString('base64')}\ndev=eth0\nnoise\n`), { armed: 'yes', clear_script: 'rm -f x\n', dev: 'eth0' });
  });
});
