// Table tests of the upgrade order (followers in inventory order, the leader last) and of the rollback
// steps printed when a rollout stops.
import { deepStrictEqual, match, ok } from 'node:assert/strict';
import { linkCommands, rollbackSteps, upgradeOrder, type UpgradeCandidate } from '../../src/etcd/upgrade-order.js';

const m = (name: string, version: string, leader = false): UpgradeCandidate => ({ name, version, leader });

describe('upgradeOrder', () => {
  const rows: [what: string, members: UpgradeCandidate[], order: string[], last: string | null, done: string[]][] = [
    ['leader first in the inventory goes last', [m('n1', '3.4.23', true), m('n2', '3.4.23'), m('n3', '3.4.23')], ['n2', 'n3', 'n1'], 'n1', []],
    ['leader in the middle goes last', [m('n1', '3.4.23'), m('n2', '3.4.23', true), m('n3', '3.4.23')], ['n1', 'n3', 'n2'], 'n2', []],
    ['members already upgraded are left alone', [m('n1', '3.5.16'), m('n2', '3.4.23'), m('n3', '3.4.23', true)], ['n2', 'n3'], 'n3', ['n1']],
    ['an upgraded leader: only followers remain', [m('n1', '3.5.16', true), m('n2', '3.4.23'), m('n3', '3.5.16')], ['n2'], null, ['n1', 'n3']],
    ['nothing to do', [m('n1', '3.5.16', true), m('n2', '3.5.16')], [], null, ['n1', 'n2']],
    ['five members', [m('a', '3.4.23'), m('b', '3.4.23'), m('c', '3.4.23', true), m('d', '3.4.23'), m('e', '3.4.23')], ['a', 'b', 'd', 'e', 'c'], 'c', []],
  ];
  for (const [what, members, order, last, done] of rows) {
    it(what, () => deepStrictEqual(upgradeOrder(members, '3.5.16'), { order, last, done }));
  }
});

describe('linkCommands', () => {
  it('going back before 3.5 also drops the etcdutl link', () =>
    deepStrictEqual(linkCommands('/opt/etcd/', '3.4.23'), [
      'ln -sfn /opt/etcd/etcd-v3.4.23-linux-amd64/etcd /usr/local/bin/etcd',
      'ln -sfn /opt/etcd/etcd-v3.4.23-linux-amd64/etcdctl /usr/local/bin/etcdctl',
      'rm -f /usr/local/bin/etcdutl',
    ]));
  it('a 3.5 release links etcdutl too', () =>
    deepStrictEqual(linkCommands('/opt/etcd', '3.5.10'), ['etcd', 'etcdctl', 'etcdutl'].map((t) => `ln -sfn /opt/etcd/etcd-v3.5.10-linux-amd64/${t} /usr/local/bin/${t}`)));
});

describe('rollbackSteps', () => {
  const base = { host: 'n2', from: '3.4.23', to: '3.5.16', installDir: '/opt/etcd', clusterVersion: '3.4.0' };
  it('names the member, the members not touched, the kept binary and the links to flip', () => {
    const text = rollbackSteps({ ...base, untouched: [m('n3', '3.4.23', true)], upgraded: ['n1'] });
    match(text, /^The upgrade to 3\.5\.16 stopped at n2; not touched: n3 \(3\.4\.23\)\./);
    match(text, /previous binary of n2 is kept in \/opt\/etcd\/etcd-v3\.4\.23-linux-amd64/);
    match(text, /flip the links back: ln -sfn \/opt\/etcd\/etcd-v3\.4\.23-linux-amd64\/etcd \/usr\/local\/bin\/etcd && .* && rm -f \/usr\/local\/bin\/etcdutl$/m);
    match(text, /Already on 3\.5\.16: n1\. .*cluster version 3\.4\.0/);
  });
  it('the last member: nothing waits, and no member was upgraded before', () => {
    const text = rollbackSteps({ ...base, untouched: [], upgraded: [] });
    match(text, /no other member was waiting/);
    ok(!/Already on/.test(text));
  });
});
