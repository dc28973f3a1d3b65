// Network faults made with tc on the egress of the interface that reaches the other members: delay and
// jitter (netem) and a bandwidth limit (an htb class). An htb root sends only the matched etcd traffic
// (u32 filters on the addresses and ports) through the fault; everything else, SSH included, goes through
// htb's direct queue untouched. The host's root qdisc is replaced only when it is a kernel default, and the
// clear deletes only etcdops' own root (handle 1: htb), which brings the default back.
import { joinCode, sh, type ShellCode } from '../connection/shell-quote.js';
import type { FaultArgs, FaultFacts, FaultKind } from './fault-kind.js';
import { faultPorts } from './packet-filter-faults.js';

/** Root qdiscs the kernel puts on an interface by itself: replacing one of these loses no user setting. */
const DEFAULT_ROOT_QDISCS = ['noqueue', 'pfifo_fast', 'fq_codel', 'mq', 'fq', 'pfifo'];

/** The u32 matches that send a packet through the fault: per address (or any) and port, either end of the connection. */
function filterMatches(args: FaultArgs): ShellCode[] {
  const peers = args.peers ?? [];
  const matches: ShellCode[] = [];
  for (const port of faultPorts(args)) {
    for (const dst of peers.length > 0 ? peers.map((p) => sh`match ip dst ${`${p}/32`} `) : [sh``]) {
      matches.push(sh`${dst}match ip dport ${port} 0xffff`, sh`${dst}match ip sport ${port} 0xffff`);
    }
  }
  return matches;
}

function shaping(args: FaultArgs, facts: FaultFacts, rate: string, leaf: ShellCode | undefined): ShellCode {
  const dev = facts.dev;
  return joinCode([
    sh`tc qdisc replace dev ${dev} root handle 1: htb`,
    sh`tc class add dev ${dev} parent 1: classid 1:1 htb rate ${rate}`,
    ...(leaf ? [sh`tc qdisc add dev ${dev} parent 1:1 handle 10: ${leaf}`] : []),
    ...filterMatches(args).map((m) => sh`tc filter add dev ${dev} parent 1: protocol ip prio 1 u32 ${m} flowid 1:1`),
  ]);
}

/** The interface towards the first peer (else the default route's, else the first with a global address), its root qdisc, and whether the kernel has the qdiscs. */
const probe = (kinds: string) => (args: FaultArgs): ShellCode => {
  const towards = (args.peers ?? [])[0] ?? '';
  return sh`printf 'tc=%s\\n' "$(command -v tc)"
towards=${towards}
if [ -n "$towards" ]; then dev=$(ip -o route get "$towards" 2>/dev/null | sed -n 's/.* dev \\([^ ]*\\).*/\\1/p')
else dev=$(ip -o route show default 2>/dev/null | sed -n 's/.* dev \\([^ ]*\\).*/\\1/p' | head -n 1)
  [ -n "$dev" ] || dev=$(ip -o -4 addr show scope global 2>/dev/null | awk 'NR==1 {print $2}'); fi
printf 'dev=%s\\n' "$dev"
[ -n "$dev" ] && printf 'root_qdisc=%s\\n' "$(tc qdisc show dev "$dev" root 2>/dev/null | awk 'NR==1 {print $2 " " $3}')"
if command -v unshare >/dev/null 2>&1 && unshare -n true 2>/dev/null; then
  out=$(unshare -n sh -c ${kinds} 2>&1) && echo mechanism=ok || printf 'mechanism_error=%s\\n' "$(echo "$out" | tr '\\n' ' ')"
else echo mechanism=unchecked; fi`;
};

function shapingRefusal(args: FaultArgs, facts: FaultFacts, what: string, needs: string): string | undefined {
  if (!facts.tc) return `${what} needs tc, which is not installed on this host (install the iproute2 package)`;
  if (facts.mechanism_error) return `${what} needs ${needs}, which this kernel lacks: tc said: ${facts.mechanism_error.trim()}`;
  if (!facts.dev) return `${what}: no interface routes to ${(args.peers ?? [])[0] ?? 'a default route, and none has a global IPv4 address'}`;
  const [kind, handle] = (facts.root_qdisc ?? '').split(' ');
  if (kind === 'htb' && handle === '1:') return `${what}: etcdops' own qdisc is already on ${facts.dev} (a delay or bandwidth fault is in place): clear it first`;
  if (kind && !DEFAULT_ROOT_QDISCS.includes(kind)) return `${what}: ${facts.dev} has a root qdisc of its own (${kind} ${handle}) that etcdops will not replace`;
  return undefined;
}

const clearRoot = (facts: FaultFacts): ShellCode =>
  sh`if tc qdisc show dev ${facts.dev} root 2>/dev/null | grep -q '^qdisc htb 1: '; then tc qdisc del dev ${facts.dev} root; fi`;

export const delayFault: FaultKind = {
  name: 'delay',
  description: 'tc netem adds `delay_ms` (± `jitter_ms`) to the member\'s outgoing etcd traffic; needs the netem qdisc',
  lasting: true,
  probe: probe('ip link set lo up && tc qdisc add dev lo root handle 1: htb && tc class add dev lo parent 1: classid 1:1 htb rate 1gbit && tc qdisc add dev lo parent 1:1 handle 10: netem delay 1ms'),
  refusal: (args, facts) =>
    args.delay_ms === undefined ? 'delay needs delay_ms' : shapingRefusal(args, facts, 'a delay', 'the netem qdisc (kernel module sch_netem) under an htb class'),
  inject: (args, facts) =>
    shaping(args, facts, '10gbit', args.jitter_ms ? sh`netem delay ${`${args.delay_ms}ms`} ${`${args.jitter_ms}ms`}` : sh`netem delay ${`${args.delay_ms}ms`}`),
  clear: (_args, facts) => clearRoot(facts),
};

export const bandwidthFault: FaultKind = {
  name: 'bandwidth',
  description: 'an htb class limits the member\'s outgoing etcd traffic to `rate` (e.g. 1mbit)',
  lasting: true,
  probe: probe('ip link set lo up && tc qdisc add dev lo root handle 1: htb && tc class add dev lo parent 1: classid 1:1 htb rate 1mbit && tc filter add dev lo parent 1: protocol ip prio 1 u32 match ip dport 1 0xffff flowid 1:1'),
  refusal: (args, facts) => (args.rate === undefined ? 'bandwidth needs rate (e.g. 1mbit)' : shapingRefusal(args, facts, 'a bandwidth limit', 'the htb qdisc and u32 filters')),
  inject: (args, facts) => shaping(args, facts, args.rate!, undefined),
  clear: (_args, facts) => clearRoot(facts),
};
