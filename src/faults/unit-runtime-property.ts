// A resource-control property of etcd's unit set at run time (`systemctl set-property --runtime`), as
// the stress and IO faults lower etcd's own limits: the shell that sets it, and the shell that resets it
// and removes the drop-in systemd wrote for it, so the host is as it was.
import { sh, type ShellCode } from '../connection/shell-quote.js';
import { unitOf, type FaultArgs } from './fault-kind.js';

export interface RuntimeProperty {
  readonly set: ShellCode[];
  readonly reset: ShellCode[];
}

/** `property` set to `value` for the fault; undefined: nothing to set or reset. */
export function runtimeProperty(args: FaultArgs, property: string, value: string | undefined): RuntimeProperty {
  if (value === undefined) return { set: [], reset: [] };
  const unit = unitOf(args);
  return {
    set: [sh`systemctl set-property --runtime ${unit} ${`${property}=${value}`}`],
    // The reset leaves an empty drop-in (and set-property may have made its folders): all removed, so the
    // host is as it was.
    reset: [
      sh`systemctl set-property --runtime ${unit} ${`${property}=`} 2>/dev/null || true`,
      sh`rm -f ${`/run/systemd/system.control/${unit}.d/50-${property}.conf`}`,
      sh`rmdir ${`/run/systemd/system.control/${unit}.d`} /run/systemd/system.control 2>/dev/null || true`,
      // systemd noticed the drop-in go: reloaded, it no longer warns that the unit changed on disk.
      sh`systemctl daemon-reload`,
    ],
  };
}
