// Table tests of the version steps a rolling upgrade allows, and the cluster version it settles at.
import { deepStrictEqual, match, strictEqual, throws } from 'node:assert/strict';
import { expectedClusterVersion, upgradeStep, UpgradeStep } from '../../src/modules/etcd-upgrade-step.js';

const S = UpgradeStep;

describe('upgradeStep', () => {
  const rows: [from: string, to: string, force: boolean, step: UpgradeStep, allowed: boolean, reason: RegExp][] = [
    ['3.5.16', '3.5.16', false, S.SAME, true, /already on 3\.5\.16/],
    ['3.4.23', '3.4.27', false, S.PATCH, true, /patch upgrade/],
    ['3.4.23', '3.5.16', false, S.MINOR, true, /one-minor upgrade/],
    ['3.4.23', '3.5.0', false, S.MINOR, true, /one-minor/],
    ['3.4.23', '3.6.0', false, S.SKIPS_MINOR, false, /skips 1 minor version: upgrade to the latest 3\.5\.x first/],
    ['3.3.1', '3.6.0', false, S.SKIPS_MINOR, false, /skips 2 minor versions/],
    ['3.5.16', '4.0.0', false, S.MAJOR, false, /major version/],
    ['3.5.16', '3.5.10', false, S.DOWNGRADE, false, /downgrade: refused unless forced/],
    ['3.5.16', '3.4.23', false, S.DOWNGRADE, false, /etcd_upgrade_allow_downgrade=true/],
    ['3.5.16', '3.4.23', true, S.DOWNGRADE, true, /forced downgrade/],
    ['3.5.16', '3.5.10', true, S.DOWNGRADE, true, /forced downgrade/],
    ['3.6.0', '3.4.23', true, S.DOWNGRADE, false, /more than one minor/],
    ['v3.4.23', '3.5.16', false, S.MINOR, true, /3\.4\.23 → 3\.5\.16/],
  ];
  for (const [from, to, force, step, allowed, reason] of rows) {
    it(`${from} → ${to}${force ? ' (forced)' : ''}: ${step}, ${allowed ? 'allowed' : 'refused'}`, () => {
      const verdict = upgradeStep(from, to, { allowDowngrade: force });
      deepStrictEqual([verdict.step, verdict.allowed], [step, allowed]);
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
