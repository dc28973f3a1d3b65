// Which etcd version changes site.yml may make on a member: installing where nothing is installed, and a
// patch change within the running minor (the rolling restarts carry it). A downgrade or a minor (or
// larger) upgrade is refused, naming the running version and the way forward: a stale etcd_version
// must never roll a cluster back, and minor upgrades belong to upgrade.yml and its gates.
import { UpgradeStep, parseVersion, upgradeStep } from './upgrade-step.js';

export interface InstalledVersions {
  /** The version the running process was started from, or null when etcd does not run. */
  readonly running: string | null;
  /** The version /usr/local/bin/etcd links to, or null when there is no link. */
  readonly linked: string | null;
}

export interface SiteVersionVerdict {
  readonly allowed: boolean;
  readonly reason: string;
}

/** `etcd-v3.5.16-linux-amd64/etcd` (as a link target or /proc/PID/exe) → `3.5.16`. */
export function versionOfPath(path: string | null): string | null {
  const m = path === null ? null : /etcd-v(\d+\.\d+\.\d+)[^/]*\/etcd(?: \(deleted\))?$/.exec(path);
  return m ? m[1]! : null;
}

export function siteVersionChange(host: string, wanted: string, installed: InstalledVersions): SiteVersionVerdict {
  const target = parseVersion(wanted, 'etcd_version').version;
  const current = [...new Set([installed.running, installed.linked].filter((v): v is string => v !== null))];
  if (current.length === 0) return { allowed: true, reason: `no etcd installed yet: ${target} will be` };
  const shown = installed.running !== null ? `runs etcd ${installed.running}` : `has etcd ${installed.linked} linked (not running)`;
  const mixed = installed.running !== null && installed.linked !== null && installed.running !== installed.linked ? ` (its link names ${installed.linked}: an upgrade left half done)` : '';
  for (const version of current) {
    const step = upgradeStep(version, target);
    if (step.step === UpgradeStep.DOWNGRADE) {
      return {
        allowed: false,
        reason: `refused: ${host} ${shown}${mixed} and etcd_version says ${target}, a downgrade site.yml never makes. If ${version} is meant (e.g. after upgrade.yml), set etcd_version: ${version} in the inventory; to go back, run playbooks/upgrade.yml -e etcd_version=${target} -e etcd_upgrade_allow_downgrade=true`,
      };
    }
    if (step.step === UpgradeStep.MINOR && !step.allowed) return { allowed: false, reason: `refused: ${host} ${shown}${mixed} and etcd_version says ${target}: ${step.reason}` };
    if (step.step === UpgradeStep.MINOR) {
      return {
        allowed: false,
        reason: `refused: ${host} ${shown}${mixed} and etcd_version says ${target}, a minor upgrade: run playbooks/upgrade.yml -e etcd_version=${target} (one member at a time, behind its checks), or keep etcd_version: ${version}`,
      };
    }
    if (!step.allowed) return { allowed: false, reason: `refused: ${host} ${shown}${mixed} and etcd_version says ${target}: ${step.reason}` };
  }
  if (current.every((v) => v === target)) return { allowed: true, reason: `${host} ${shown}, as etcd_version says` };
  return { allowed: true, reason: `${host} ${shown}${mixed}: ${current.filter((v) => v !== target).join(', ')} → ${target} is a patch change, rolled out by the restarts one member at a time` };
}
