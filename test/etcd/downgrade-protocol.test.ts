// Table test of etcd's downgrade protocol as upgrade.yml runs it (3.6 cannot run in the lab): which steps are
// still owed, in which order, judged from the member versions, cluster version and storage versions.
import { deepStrictEqual, throws } from 'node:assert/strict';
import { DowngradeStepKind, downgradeProtocolSteps, type DowngradeState } from '../../src/etcd/downgrade-protocol.js';

const { VALIDATE, ENABLE, WAIT_STORAGE, ROLL_MEMBERS } = DowngradeStepKind;
const three = (version: string): string[] => [version, version, version];

describe('downgradeProtocolSteps', () => {
  const rows: { readonly title: string; readonly state: Omit<DowngradeState, 'target'> & { target?: string }; readonly steps: DowngradeStepKind[]; readonly commands?: string[] }[] = [
    {
      title: '3.6 cluster, nothing enabled yet: validate, enable, wait for the storage versions, then the members',
      state: { versions: three('3.6.2'), clusterVersion: '3.6.0', storageVersions: three('3.6.0') },
      steps: [VALIDATE, ENABLE, WAIT_STORAGE, ROLL_MEMBERS],
      commands: ['etcdctl downgrade validate 3.5', 'etcdctl downgrade enable 3.5', 'etcdctl endpoint status: storage version 3.5.0 on every member', 'members restarted on 3.5.30 one at a time, the leader last'],
    },
    {
      title: 'enabled, one member still migrating its storage: wait, then the members',
      state: { versions: three('3.6.2'), clusterVersion: '3.5.0', storageVersions: ['3.5.0', '3.6.0', '3.5.0'] },
      steps: [WAIT_STORAGE, ROLL_MEMBERS],
    },
    {
      title: 'enabled, a member not reporting its storage version: wait',
      state: { versions: three('3.6.2'), clusterVersion: '3.5.0', storageVersions: ['3.5.0', null, '3.5.0'] },
      steps: [WAIT_STORAGE, ROLL_MEMBERS],
    },
    {
      title: 'enabled and migrated: only the members',
      state: { versions: three('3.6.2'), clusterVersion: '3.5.0', storageVersions: three('3.5.0') },
      steps: [ROLL_MEMBERS],
    },
    {
      title: 'a rollout that stopped half-way (one member back on 3.5, which reports no storage version): the rest of the members',
      state: { versions: ['3.5.30', '3.6.2', '3.6.2'], clusterVersion: '3.5.0', storageVersions: [null, '3.5.0', '3.5.0'] },
      steps: [ROLL_MEMBERS],
    },
    { title: 'every member back on 3.5: nothing', state: { versions: three('3.5.30'), clusterVersion: '3.5.0', storageVersions: three('') }, steps: [] },
    { title: 'a cluster below 3.6 (3.5 → 3.4 has no protocol): nothing', state: { versions: three('3.5.30'), clusterVersion: '3.5.0', storageVersions: three(''), target: '3.4.23' }, steps: [] },
    { title: 'an upgrade, not a downgrade: nothing', state: { versions: three('3.5.30'), clusterVersion: '3.5.0', storageVersions: three(''), target: '3.6.0' }, steps: [] },
    { title: 'a patch downgrade within 3.6: nothing', state: { versions: three('3.6.3'), clusterVersion: '3.6.0', storageVersions: three('3.6.0'), target: '3.6.1' }, steps: [] },
    {
      title: '3.7 → 3.6 the same way',
      state: { versions: three('3.7.0'), clusterVersion: '3.7.0', storageVersions: three('3.7.0'), target: '3.6.5' },
      steps: [VALIDATE, ENABLE, WAIT_STORAGE, ROLL_MEMBERS],
      commands: ['etcdctl downgrade validate 3.6', 'etcdctl downgrade enable 3.6', 'etcdctl endpoint status: storage version 3.6.0 on every member', 'members restarted on 3.6.5 one at a time, the leader last'],
    },
  ];
  for (const row of rows) {
    it(row.title, () => {
      const steps = downgradeProtocolSteps({ target: '3.5.30', ...row.state });
      deepStrictEqual(steps.map((s) => s.kind), row.steps);
      if (row.commands) deepStrictEqual(steps.map((s) => s.command), row.commands);
    });
  }

  it('refuses without a cluster version, and from a cluster version it cannot go on from', () => {
    throws(() => downgradeProtocolSteps({ versions: three('3.6.2'), target: '3.5.30', clusterVersion: null, storageVersions: three('3.6.0') }), /cluster version is unknown/);
    throws(() => downgradeProtocolSteps({ versions: ['3.6.2', '3.6.2', '3.7.0'], target: '3.6.0', clusterVersion: '3.5.0', storageVersions: three('3.5.0') }), /neither 3\.7 nor 3\.6: finish the upgrade or downgrade in progress first/);
  });
});
