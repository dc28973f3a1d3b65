// Which version changes a rolling upgrade may make, by etcd's published rules: any patch upgrade within a
// minor in one step; one minor version at a time (a mixed cluster runs at the lower minor's cluster
// version), some of them only from a minimum patch of the minor before (MINOR_PREREQUISITES); no major
// change. A downgrade only when forced: a patch one freely, a minor one only while the cluster version is
// still the target's minor (a stopped upgrade), or from 3.6 on through etcd's own downgrade protocol, which
// upgrade.yml runs before any binary changes (src/etcd/downgrade-protocol.ts): a cluster running at the
// higher minor refuses older members, and a change of binaries must never bypass the protocol.
import type Semver from 'semver';
import { onFirstUse } from '../startup/on-first-use.js';
import { newestTestedPatch } from './tested-etcd-releases.js';

const semver = onFirstUse<typeof Semver>('semver');

/** How a member's version relates to the target version. */
export enum UpgradeStep {
  /** Already on the target: nothing to do. */
  SAME = 'SAME',
  /** Same minor, newer patch. */
  PATCH = 'PATCH',
  /** The next minor version (any patch). */
  MINOR = 'MINOR',
  /** Skips at least one minor version: refused. */
  SKIPS_MINOR = 'SKIPS_MINOR',
  /** Another major version: refused. */
  MAJOR = 'MAJOR',
  /** An older version: refused unless forced. */
  DOWNGRADE = 'DOWNGRADE',
}

export interface UpgradeStepVerdict {
  readonly step: UpgradeStep;
  /** Whether the rolling upgrade may make this change. */
  readonly allowed: boolean;
  /** In words a user can act on. */
  readonly reason: string;
}

export interface UpgradeStepOptions {
  /** Allow going back to an older patch, or one minor while the cluster version allows it. */
  readonly allowDowngrade?: boolean;
  /** The cluster version the members report (e.g. `3.5.0`); a forced minor downgrade needs it. */
  readonly clusterVersion?: string | null;
}

interface MinorPrerequisite {
  /** The lowest patch of the minor before from which the upgrade is safe. */
  readonly minimum: string;
  readonly why: string;
}

/** Minor versions etcd's maintainers allow only from a minimum patch of the minor before, and why. */
const MINOR_PREREQUISITES: Readonly<Record<string, MinorPrerequisite>> = {
  '3.6': {
    minimum: '3.5.26',
    why:
      "etcd's maintainers require 3.5.26 or later before 3.6: on the way to 3.6, members on 3.5.1–3.5.19 can turn voting members back into learners " +
      '("membership: too many learner member"), up to 3.5.25 members removed earlier can come back as zombies, and 3.5.26 repairs the membership store when it starts',
  },
};

/** Throws a readable error for anything that is not a plain X.Y.Z version. */
export function parseVersion(text: string, what: string): Semver.SemVer {
  const parsed = semver().parse(text.trim().replace(/^v/, ''));
  if (!parsed) throw new Error(`${what} "${text}" is not a version like 3.5.16`);
  return parsed;
}

/** `3.5.30 (the newest 3.5 etcdops tests)`, or `the latest 3.5.x` when no tested release fits. */
function patchToName(major: number, minor: number): string {
  const tested = newestTestedPatch(major, minor);
  return tested ? `${tested} (the newest ${major}.${minor} etcdops tests)` : `the latest ${major}.${minor}.x`;
}

/** Why a forced minor downgrade cannot be a change of binaries now, or null when it can. */
function minorDowngradeBlocker(a: Semver.SemVer, b: Semver.SemVer, clusterVersion: string | null | undefined): string | null {
  const cluster = clusterVersion ? semver().coerce(clusterVersion) : null;
  if (!cluster) return `the cluster version is unknown, and a minor downgrade by changing binaries is safe only while it is still ${b.major}.${b.minor}`;
  if (cluster.major === b.major && cluster.minor === b.minor) return null;
  // 3.6+ goes back through etcd's downgrade protocol, which upgrade.yml runs first (downgrade-protocol.ts).
  if (semver().gte(a, '3.6.0') && cluster.major === a.major && cluster.minor === a.minor) return null;
  const restore = `Stay on ${a.major}.${a.minor}, or restore the snapshot taken before the upgrade with playbooks/restore.yml on ${b.version} (what was written since is lost)`;
  if (a.major === 3 && a.minor === 5) {
    return (
      `the cluster runs at cluster version ${clusterVersion}: etcd 3.5 takes 3.4 members back only from 3.4.32 on, started with --next-cluster-version-compatible and with authentication off ` +
      `(3.5 changed how auth is written to the WAL), which etcdops does not do. ${restore}`
    );
  }
  return `the cluster runs at cluster version ${clusterVersion}, and its members refuse an older etcd. ${restore}`;
}

/** Whether the cluster version is already `b`'s minor (the downgrade protocol moved it, or an upgrade stopped). */
function clusterAt(clusterVersion: string | null | undefined, b: Semver.SemVer): boolean {
  const cluster = clusterVersion ? semver().coerce(clusterVersion) : null;
  return cluster !== null && cluster.major === b.major && cluster.minor === b.minor;
}

export function upgradeStep(from: string, to: string, options: UpgradeStepOptions = {}): UpgradeStepVerdict {
  const a = parseVersion(from, 'running version');
  const b = parseVersion(to, 'target version');
  const verdict = (step: UpgradeStep, allowed: boolean, reason: string): UpgradeStepVerdict => ({ step, allowed, reason });
  if (semver().eq(a, b)) return verdict(UpgradeStep.SAME, true, `already on ${b.version}`);
  if (a.major !== b.major) return verdict(UpgradeStep.MAJOR, false, `${a.version} → ${b.version} changes the major version, which etcd does not support in place`);
  const minors = b.minor - a.minor;
  if (semver().gt(b, a)) {
    if (minors === 0) return verdict(UpgradeStep.PATCH, true, `${a.version} → ${b.version} is a patch upgrade`);
    if (minors === 1) {
      const prerequisite = MINOR_PREREQUISITES[`${b.major}.${b.minor}`];
      if (prerequisite && semver().lt(a, prerequisite.minimum)) {
        const tested = newestTestedPatch(a.major, a.minor, prerequisite.minimum);
        const first = tested
          ? `playbooks/upgrade.yml -e etcd_version=${tested} (a patch upgrade; ${tested} is the newest ${a.major}.${a.minor} etcdops tests)`
          : `playbooks/upgrade.yml -e etcd_version=${a.major}.${a.minor}.Z with the latest Z (${prerequisite.minimum} or later)`;
        return verdict(
          UpgradeStep.MINOR,
          false,
          `${a.version} → ${b.version} is refused: ${prerequisite.why}. The safe path is two runs: first ${first}, then playbooks/upgrade.yml -e etcd_version=${b.version}`,
        );
      }
      return verdict(UpgradeStep.MINOR, true, `${a.version} → ${b.version} is a one-minor upgrade`);
    }
    return verdict(
      UpgradeStep.SKIPS_MINOR,
      false,
      `${a.version} → ${b.version} skips ${minors - 1} minor version${minors > 2 ? 's' : ''}: upgrade one minor at a time, to ${patchToName(a.major, a.minor + 1)} first`,
    );
  }
  if (minors < -1) return verdict(UpgradeStep.DOWNGRADE, false, `${a.version} → ${b.version} goes back more than one minor version, which etcd cannot do even when forced`);
  // Without force and without a cluster version to judge by, the plain refusal below says enough.
  const judged = options.allowDowngrade === true || options.clusterVersion !== undefined;
  const blocker = minors === 0 || !judged ? null : minorDowngradeBlocker(a, b, options.clusterVersion);
  if (blocker) return verdict(UpgradeStep.DOWNGRADE, false, `${a.version} → ${b.version} is a downgrade etcd cannot make by changing binaries now: ${blocker}`);
  const protocol = minors === -1 && semver().gte(a, '3.6.0') && !clusterAt(options.clusterVersion, b);
  const how = protocol ? `, through etcd's downgrade protocol first (downgrade validate ${b.major}.${b.minor}, downgrade enable ${b.major}.${b.minor}, storage version ${b.major}.${b.minor}.0 on every member), then the members one at a time, the leader last` : '';
  if (!options.allowDowngrade) {
    return verdict(UpgradeStep.DOWNGRADE, false, `${a.version} → ${b.version} is a downgrade: refused unless forced with etcd_upgrade_allow_downgrade=true${how}`);
  }
  return verdict(UpgradeStep.DOWNGRADE, true, `${a.version} → ${b.version} is a forced downgrade${how}`);
}

/** The cluster version a cluster settles at once every member runs one of `versions`: the lowest minor, `.0`. */
export function expectedClusterVersion(versions: readonly string[]): string {
  const lowest = versions.map((v) => parseVersion(v, 'member version')).sort(semver().compare)[0];
  if (!lowest) throw new Error('no member version given');
  return `${lowest.major}.${lowest.minor}.0`;
}
