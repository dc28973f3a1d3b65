// The per-host counters of the recap, counted as ansible-playbook does (ok includes changed and ignored).
import { type HostCounts } from '../reporters/events.js';
import { HostStatus } from '../plan/host-status.js';

export function emptyCounts(): HostCounts {
  return { ok: 0, changed: 0, failed: 0, unreachable: 0, skipped: 0, rescued: 0, ignored: 0, deferred: 0 };
}

/**
 * `rescuable`: the host is inside a block with `rescue`, so a failure counts as rescued, not failed.
 * `changed`: the failed result says changed, which an ignored failure also counts (as ansible-playbook).
 */
export function countOutcome(counts: HostCounts, status: HostStatus, ignored: boolean, rescuable = false, changed = false): void {
  switch (status) {
    case HostStatus.OK:
      counts.ok++;
      break;
    case HostStatus.CHANGED:
      counts.ok++;
      counts.changed++;
      break;
    case HostStatus.SKIPPED:
      counts.skipped++;
      break;
    case HostStatus.FAILED:
      // An ignored failure counts as ok and as ignored, as in ansible-playbook's recap.
      if (ignored) {
        counts.ok++;
        counts.ignored++;
        if (changed) counts.changed++;
      } else if (rescuable) counts.rescued++;
      else counts.failed++;
      break;
    case HostStatus.UNREACHABLE:
      counts.unreachable++;
      break;
    case HostStatus.DEFERRED:
      counts.deferred++;
      break;
  }
}
