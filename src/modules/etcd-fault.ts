// etcd_fault: injects one fault on this host for `duration` seconds, or clears it early. The host arms
// its own rollback before the fault starts (a transient systemd timer running the clear script the
// injection wrote), so the fault ends on time even if the control node dies mid-drill. The plan is pure:
// a kind the host cannot do (a missing tool or kernel mechanism, an unsafe disk) is refused before
// anything changes, and `--check --diff` shows the exact commands.
import { faultState } from '../facts/fault-state.js';
import { FaultDirection, FaultTraffic, type FaultArgs, type FaultFacts } from '../faults/fault-kind.js';
import { FAULT_KIND_NAMES, FAULT_KINDS, type FaultKindName } from '../faults/fault-registry.js';
import { clearTimerUnit, earlyClearScript, injectScript } from '../faults/fault-script.js';
import { ChangeAction, noop, type TaskPlan } from '../plan/change.js';
import { defineModule } from './module.js';
import { TaskFailure } from './task-failure.js';

/** The longest fault: a day; a drill that needs longer is a maintenance window, not a fault. */
const MAX_DURATION = 86_400;

export function planFault(args: FaultArgs, facts: FaultFacts, host: string): TaskPlan {
  const kind = FAULT_KINDS[args.kind as FaultKindName];
  const armed = facts.armed === 'yes';
  const result = { kind: kind.name, action: args.action ?? 'inject' };
  if ((args.action ?? 'inject') === 'clear') {
    if (!kind.lasting) return noop(`${kind.name} is over once injected: nothing to clear on ${host}`, result);
    if (!armed) return noop(`no ${kind.name} fault in place on ${host}`, result);
    const commands = earlyClearScript(kind).text;
    return {
      changes: [{ action: ChangeAction.DELETE, target: `fault ${kind.name}`, reason: `clear the ${kind.name} fault now (before its timer ${clearTimerUnit(kind)} fires)`, before: facts.clear_script }],
      result: { ...result, commands },
    };
  }
  if (armed) return noop(`a ${kind.name} fault is already in place on ${host}, with its clear armed; clear it first (action=clear) to change it`, result);
  if (args.duration === undefined && kind.lasting) throw new TaskFailure(`etcd_fault ${kind.name} needs duration (seconds, at most ${MAX_DURATION}): the host clears the fault itself after it`, result);
  if (kind.lasting && !facts.systemd_run) throw new TaskFailure(`cannot inject ${kind.name} on ${host}: systemd-run is missing, and without it the host could not clear the fault by itself; nothing was changed`, result);
  const refusal = kind.refusal(args, facts);
  if (refusal !== undefined) throw new TaskFailure(`cannot inject ${kind.name} on ${host}: ${refusal}; nothing was changed`, result);
  const commands = injectScript(kind, args, facts, args.duration ?? 0).text;
  const reason = kind.lasting
    ? `inject ${kind.name} for ${args.duration} s (${kind.description}); the host clears it itself when the timer ${clearTimerUnit(kind)} fires`
    : `inject ${kind.name} (${kind.description})`;
  return {
    changes: [{ action: kind.lasting ? ChangeAction.CREATE : ChangeAction.RUN, target: `fault ${kind.name}`, reason, after: `${commands}\n` }],
    result: { ...result, duration: args.duration, commands },
  };
}

const number = (description: string, extra: Record<string, unknown> = {}) => ({ type: 'number', description, ...extra });

export const etcdFaultModule = defineModule<FaultArgs, FaultFacts>({
  name: 'etcd_fault',
  description: 'Inject one fault on this host (process, network, disk, stress) for a duration, with the clear armed on the host first; or clear it early.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['kind'],
    properties: {
      kind: { type: 'string', enum: FAULT_KIND_NAMES, description: `The fault: ${FAULT_KIND_NAMES.map((k) => `${k} (${FAULT_KINDS[k].description})`).join('; ')}.` },
      action: { type: 'string', enum: ['inject', 'clear'], description: 'inject (default) or clear the fault early; clearing twice is harmless.' },
      duration: number('Seconds the fault lasts; the host clears it itself after them (required to inject, except kill).', { exclusiveMinimum: 0, maximum: MAX_DURATION }),
      unit: { type: 'string', pattern: '^[A-Za-z0-9@_.:-]+$', description: 'etcd\'s systemd unit (default etcd).' },
      peers: { type: 'array', items: { type: 'string', pattern: '^[0-9A-Fa-f.:]+$' }, maxItems: 64, description: 'Addresses (IPv4) network faults match (fault.yml: the other members, or none with towards=any); none: any address but loopback.' },
      traffic: { type: 'string', enum: Object.values(FaultTraffic), description: 'Network faults: peer, client or both (default) kinds of etcd traffic.' },
      direction: { type: 'string', enum: Object.values(FaultDirection), description: 'partition and loss: in, out or both (default) ways.' },
      client_port: number('etcd\'s client port (default 2379).', { minimum: 1, maximum: 65535 }),
      peer_port: number('etcd\'s peer port (default 2380).', { minimum: 1, maximum: 65535 }),
      percent: number('loss: percentage of the matched packets dropped.', { minimum: 0, maximum: 100 }),
      delay_ms: number('delay: milliseconds added to each matched outgoing packet.', { minimum: 0, maximum: 60000 }),
      jitter_ms: number('delay: ± milliseconds of random variation.', { minimum: 0, maximum: 60000 }),
      rate: { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?(bit|kbit|mbit|gbit|bps|kbps|mbps)$', description: 'bandwidth: the limit, e.g. 1mbit or 256kbit.' },
      interval: number('restart_loop: seconds between two kills (default 10).', { exclusiveMinimum: 0, maximum: 3600 }),
      count: { type: 'integer', minimum: 0, maximum: 10000, description: 'restart_loop: kills at most (default 0: until the duration is over).' },
      data_dir: { type: 'string', pattern: '^/[^\\n]*$', description: 'disk_fill, io_load, io_latency: etcd\'s data dir (default /var/lib/etcd); its filesystem is the one loaded.' },
      leave_free_mib: number('disk_fill: MiB left free on the filesystem (default 0).', { minimum: 0 }),
      allow_root_filesystem: { type: 'boolean', description: 'disk_fill: fill the data dir even when it sits on the root filesystem (only on a machine you own).' },
      io_mib: number('io_load: MiB rewritten per pass (default 64).', { minimum: 1, maximum: 4096 }),
      read_iops: { type: 'integer', minimum: 1, maximum: 10000000, description: 'io_latency: etcd\'s read operations per second on the data dir\'s disk, at most (cgroup v2).' },
      write_iops: { type: 'integer', minimum: 1, maximum: 10000000, description: 'io_latency: etcd\'s write operations per second on the data dir\'s disk, at most (cgroup v2).' },
      read_bps: { type: 'string', pattern: '^[0-9]+[KMGT]?$', description: 'io_latency: etcd\'s reads from the data dir\'s disk, bytes per second at most (e.g. 1M).' },
      write_bps: { type: 'string', pattern: '^[0-9]+[KMGT]?$', description: 'io_latency: etcd\'s writes to the data dir\'s disk, bytes per second at most (e.g. 1M).' },
      workers: { type: 'integer', minimum: 1, maximum: 1024, description: 'cpu: busy workers (default one per CPU).' },
      memory_mib: number('memory: MiB held.', { minimum: 1 }),
      cpu_quota: { type: 'string', pattern: '^[0-9]+%$', description: 'cpu: etcd\'s unit limited to this CPUQuota= for the duration (e.g. 20%).' },
      memory_max: { type: 'string', pattern: '^[0-9]+[KMG]?$', description: 'memory: etcd\'s unit limited to this MemoryMax= for the duration (e.g. 256M).' },
    },
  },
  example: `- name: etcd peer traffic of this member loses 30% of its packets for 20 s
  etcd_fault:
    kind: loss
    percent: 30
    traffic: peer
    peers: ["10.0.0.12", "10.0.0.13"]
    duration: 20
`,
  idempotent: true,
  gather: (args, ctx) => ctx.facts.as(true).read(faultState, args),
  plan: (args, facts, ctx) => planFault(args, facts, ctx.host),
  async apply(args, plan, ctx) {
    const commands = String(plan.result!.commands);
    const out = await ctx.connection.exec(commands, { become: true });
    const result = { ...plan.result, rc: out.code, stdout: out.stdout, stderr: out.stderr };
    if (out.code !== 0) {
      return { changed: true, failed: true, result, msg: `${args.action ?? 'inject'} of ${args.kind} failed on ${ctx.host} (exit ${out.code}; a failed injection ran its clear at once): ${out.stderr.trim() || out.stdout.trim()}` };
    }
    return { changed: true, result };
  },
});
