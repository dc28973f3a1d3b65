// Faults on the etcd process, through systemd so they hit every process of the unit: kill (systemd's
// Restart= brings it back), stop, pause (SIGSTOP: a hung member that keeps its sockets open, so its peers
// see timeouts rather than refused connections) and a restart loop (SIGKILL every `interval` seconds).
import { sh } from '../connection/shell-quote.js';
import { unitOf, type FaultArgs, type FaultFacts, type FaultKind } from './fault-kind.js';

const probeUnit = (args: FaultArgs) => sh`printf 'active=%s\\n' "$(systemctl is-active ${unitOf(args)} 2>/dev/null)"
printf 'systemctl=%s\\n' "$(command -v systemctl)"`;

const notRunning = (args: FaultArgs, facts: FaultFacts): string | undefined =>
  facts.systemctl === '' ? 'systemctl is missing: process faults need systemd'
  : facts.active !== 'active' ? `${unitOf(args)} is ${facts.active || 'unknown'}, not active: there is no running member to fault`
  : undefined;

export const killFault: FaultKind = {
  name: 'kill',
  description: 'SIGKILL to every etcd process; systemd (Restart=on-failure) brings the member back',
  lasting: false,
  probe: probeUnit,
  refusal: notRunning,
  inject: (args) => sh`systemctl kill --signal=SIGKILL ${unitOf(args)}`,
  clear: () => sh`:`,
};

export const stopFault: FaultKind = {
  name: 'stop',
  description: '`systemctl stop etcd`; the clear starts it again',
  lasting: true,
  probe: probeUnit,
  refusal: notRunning,
  inject: (args) => sh`systemctl stop ${unitOf(args)}`,
  // Not waiting for the member to rejoin: the host's own rollback must not hang; the playbook's gate waits.
  clear: (args) => sh`systemctl start --no-block ${unitOf(args)}`,
};

export const pauseFault: FaultKind = {
  name: 'pause',
  description: 'SIGSTOP to every etcd process (a hung member keeping its sockets open); the clear sends SIGCONT',
  lasting: true,
  probe: probeUnit,
  refusal: notRunning,
  inject: (args) => sh`systemctl kill --signal=SIGSTOP ${unitOf(args)}`,
  clear: (args) => sh`systemctl kill --signal=SIGCONT ${unitOf(args)} 2>/dev/null || true`,
};

export const restartLoopFault: FaultKind = {
  name: 'restart_loop',
  description: 'SIGKILL to etcd every `interval` seconds (`count` times at most) for the duration',
  lasting: true,
  probe: probeUnit,
  refusal: notRunning,
  inject: () => sh`:`,
  clear: () => sh`:`,
  worker: (args) => {
    const count = args.count ?? 0;
    return sh`n=0
while [ ${count} -eq 0 ] || [ "$n" -lt ${count} ]; do
  systemctl kill --signal=SIGKILL ${unitOf(args)} || true
  n=$((n + 1))
  sleep ${args.interval ?? 10}
done`;
  },
};
