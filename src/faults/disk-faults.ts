// Disk faults on the filesystem of etcd's data dir: fill it (fallocate, leaving `leave_free_mib`) and IO
// load (dd rewriting a file with fdatasync in a loop). Filling the root filesystem would fill the whole
// machine (a lab host's root is the lab machine's disk), so it is refused unless the user owns the
// machine and says so.
import { sh, type ShellCode } from '../connection/shell-quote.js';
import type { FaultArgs, FaultFacts, FaultKind } from './fault-kind.js';

const MIB = 1048576;
const dataDir = (args: FaultArgs): string => args.data_dir ?? '/var/lib/etcd';
/** The files the faults make, inside the data dir so they are on its filesystem whatever is mounted where. */
export const fillFile = (args: FaultArgs): string => `${dataDir(args)}/etcdops-fault-fill`;
export const ioFile = (args: FaultArgs): string => `${dataDir(args)}/etcdops-fault-io`;

const probe = (args: FaultArgs): ShellCode => sh`printf 'fallocate=%s\\n' "$(command -v fallocate)"
df -B1 --output=target,avail,fstype ${dataDir(args)} 2>/dev/null | awk 'NR==2 {print "mount=" $1; print "avail=" $2; print "fstype=" $3}'`;

function diskRefusal(args: FaultArgs, facts: FaultFacts, what: string): string | undefined {
  if (!facts.mount) return `${what}: the data dir ${dataDir(args)} does not exist on this host`;
  if (facts.mount === '/' && args.allow_root_filesystem !== true) {
    return `${what}: the data dir ${dataDir(args)} sits on the root filesystem (/, ${facts.fstype}), shared with everything on the machine (a lab host's root is the lab machine's own disk); give etcd's data dir a filesystem of its own, or pass allow_root_filesystem=true on a machine you own`;
  }
  return undefined;
}

export const diskFillFault: FaultKind = {
  name: 'disk_fill',
  description: "fallocate fills the data dir's filesystem until `leave_free_mib` MiB are left",
  lasting: true,
  probe,
  refusal: (args, facts) => (!facts.fallocate ? 'disk_fill needs fallocate (util-linux), which is not on this host' : diskRefusal(args, facts, 'disk_fill')),
  inject: (args) => sh`avail=$(df -B1 --output=avail ${dataDir(args)} | tail -n 1)
size=$((avail - ${(args.leave_free_mib ?? 0) * MIB}))
if [ "$size" -gt 0 ]; then fallocate -l "$size" ${fillFile(args)}; fi`,
  clear: (args) => sh`rm -f ${fillFile(args)}`,
};

export const ioLoadFault: FaultKind = {
  name: 'io_load',
  description: 'dd rewrites a file of `io_mib` MiB in the data dir with fdatasync, in a loop',
  lasting: true,
  probe,
  refusal: (args, facts) => {
    const size = (args.io_mib ?? 64) * MIB;
    if (!facts.mount) return `io_load: the data dir ${dataDir(args)} does not exist on this host`;
    if (Number(facts.avail) < 4 * size) return `io_load: ${dataDir(args)} has ${Math.floor(Number(facts.avail) / MIB)} MiB free, less than 4 × io_mib (${args.io_mib ?? 64} MiB)`;
    return undefined;
  },
  inject: () => sh`:`,
  clear: (args) => sh`rm -f ${ioFile(args)}`,
  worker: (args) => sh`while :; do dd if=/dev/zero of=${ioFile(args)} bs=1M count=${args.io_mib ?? 64} conv=fdatasync 2>/dev/null; done`,
};
