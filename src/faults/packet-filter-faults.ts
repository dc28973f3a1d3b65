// Network faults made of iptables rules in a chain of their own (so the clear removes exactly what the
// inject added): a partition, one-way or both ways, and random packet loss (the `statistic` match, which
// needs no netem). Packets are matched on etcd's ports towards the given addresses (the other members),
// or towards any address but loopback when none is given (client traffic from applications).
import { joinCode, sh, type ShellCode } from '../connection/shell-quote.js';
import { FaultDirection, FaultTraffic, type FaultArgs, type FaultFacts, type FaultKind } from './fault-kind.js';

/** The ports of the traffic a network fault touches. */
export function faultPorts(args: FaultArgs): number[] {
  const client = args.client_port ?? 2379;
  const peer = args.peer_port ?? 2380;
  const traffic = args.traffic ?? FaultTraffic.BOTH;
  return traffic === FaultTraffic.PEER ? [peer] : traffic === FaultTraffic.CLIENT ? [client] : [client, peer];
}

/** One rule's address match per named address, or "anything but loopback" when no address is named. */
function addressMatches(args: FaultArgs, flag: '-s' | '-d'): ShellCode[] {
  const peers = args.peers ?? [];
  return peers.length > 0 ? peers.map((p) => sh`${flag} ${p}`) : [sh`! ${flag} 127.0.0.0/8`];
}

function chainRules(args: FaultArgs, chain: string, extra: ShellCode): ShellCode {
  const direction = args.direction ?? FaultDirection.BOTH;
  const ports = faultPorts(args).join(',');
  const rules: ShellCode[] = [];
  if (direction !== FaultDirection.OUT) {
    for (const m of addressMatches(args, '-s')) rules.push(sh`iptables -w -A ${chain} ${m} -p tcp -m multiport --ports ${ports} ${extra} -j DROP`);
  }
  if (direction !== FaultDirection.IN) {
    for (const m of addressMatches(args, '-d')) rules.push(sh`iptables -w -A ${chain} ${m} -p tcp -m multiport --ports ${ports} ${extra} -j DROP`);
  }
  const hooks = direction === FaultDirection.IN ? ['INPUT'] : direction === FaultDirection.OUT ? ['OUTPUT'] : ['INPUT', 'OUTPUT'];
  return joinCode([
    sh`iptables -w -N ${chain} 2>/dev/null || iptables -w -F ${chain}`,
    ...rules,
    ...hooks.map((hook) => sh`iptables -w -I ${hook} -j ${chain}`),
  ]);
}

const clearChain = (chain: string): ShellCode => sh`if iptables -w -n -L ${chain} >/dev/null 2>&1; then
  for hook in INPUT OUTPUT; do while iptables -w -D "$hook" -j ${chain} 2>/dev/null; do :; done; done
  iptables -w -F ${chain}; iptables -w -X ${chain}
fi`;

/** Runs `rule` in a throw-away network namespace: proves the kernel has the match without touching the host. */
const sandboxProbe = (rule: ShellCode): ShellCode => sh`printf 'iptables=%s\\n' "$(command -v iptables)"
if command -v unshare >/dev/null 2>&1 && unshare -n true 2>/dev/null; then
  out=$(unshare -n sh -c ${rule.text} 2>&1) && echo mechanism=ok || printf 'mechanism_error=%s\\n' "$(echo "$out" | tr '\\n' ' ')"
else echo mechanism=unchecked; fi`;

function filterRefusal(facts: FaultFacts, what: string): string | undefined {
  if (!facts.iptables) return `${what} needs iptables, which is not installed on this host (install the iptables package)`;
  if (facts.mechanism_error) return `${what} needs an iptables match this kernel lacks: iptables said: ${facts.mechanism_error.trim()}`;
  return undefined;
}

export const partitionFault: FaultKind = {
  name: 'partition',
  description: 'iptables DROP rules (chain ETCDOPS_FAULT) cut the member off from the others, both ways or one way (direction)',
  lasting: true,
  probe: () => sandboxProbe(sh`iptables -w -A INPUT -p tcp -m multiport --ports 1,2 -j DROP`),
  refusal: (_args, facts) => filterRefusal(facts, 'a partition'),
  inject: (args) => chainRules(args, 'ETCDOPS_FAULT', sh``),
  clear: () => clearChain('ETCDOPS_FAULT'),
};

export const lossFault: FaultKind = {
  name: 'loss',
  description: 'iptables `statistic --mode random` drops `percent`% of the packets (chain ETCDOPS_FAULT_LOSS)',
  lasting: true,
  probe: () => sandboxProbe(sh`iptables -w -A INPUT -p tcp -m statistic --mode random --probability 0.5 -j DROP`),
  refusal: (args, facts) => (args.percent === undefined ? 'loss needs percent (of packets dropped, 0-100)' : filterRefusal(facts, 'packet loss')),
  inject: (args) => chainRules(args, 'ETCDOPS_FAULT_LOSS', sh`-m statistic --mode random --probability ${((args.percent ?? 0) / 100).toFixed(4)}`),
  clear: () => clearChain('ETCDOPS_FAULT_LOSS'),
};
