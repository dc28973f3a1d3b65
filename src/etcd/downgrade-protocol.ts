// etcd's downgrade protocol (3.6+, etcd.io/docs/v3.6/downgrades/downgrade_3_6): before any member runs the
// older binary, the cluster itself is moved back one minor: `downgrade validate X.Y` (the cluster can go
// there), `downgrade enable X.Y` (the cluster version becomes X.Y.0 and each member migrates its storage
// schema to X.Y), then every member's `storage` version must read X.Y.0, and only then may the members
// be restarted on the older release one at a time, the leader last. Which of these steps are still owed is
// judged from what the cluster reports, so a run that stopped half-way resumes at the right step.
// The lab cannot run 3.6: this plan is table-tested (test/etcd/downgrade-protocol.test.ts).
import type Semver from 'semver';
import { onFirstUse } from '../startup/on-first-use.js';

const semver = onFirstUse<typeof Semver>('semver');

/** One step of the protocol, in the order they must run. */
export enum DowngradeStepKind {
  /** The cluster checks it can go back to the target minor; changes nothing. */
  VALIDATE = 'VALIDATE',
  /** The cluster version moves to the target minor and members migrate their storage schema. */
  ENABLE = 'ENABLE',
  /** Wait until every member reports the target's storage version. */
  WAIT_STORAGE = 'WAIT_STORAGE',
  /** Members restart on the older release one at a time, the leader last (the upgrade rollout). */
  ROLL_MEMBERS = 'ROLL_MEMBERS',
}

export interface DowngradeStep {
  readonly kind: DowngradeStepKind;
  /** What runs, in etcdctl's words, for the plan a user reads. */
  readonly command: string;
}

export interface DowngradeState {
  /** Every member's server version. */
  readonly versions: readonly string[];
  /** The target release, e.g. `3.5.30`. */
  readonly target: string;
  /** The cluster version the members report (`3.6.0`, or `3.5.0` once the downgrade is enabled). */
  readonly clusterVersion: string | null;
  /** Every member's storage version (`storage` of /version, 3.6+), null where a member did not say. */
  readonly storageVersions: readonly (string | null)[];
}

/** `3.5` for `3.5.30`. */
const minorOf = (version: Semver.SemVer): string => `${version.major}.${version.minor}`;

/**
 * The steps still owed to take the cluster to `target` through the protocol; empty when it does not apply
 * (no member runs 3.6+, or the step is not one minor back). Throws when the cluster is somewhere the
 * protocol cannot go on from, with what to do.
 */
export function downgradeProtocolSteps(state: DowngradeState): DowngradeStep[] {
  const target = semver().parse(state.target);
  const running = state.versions.map((v) => semver().parse(v)).filter((v): v is Semver.SemVer => v !== null).sort(semver().rcompare);
  const highest = running[0];
  if (!target || !highest || semver().lt(highest, '3.6.0')) return [];
  if (highest.major !== target.major || highest.minor - target.minor !== 1) return [];
  const targetMinor = minorOf(target);
  const cluster = state.clusterVersion ? semver().coerce(state.clusterVersion) : null;
  if (!cluster) throw new Error(`the cluster version is unknown: etcd's downgrade to ${targetMinor} needs it (is every member up?)`);
  const steps: DowngradeStep[] = [];
  const enabled = minorOf(cluster) === targetMinor;
  if (!enabled) {
    if (minorOf(cluster) !== minorOf(highest)) throw new Error(`the cluster version ${state.clusterVersion} is neither ${minorOf(highest)} nor ${targetMinor}: finish the upgrade or downgrade in progress first`);
    steps.push({ kind: DowngradeStepKind.VALIDATE, command: `etcdctl downgrade validate ${targetMinor}` });
    steps.push({ kind: DowngradeStepKind.ENABLE, command: `etcdctl downgrade enable ${targetMinor}` });
  }
  // Members already on the older release report its storage version (or none, before 3.6) themselves.
  const migrated = (storage: string | null, i: number): boolean => {
    const own = semver().parse(state.versions[i] ?? '');
    if (own && minorOf(own) === targetMinor) return true;
    const version = storage ? semver().coerce(storage) : null;
    return version !== null && minorOf(version) === targetMinor;
  };
  if (!enabled || !state.storageVersions.every(migrated)) {
    steps.push({ kind: DowngradeStepKind.WAIT_STORAGE, command: `etcdctl endpoint status: storage version ${targetMinor}.0 on every member` });
  }
  if (running.some((v) => minorOf(v) !== targetMinor)) {
    steps.push({ kind: DowngradeStepKind.ROLL_MEMBERS, command: `members restarted on ${target.version} one at a time, the leader last` });
  }
  return steps;
}
