// Table tests of the version changes site.yml may make on a member: install where nothing is, patch
// changes; never a downgrade (a stale etcd_version) nor a minor upgrade (upgrade.yml's).
import { match, strictEqual } from 'node:assert/strict';
import { siteVersionChange, versionOfPath } from '../../src/etcd/site-version-change.js';

describe('siteVersionChange', () => {
  const rows: [running: string | null, linked: string | null, wanted: string, allowed: boolean, reason: RegExp][] = [
    [null, null, '3.5.16', true, /no etcd installed yet: 3\.5\.16 will be/],
    ['3.5.16', '3.5.16', '3.5.16', true, /runs etcd 3\.5\.16, as etcd_version says/],
    ['3.5.16', '3.5.16', '3.5.17', true, /3\.5\.16 → 3\.5\.17 is a patch change/],
    [null, '3.4.23', '3.4.27', true, /has etcd 3\.4\.23 linked \(not running\)/],
    // The case: upgrade.yml ran with -e, the inventory still says the old version.
    ['3.5.16', '3.5.16', '3.4.23', false, /refused: n1 runs etcd 3\.5\.16 and etcd_version says 3\.4\.23, a downgrade .* set etcd_version: 3\.5\.16 .* etcd_upgrade_allow_downgrade=true/],
    ['3.5.16', '3.5.16', '3.5.10', false, /a downgrade site\.yml never makes/],
    ['3.4.23', '3.4.23', '3.5.16', false, /refused: n1 runs etcd 3\.4\.23 .* a minor upgrade: run playbooks\/upgrade\.yml -e etcd_version=3\.5\.16 .* or keep etcd_version: 3\.4\.23/],
    ['3.4.23', '3.4.23', '3.6.0', false, /skips 1 minor version/],
    // Not even upgrade.yml makes this step: the reason and the safe path, not "run upgrade.yml".
    ['3.5.16', '3.5.16', '3.6.0', false, /refused: n1 runs etcd 3\.5\.16 and etcd_version says 3\.6\.0: .*3\.5\.26 or later before 3\.6.*first playbooks\/upgrade\.yml -e etcd_version=3\.5\.30 .*then playbooks\/upgrade\.yml -e etcd_version=3\.6\.0$/],
    ['3.5.30', '3.5.30', '3.6.0', false, /a minor upgrade: run playbooks\/upgrade\.yml -e etcd_version=3\.6\.0/],
    ['3.5.16', '3.5.16', '3.5.30', true, /3\.5\.16 → 3\.5\.30 is a patch change/],
    ['3.5.16', '3.5.16', '4.0.0', false, /major version/],
    // An upgrade stopped between the link flip and the restart: the running version decides too.
    ['3.4.23', '3.5.16', '3.5.16', false, /runs etcd 3\.4\.23 \(its link names 3\.5\.16: an upgrade left half done\) .* minor upgrade/],
    ['3.5.16', '3.4.23', '3.4.23', false, /downgrade/],
  ];
  for (const [running, linked, wanted, allowed, reason] of rows) {
    it(`running ${running ?? 'nothing'}, linked ${linked ?? 'nothing'}, etcd_version ${wanted}: ${allowed ? 'allowed' : 'refused'}`, () => {
      const verdict = siteVersionChange('n1', wanted, { running, linked });
      strictEqual(verdict.allowed, allowed, verdict.reason);
      match(verdict.reason, reason);
    });
  }
});

describe('versionOfPath', () => {
  const rows: [path: string | null, version: string | null][] = [
    ['/opt/etcd/etcd-v3.5.16-linux-amd64/etcd', '3.5.16'],
    ['/opt/etcd/etcd-v3.4.23-linux-amd64/etcd (deleted)', '3.4.23'],
    ['/usr/bin/etcd', null],
    [null, null],
  ];
  for (const [path, version] of rows) it(`${path} → ${version}`, () => strictEqual(versionOfPath(path), version));
});
