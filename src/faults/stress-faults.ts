// Resource pressure on the member's host: CPU (busy workers) and memory (held pages), with stress-ng
// when the host has it and plain shell workers otherwise; optionally etcd's own cgroup limits lowered at
// run time (`systemctl set-property --runtime`), removed again by the clear.
import { joinCode, sh, type ShellCode } from '../connection/shell-quote.js';
import { unitOf, type FaultArgs, type FaultFacts, type FaultKind } from './fault-kind.js';
import { runtimeProperty } from './unit-runtime-property.js';

const probe = (args: FaultArgs): ShellCode => sh`printf 'stress_ng=%s\\n' "$(command -v stress-ng)"
printf 'cpus=%s\\n' "$(nproc)"
awk '/^MemAvailable:/ {print "mem_available_kib=" $2}' /proc/meminfo
printf 'active=%s\\n' "$(systemctl is-active ${unitOf(args)} 2>/dev/null)"`;

function limitRefusal(args: FaultArgs, facts: FaultFacts, limited: boolean): string | undefined {
  return limited && facts.active !== 'active' ? `${unitOf(args)} is ${facts.active || 'unknown'}: its limits can be lowered only while it runs` : undefined;
}

export const cpuFault: FaultKind = {
  name: 'cpu',
  description: 'busy workers on `workers` CPUs (default all); optionally etcd limited to `cpu_quota` (e.g. 20%)',
  lasting: true,
  probe,
  refusal: (args, facts) => limitRefusal(args, facts, args.cpu_quota !== undefined),
  inject: (args) => joinCode([sh`:`, ...runtimeProperty(args, 'CPUQuota', args.cpu_quota).set]),
  clear: (args) => joinCode([sh`:`, ...runtimeProperty(args, 'CPUQuota', args.cpu_quota).reset]),
  worker: (args, facts) => {
    const workers = args.workers ?? Number(facts.cpus || 1);
    if (facts.stress_ng) return sh`exec stress-ng --cpu ${workers} --quiet`;
    return sh`i=0
while [ "$i" -lt ${workers} ]; do (while :; do :; done) & i=$((i + 1)); done
wait`;
  },
};

export const memoryFault: FaultKind = {
  name: 'memory',
  description: 'holds `memory_mib` MiB of memory; optionally etcd limited to `memory_max` (e.g. 256M)',
  lasting: true,
  probe,
  refusal: (args, facts) => {
    if (args.memory_mib === undefined && args.memory_max === undefined) return 'memory needs memory_mib (to hold) or memory_max (etcd\'s limit)';
    const available = Number(facts.mem_available_kib) / 1024;
    if (args.memory_mib !== undefined && args.memory_mib > available * 0.9) {
      return `memory: ${args.memory_mib} MiB is more than 90% of the ${Math.floor(available)} MiB available on this host: the kernel's OOM killer would pick the victim, not the drill`;
    }
    return limitRefusal(args, facts, args.memory_max !== undefined);
  },
  inject: (args) => joinCode([sh`:`, ...runtimeProperty(args, 'MemoryMax', args.memory_max).set]),
  clear: (args) => joinCode([sh`:`, ...runtimeProperty(args, 'MemoryMax', args.memory_max).reset]),
  worker: (args, facts) => {
    const mib = args.memory_mib;
    if (mib === undefined) return undefined;
    if (facts.stress_ng) return sh`exec stress-ng --vm 1 --vm-bytes ${`${mib}M`} --vm-keep --quiet`;
    // tail keeps a line without a newline whole until its input ends: the pages stay held until the unit stops.
    return sh`{ head -c ${`${mib}M`} /dev/zero; sleep infinity; } | tail -n 1 >/dev/null`;
  },
};
