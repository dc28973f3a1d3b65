// IO latency on the disk under etcd's data dir: the cgroup IO limits of etcd's own unit lowered at run
// time (`systemctl set-property --runtime etcd IOWriteIOPSMax=DATA_DIR N`, ...), so each WAL fsync
// queues behind the limit (etcd_disk_wal_fsync_duration_seconds rises), and reset by the clear. systemd
// finds the block device under the data dir; cgroup v2 writes io.max (IOPS and bandwidth), cgroup v1
// only has blkio's bandwidth throttle. A data dir on no block device (tmpfs, overlay: a container's
// directory) or a cgroup hierarchy the host may not write (a container's read-only blkio) has nothing
// to limit: the pre-flight refuses, naming which.
import { joinCode, sh, type ShellCode } from '../connection/shell-quote.js';
import type { FaultArgs, FaultFacts, FaultKind } from './fault-kind.js';
import { runtimeProperty } from './unit-runtime-property.js';

const dataDir = (args: FaultArgs): string => args.data_dir ?? '/var/lib/etcd';

/** The limits asked, as systemd's per-device properties (the device is the data dir's). */
function limits(args: FaultArgs): [property: string, value: string | undefined][] {
  const on = (value: number | string | undefined) => (value === undefined ? undefined : `${dataDir(args)} ${value}`);
  return [
    ['IOReadIOPSMax', on(args.read_iops)],
    ['IOWriteIOPSMax', on(args.write_iops)],
    ['IOReadBandwidthMax', on(args.read_bps)],
    ['IOWriteBandwidthMax', on(args.write_bps)],
  ];
}

/**
 * The device number of the data dir's filesystem (major 0: no block device, e.g. tmpfs or overlay), whether
 * the kernel knows it as a block device, and which IO controller systemd could write: `io` (cgroup v2),
 * `blkio` (v1, writable), or why none (`v2-without-io`, `blkio-read-only`, `none`).
 */
const probe = (args: FaultArgs): ShellCode => sh`printf 'systemctl=%s\\n' "$(command -v systemctl)"
if d=$(stat -c %d ${dataDir(args)} 2>/dev/null); then
  dev="$(( (d >> 8) & 0xfff )):$(( (d & 0xff) | ((d >> 12) & 0xfff00) ))"
  printf 'io_device=%s\\n' "$dev"
  printf 'io_fstype=%s\\n' "$(stat -f -c %T ${dataDir(args)})"
  if [ -e "/sys/dev/block/$dev" ]; then echo io_block=yes; fi
fi
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  if grep -qw io /sys/fs/cgroup/cgroup.controllers; then echo io_cgroup=io; else echo io_cgroup=v2-without-io; fi
elif [ -d /sys/fs/cgroup/blkio ]; then
  if [ -w /sys/fs/cgroup/blkio ]; then echo io_cgroup=blkio; else echo io_cgroup=blkio-read-only; fi
else echo io_cgroup=none; fi`;

function refusal(args: FaultArgs, facts: FaultFacts): string | undefined {
  const asked = limits(args).filter(([, value]) => value !== undefined);
  if (asked.length === 0) return 'io_latency needs at least one limit: read_iops, write_iops, read_bps or write_bps';
  if (/\s/.test(dataDir(args))) return `io_latency: the data dir "${dataDir(args)}" has white space, which systemd's per-device limits cannot take`;
  if (!facts.systemctl) return 'io_latency needs systemd (systemctl set-property), which this host lacks';
  if (!facts.io_device) return `io_latency: the data dir ${dataDir(args)} does not exist on this host`;
  if (facts.io_block !== 'yes') {
    return `io_latency needs the data dir ${dataDir(args)} on a block device (cgroup IO limits act on a disk), but it sits on ${facts.io_fstype || 'a filesystem'} (device ${facts.io_device}), which has none: a tmpfs, or a container's directory`;
  }
  switch (facts.io_cgroup) {
    case 'io':
      return undefined;
    case 'blkio':
      return args.read_iops !== undefined || args.write_iops !== undefined
        ? 'io_latency: read_iops and write_iops need the cgroup v2 io controller (io.max); this host has cgroup v1, whose blkio controller systemd limits by bandwidth only: give read_bps or write_bps'
        : undefined;
    case 'v2-without-io':
      return 'io_latency needs the cgroup v2 io controller, which is not enabled on this host (/sys/fs/cgroup/cgroup.controllers has no io)';
    case 'blkio-read-only':
      return 'io_latency needs a cgroup IO controller systemd can write: this host has neither cgroup v2 io nor a writable cgroup v1 blkio (/sys/fs/cgroup/blkio is read-only, as in a container)';
    default:
      return 'io_latency needs a cgroup IO controller (cgroup v2 io, or v1 blkio), which this host lacks';
  }
}

export const ioLatencyFault: FaultKind = {
  name: 'io_latency',
  description: "etcd's unit limited to `read_iops`/`write_iops`/`read_bps`/`write_bps` on the data dir's disk (cgroup io.max, set at run time): slow fsyncs",
  lasting: true,
  probe,
  refusal,
  inject: (args) => joinCode([sh`:`, ...limits(args).flatMap(([property, value]) => runtimeProperty(args, property, value).set)]),
  clear: (args) => joinCode([sh`:`, ...limits(args).flatMap(([property, value]) => runtimeProperty(args, property, value).reset)]),
};
