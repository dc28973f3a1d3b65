// Table tests of the version steps a rolling upgrade allows (etcd's published upgrade and downgrade rules;
// 3.6 cannot run in the lab, so its rules are tested here only), and the cluster version it settles at.
import { deepStrictEqual, match, strictEqual, throws } from 'node:assert/strict';
import { expectedClusterVersion, upgradeStep, UpgradeStep } from '../../src/etcd/upgrade-step.js';

const S = UpgradeStep;

describe('upgradeStep', () => {
  // cluster: the cluster version the members report (undefined: the caller does not know it, as site.yml).
  const rows: [from: string, to: string, force: boolean, cluster: string | null | undefined, step: UpgradeStep, allowed: boolean, reason: RegExp][] = [
    ['3.5.16', '3.5.16', false, '3.5.0', S.SAME, true, /already on 3\.5\.16/],
    // Patch upgrades: one step, however many patches.
    ['3.4.23', '3.4.27', false, '3.4.0', S.PATCH, true, /patch upgrade/],
    ['3.5.16', '3.5.30', false, '3.5.0', S.PATCH, true, /3\.5\.16 → 3\.5\.30 is a patch upgrade/],
    ['3.5.1', '3.5.30', false, undefined, S.PATCH, true, /patch upgrade/],
    ['3.6.0', '3.6.5', false, '3.6.0', S.PATCH, true, /patch upgrade/],
    // One minor at a time.
    ['3.4.23', '3.5.16', false, '3.4.0', S.MINOR, true, /one-minor upgrade/],
    ['3.4.23', '3.5.0', false, '3.4.0', S.MINOR, true, /one-minor/],
    ['3.4.23', '3.6.0', false, '3.4.0', S.SKIPS_MINOR, false, /skips 1 minor version: upgrade one minor at a time, to 3\.5\.30 \(the newest 3\.5 etcdops tests\) first/],
    ['3.3.1', '3.6.0', false, '3.3.0', S.SKIPS_MINOR, false, /skips 2 minor versions: .* to 3\.4\.23 .* first/],
    ['3.6.2', '3.8.0', false, '3.6.0', S.SKIPS_MINOR, false, /to the latest 3\.7\.x first/],
    // 3.6 only from 3.5.26 on: the reason and the two runs of the safe path.
    ['3.5.16', '3.6.0', false, '3.5.0', S.MINOR, false, /3\.5\.16 → 3\.6\.0 is refused: .*3\.5\.26 or later before 3\.6/],
    ['3.5.16', '3.6.0', false, '3.5.0', S.MINOR, false, /3\.5\.1–3\.5\.19 can turn voting members back into learners/],
    ['3.5.16', '3.6.0', false, '3.5.0', S.MINOR, false, /up to 3\.5\.25 members removed earlier can come back as zombies, and 3\.5\.26 repairs the membership store when it starts/],
    ['3.5.16', '3.6.0', false, '3.5.0', S.MINOR, false, /safe path is two runs: first playbooks\/upgrade\.yml -e etcd_version=3\.5\.30 \(a patch upgrade; .*\), then playbooks\/upgrade\.yml -e etcd_version=3\.6\.0$/],
    ['3.5.25', '3.6.4', true, '3.5.0', S.MINOR, false, /is refused: .*zombies/],
    ['3.5.26', '3.6.0', false, '3.5.0', S.MINOR, true, /one-minor upgrade/],
    ['3.5.30', '3.6.0', false, '3.5.0', S.MINOR, true, /3\.5\.30 → 3\.6\.0 is a one-minor upgrade/],
    ['3.5.16', '4.0.0', false, '3.5.0', S.MAJOR, false, /major version/],
    // Downgrades: refused unless forced.
    ['3.5.16', '3.5.10', false, '3.5.0', S.DOWNGRADE, false, /downgrade: refused unless forced/],
    ['3.5.30', '3.5.16', false, undefined, S.DOWNGRADE, false, /etcd_upgrade_allow_downgrade=true/],
    ['3.5.16', '3.4.23', false, undefined, S.DOWNGRADE, false, /etcd_upgrade_allow_downgrade=true/],
    ['3.5.16', '3.4.23', false, '3.4.0', S.DOWNGRADE, false, /etcd_upgrade_allow_downgrade=true/],
    // Forced: a patch freely; a minor only while the cluster still runs at the target's minor.
    ['3.5.16', '3.5.10', true, '3.5.0', S.DOWNGRADE, true, /forced downgrade/],
    ['3.5.30', '3.5.16', true, '3.5.0', S.DOWNGRADE, true, /forced downgrade/],
    ['3.5.16', '3.4.23', true, '3.4.0', S.DOWNGRADE, true, /forced downgrade/],
    ['3.5.16', '3.4.23', true, '3.5.0', S.DOWNGRADE, false, /cannot make by changing binaries now: the cluster runs at cluster version 3\.5\.0: etcd 3\.5 takes 3\.4 members back only from 3\.4\.32 on, .*--next-cluster-version-compatible.*authentication off.*restore\.yml on 3\.4\.23/],
    ['3.5.16', '3.4.23', false, '3.5.0', S.DOWNGRADE, false, /cannot make by changing binaries now/],
    ['3.5.16', '3.4.23', true, null, S.DOWNGRADE, false, /the cluster version is unknown/],
    ['3.5.16', '3.4.23', true, 'not_decided', S.DOWNGRADE, false, /the cluster version is unknown/],
    // 3.6+: back to 3.5 only through etcd's downgrade protocol (run by upgrade.yml first), never around it.
    ['3.6.0', '3.5.30', true, '3.6.0', S.DOWNGRADE, true, /forced downgrade, through etcd's downgrade protocol first \(downgrade validate 3\.5, downgrade enable 3\.5, storage version 3\.5\.0 on every member\), then the members one at a time, the leader last/],
    ['3.6.0', '3.5.30', false, '3.6.0', S.DOWNGRADE, false, /refused unless forced with etcd_upgrade_allow_downgrade=true, through etcd's downgrade protocol first/],
    ['3.6.0', '3.5.30', true, null, S.DOWNGRADE, false, /the cluster version is unknown/],
    ['3.6.0', '3.5.30', true, '3.5.0', S.DOWNGRADE, true, /forced downgrade/],
    ['3.6.0', '3.5.30', false, '3.5.0', S.DOWNGRADE, false, /refused unless forced/],
    ['3.6.3', '3.6.1', true, '3.6.0', S.DOWNGRADE, true, /forced downgrade/],
    ['3.6.0', '3.4.23', true, '3.4.0', S.DOWNGRADE, false, /more than one minor/],
    ['v3.4.23', '3.5.16', false, '3.4.0', S.MINOR, true, /3\.4\.23 → 3\.5\.16/],
  ];
  for (const [from, to, force, cluster, step, allowed, reason] of rows) {
    it(`${from} → ${to}${force ? ' (forced)' : ''}, cluster version ${cluster}: ${step}, ${allowed ? 'allowed' : 'refused'} (${reason.source.slice(0, 40)})`, () => {
      const verdict = upgradeStep(from, to, { allowDowngrade: force, clusterVersion: cluster });
      deepStrictEqual([verdict.step, verdict.allowed], [step, allowed], verdict.reason);
      match(verdict.reason, reason);
    });
  }
  it('names a version that is not X.Y.Z', () => {
    throws(() => upgradeStep('3.4.23', '3.5'), /target version "3\.5" is not a version like 3\.5\.16/);
    throws(() => upgradeStep('latest', '3.5.16'), /running version "latest"/);
  });
});

describe('expectedClusterVersion', () => {
  const rows: [versions: string[], expected: string][] = [
    [['3.5.16', '3.5.16', '3.5.16'], '3.5.0'],
    [['3.5.16', '3.4.23', '3.5.16'], '3.4.0'],
    [['3.4.23'], '3.4.0'],
  ];
  for (const [versions, expected] of rows) it(`${versions.join(', ')} → ${expected}`, () => strictEqual(expectedClusterVersion(versions), expected));
  it('needs at least one version', () => throws(() => expectedClusterVersion([]), /no member version/));
});
