// Which version changes a rolling upgrade may make: etcd supports one minor version at a time (a mixed
// cluster runs at the lower minor's cluster version), any patch change within a minor, and refuses a
// downgrade unless it is forced (and even then only one minor at a time).
import semver from 'semver';

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
  /** Allow going back one minor version or to an older patch (etcd's data must still be readable by it). */
  readonly allowDowngrade?: boolean;
}

/** Throws a readable error for anything that is not a plain X.Y.Z version. */
export function parseVersion(text: string, what: string): semver.SemVer {
  const parsed = semver.parse(text.trim().replace(/^v/, ''));
  if (!parsed) throw new Error(`${what} "${text}" is not a version like 3.5.16`);
  return parsed;
}

export function upgradeStep(from: string, to: string, options: UpgradeStepOptions = {}): UpgradeStepVerdict {
  const a = parseVersion(from, 'running version');
  const b = parseVersion(to, 'target version');
  const verdict = (step: UpgradeStep, allowed: boolean, reason: string): UpgradeStepVerdict => ({ step, allowed, reason });
  if (semver.eq(a, b)) return verdict(UpgradeStep.SAME, true, `already on ${b.version}`);
  if (a.major !== b.major) return verdict(UpgradeStep.MAJOR, false, `${a.version} → ${b.version} changes the major version, which etcd does not support in place`);
  const minors = b.minor - a.minor;
  if (semver.gt(b, a)) {
    if (minors === 0) return verdict(UpgradeStep.PATCH, true, `${a.version} → ${b.version} is a patch upgrade`);
    if (minors === 1) return verdict(UpgradeStep.MINOR, true, `${a.version} → ${b.version} is a one-minor upgrade`);
    const next = `${a.major}.${a.minor + 1}`;
    return verdict(UpgradeStep.SKIPS_MINOR, false, `${a.version} → ${b.version} skips ${minors - 1} minor version${minors > 2 ? 's' : ''}: upgrade to the latest ${next}.x first, one minor at a time`);
  }
  if (!options.allowDowngrade) {
    return verdict(UpgradeStep.DOWNGRADE, false, `${a.version} → ${b.version} is a downgrade: refused unless forced with etcd_upgrade_allow_downgrade=true`);
  }
  if (minors < -1) return verdict(UpgradeStep.DOWNGRADE, false, `${a.version} → ${b.version} goes back more than one minor version, which etcd cannot do even when forced`);
  return verdict(UpgradeStep.DOWNGRADE, true, `${a.version} → ${b.version} is a forced downgrade`);
}

/** The cluster version a cluster settles at once every member runs one of `versions`: the lowest minor, `.0`. */
export function expectedClusterVersion(versions: readonly string[]): string {
  const lowest = versions.map((v) => parseVersion(v, 'member version')).sort(semver.compare)[0];
  if (!lowest) throw new Error('no member version given');
  return `${lowest.major}.${lowest.minor}.0`;
}
