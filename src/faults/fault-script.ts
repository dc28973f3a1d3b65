// The shell around every fault kind: the probe of what is in place, the injection that first writes the
// clear script and arms a transient systemd timer to run it after `duration` (so the host heals itself
// even if the control node dies or the SSH link drops), and the early clear. A failed injection runs
// the clear at once, so a fault is either fully in place with its rollback armed, or absent.
import { joinCode, sh, ShellCode } from '../connection/shell-quote.js';
import type { FaultArgs, FaultFacts, FaultKind } from './fault-kind.js';

/** Where the clear scripts live: a tmpfs, so a reboot (which ends every fault) leaves nothing behind. */
export const FAULT_STATE_DIR = '/run/etcdops-fault';
const HEREDOC_END = 'ETCDOPS_FAULT_CLEAR_END';

const unitName = (kind: FaultKind): string => kind.name.replace(/_/g, '-');
export const clearScriptPath = (kind: FaultKind): string => `${FAULT_STATE_DIR}/${unitName(kind)}.clear`;
/** The transient timer (and its service) that runs the clear script when the duration is over. */
export const clearTimerUnit = (kind: FaultKind): string => `etcdops-fault-clear-${unitName(kind)}`;
/** The transient service of a fault that is a running load (stress, IO, restart loop). */
export const workerUnit = (kind: FaultKind): string => `etcdops-fault-${unitName(kind)}`;

/** Prints `armed=yes` and the clear script when a fault of this kind is in place, then the kind's own facts. */
export function probeScript(kind: FaultKind, args: FaultArgs): ShellCode {
  return joinCode([
    sh`printf 'systemd_run=%s\\n' "$(command -v systemd-run)"`,
    sh`if [ -f ${clearScriptPath(kind)} ]; then echo armed=yes; printf 'clear_script=%s\\n' "$(base64 -w0 < ${clearScriptPath(kind)})"; fi`,
    kind.probe(args),
  ]);
}

/** Parses `key=value` lines (the last value of a key wins). */
export function parseFaultFacts(stdout: string): FaultFacts {
  const facts: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) facts[line.slice(0, eq)] = line.slice(eq + 1);
  }
  if (facts.clear_script !== undefined) facts.clear_script = Buffer.from(facts.clear_script, 'base64').toString('utf8');
  return facts;
}

/** The clear script's text: the kind's clear, the worker stopped, and the script removing itself. */
export function clearScript(kind: FaultKind, args: FaultArgs, facts: FaultFacts): string {
  const worker = kind.worker?.(args, facts) !== undefined ? [sh`systemctl stop ${`${workerUnit(kind)}.service`} 2>/dev/null`] : [];
  return joinCode([
    sh`# etcdops: clears the ${kind.name} fault (run by the timer ${clearTimerUnit(kind)}, or early by action=clear).`,
    ...worker,
    kind.clear(args, facts),
    sh`rm -f ${clearScriptPath(kind)}`,
    sh`rmdir ${FAULT_STATE_DIR} 2>/dev/null || true`,
  ]).text + '\n';
}

/** Injects the fault: the rollback armed first, then the fault; any failure rolls back at once. */
export function injectScript(kind: FaultKind, args: FaultArgs, facts: FaultFacts, duration: number): ShellCode {
  if (!kind.lasting) return joinCode([sh`set -e`, kind.inject(args, facts), sh`echo injected`]);
  const path = clearScriptPath(kind);
  const timer = clearTimerUnit(kind);
  const worker = kind.worker?.(args, facts);
  return joinCode([
    sh`set -e`,
    // A control node that dies mid-injection drops the SSH session: the script must still reach the armed
    // timer (or its rollback), not die between writing the clear script and arming it.
    sh`trap '' HUP PIPE`,
    sh`mkdir -p -m 0700 ${FAULT_STATE_DIR}`,
    new ShellCode(`cat > ${sh`${path}.new`.text} <<'${HEREDOC_END}'\n${clearScript(kind, args, facts)}${HEREDOC_END}`),
    sh`mv -f ${`${path}.new`} ${path}`,
    sh`trap ${`sh ${path}; systemctl stop ${timer}.timer 2>/dev/null`} EXIT`,
    sh`systemd-run --quiet --collect --unit ${timer} --on-active=${`${duration}s`} --timer-property=AccuracySec=100ms --timer-property=RemainAfterElapse=no /bin/sh ${path}`,
    kind.inject(args, facts),
    ...(worker === undefined
      ? []
      : [sh`systemd-run --quiet --collect --unit ${workerUnit(kind)} --property=RuntimeMaxSec=${duration} --property=CPUAccounting=yes --property=MemoryAccounting=yes /bin/sh -c ${worker.text}`]),
    sh`trap - EXIT`,
    sh`echo injected`,
  ]);
}

/** Clears early: the timer disarmed, then the clear script the injection wrote (the host's own record). */
export function earlyClearScript(kind: FaultKind): ShellCode {
  return sh`systemctl stop ${`${clearTimerUnit(kind)}.timer`} 2>/dev/null || true
if [ -f ${clearScriptPath(kind)} ]; then /bin/sh ${clearScriptPath(kind)}; echo cleared; fi`;
}
