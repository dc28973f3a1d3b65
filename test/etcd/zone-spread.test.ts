// Table-driven: which memberships lose the quorum with one zone (voters only; a voter without a zone is a
// zone of its own), and the etcd_zone_spread refusal that names the zone, or lets it pass when allowed.
import { deepStrictEqual, match, strictEqual, throws } from 'node:assert/strict';
import { zoneSpread, type ZonedMember } from '../../src/etcd/zone-spread.js';
import { planZoneSpread } from '../../src/modules/etcd-zone-spread.js';
import { TaskFailure } from '../../src/modules/task-failure.js';
import { etcdContext } from '../modules/etcd-fixtures.js';

const v = (name: string, zone?: string): ZonedMember => ({ name, zone, voter: true });
const learner = (name: string, zone?: string): ZonedMember => ({ name, zone, voter: false });

describe('zoneSpread', () => {
  const rows: [what: string, members: ZonedMember[], quorum: number, fatal: string[]][] = [
    ['three zones of one', [v('n1', 'a'), v('n2', 'b'), v('n3', 'c')], 2, []],
    ['two of three in zone a', [v('n1', 'a'), v('n2', 'a'), v('n3', 'b')], 2, ['a']],
    ['all in one zone', [v('n1', 'a'), v('n2', 'a'), v('n3', 'a')], 2, ['a']],
    ['five over three zones, 2-2-1', [v('n1', 'a'), v('n2', 'a'), v('n3', 'b'), v('n4', 'b'), v('n5', 'c')], 3, []],
    ['five with three in one zone', [v('n1', 'a'), v('n2', 'a'), v('n3', 'a'), v('n4', 'b'), v('n5', 'c')], 3, ['a']],
    ['four over two zones, 2-2: either zone loses the quorum', [v('n1', 'a'), v('n2', 'a'), v('n3', 'b'), v('n4', 'b')], 3, ['a', 'b']],
    ['a learner in zone a does not count', [v('n1', 'a'), v('n2', 'b'), v('n3', 'c'), learner('n4', 'a')], 2, []],
    ['a voter without a zone is a zone of its own', [v('n1', 'a'), v('n2', 'b'), v('n3')], 2, []],
    ['two in zone a and one without a zone', [v('n1', 'a'), v('n2', 'a'), v('n3')], 2, ['a']],
    ['no zones at all', [v('n1'), v('n2'), v('n3')], 2, []],
  ];
  for (const [what, members, quorum, fatal] of rows) {
    it(what, () => {
      const spread = zoneSpread(members);
      deepStrictEqual({ quorum: spread.quorum, fatal: spread.fatal.map((z) => z.zone) }, { quorum, fatal });
    });
  }
});

describe('etcd_zone_spread: planZoneSpread', () => {
  const hosts = ['n1', 'n2', 'n3'];
  const zoned = (zones: Record<string, string>) => etcdContext(hosts, 'n1', Object.fromEntries(Object.entries(zones).map(([h, zone]) => [h, { etcd_zone: zone }])));
  it('refuses two of three members in zone a, naming the zone and the way out', () => {
    throws(
      () => planZoneSpread({}, zoned({ n1: 'a', n2: 'a', n3: 'b' })),
      (e: Error) => e instanceof TaskFailure && /zone a holds 2 of the 3 voting members \(n1, n2\): losing it leaves 1, fewer than the quorum of 2.*etcd_allow_zone_majority=true/.test(e.message),
    );
  });
  it('lets it pass with the override, still saying what it accepts', () => {
    const plan = planZoneSpread({ allow_majority: true }, zoned({ n1: 'a', n2: 'a', n3: 'b' }));
    deepStrictEqual(plan.changes, []);
    match(plan.reason!, /allowed by etcd_allow_zone_majority: zone a holds 2 of the 3/);
  });
  it('passes three zones', () => match(planZoneSpread({}, zoned({ n1: 'a', n2: 'b', n3: 'c' })).reason!, /any one zone can be lost/));
  it('checks nothing when no host has a zone', () => match(planZoneSpread({}, etcdContext(hosts)).reason!, /no host has etcd_zone/));
  it('leaves a standby learner out', () => {
    const ctx = etcdContext(['n1', 'n2', 'n3', 'n4'], 'n1', { n1: { etcd_zone: 'a' }, n2: { etcd_zone: 'b' }, n3: { etcd_zone: 'c' }, n4: { etcd_zone: 'a', etcd_learner: true } });
    strictEqual(planZoneSpread({}, ctx).result?.voters, 3);
  });
});
