// Table-driven: the facts defrag.yml and recover-space.yml decide with (which members, the leader last),
// and the plans of etcd_defrag, etcd_compact and etcd_alarm_disarm from a status read, including the
// refusal to disarm NOSPACE while the data does not fit under the quota.
import { deepStrictEqual, match, strictEqual, throws } from 'node:assert/strict';
import type { ClusterSpace, MemberSpace } from '../../src/etcd/backend-space.js';
import { planDisarm } from '../../src/modules/etcd-alarm-disarm.js';
import { planCompact } from '../../src/modules/etcd-compact.js';
import { planDefrag } from '../../src/modules/etcd-defrag.js';
import { planSpace, spaceFacts } from '../../src/modules/etcd-space.js';
import { TaskFailure } from '../../src/modules/task-failure.js';
import { etcdContext } from './etcd-fixtures.js';

const MIB = 1024 * 1024;
const hosts = ['n1', 'n2', 'n3'];
const m = (name: string, dbSize: number, inUse: number, leader = false): MemberSpace => ({
  name,
  id: `${name}id`,
  endpoint: `https://10.0.0.${name.slice(1)}:2379`,
  isLearner: false,
  isLeader: leader,
  dbSize: dbSize * MIB,
  dbSizeInUse: inUse * MIB,
  revision: 500,
});
const space = (members: MemberSpace[], alarms: ClusterSpace['alarms'] = []): ClusterSpace => ({ members, unreachable: [], alarms });

describe('etcd_space: spaceFacts', () => {
  const rows: [what: string, members: MemberSpace[], args: Record<string, unknown>, pending: string[], leader: string][] = [
    ['the leader is picked last, followers in inventory order', [m('n3', 300, 10), m('n1', 300, 10, true), m('n2', 300, 10)], {}, ['n2', 'n3', 'n1'], 'n1'],
    ['only members over both thresholds', [m('n1', 300, 10), m('n2', 300, 290, true), m('n3', 50, 1)], {}, ['n1'], ''],
    ['lower thresholds pick small files', [m('n1', 8, 1), m('n2', 8, 1, true), m('n3', 8, 1)], { min_free_mib: 2, min_free_percent: 50 }, ['n1', 'n3', 'n2'], 'n2'],
    ['nothing to do', [m('n1', 8, 7), m('n2', 8, 7, true), m('n3', 8, 7)], {}, [], ''],
    ['force picks every member', [m('n1', 8, 7), m('n2', 8, 7, true), m('n3', 8, 7)], { force: true }, ['n1', 'n3', 'n2'], 'n2'],
  ];
  for (const [what, members, args, pending, leader] of rows) {
    it(what, () => {
      const facts = spaceFacts(args, space(members), hosts);
      deepStrictEqual({ pending: facts.etcd_defrag_pending, leader: facts.etcd_defrag_leader }, { pending, leader });
    });
  }
  it('names the alarms and says whether NOSPACE is raised', () => {
    const facts = spaceFacts({}, space([m('n1', 16, 16, true), m('n2', 16, 16)], [{ memberId: 'n2id', alarm: 'NOSPACE' }]), hosts);
    deepStrictEqual([facts.etcd_space_alarms, facts.etcd_nospace], [['NOSPACE on n2'], true]);
  });
  it('refuses to decide while a member cannot be read, naming it', () => {
    const unreachable = { ...space([m('n1', 8, 1, true)]), unreachable: [{ name: 'n2', error: 'deadline exceeded' }] };
    throws(() => planSpace({}, unreachable, etcdContext(hosts)), (e: Error) => e instanceof TaskFailure && /n2 \(deadline exceeded\)/.test(e.message));
  });
});

describe('etcd_defrag: planDefrag', () => {
  const ctx = etcdContext(hosts);
  it('plans a defragmentation with the sizes before', () => {
    const plan = planDefrag({ min_free_mib: 2, min_free_percent: 50 }, { member: 'n1', size: { dbSize: 8 * MIB, dbSizeInUse: 1 * MIB } }, ctx);
    strictEqual(plan.changes.length, 1);
    match(plan.changes[0]!.reason, /defragment n1: db size 8\.0 MiB, in use 1\.0 MiB, free 7\.0 MiB \(87\.5%\)/);
    deepStrictEqual(plan.result, { member: 'n1', defragmented: true, before: { db_size: 8 * MIB, db_size_in_use: 1 * MIB } });
  });
  it('plans nothing under the thresholds, and says why', () => {
    const plan = planDefrag({ min_free_mib: 2, min_free_percent: 50 }, { member: 'n1', size: { dbSize: 8 * MIB, dbSizeInUse: 7 * MIB } }, ctx);
    deepStrictEqual(plan.changes, []);
    match(plan.reason!, /n1: .*under 2 MiB and under 50% free/);
  });
});

describe('etcd_compact: planCompact', () => {
  const ctx = etcdContext(hosts);
  const rows: [what: string, keep: number, revision: number, compacted: boolean, target: number | null][] = [
    ['compacts to the current revision', 0, 500, false, 500],
    ['keeps the asked history', 100, 500, false, 400],
    ['already compacted that far', 0, 500, true, null],
    ['nothing to compact when the history kept covers it all', 600, 500, false, null],
  ];
  for (const [what, keep, revision, compacted, target] of rows) {
    it(what, () => {
      const plan = planCompact({ keep_revisions: keep }, { revision, compacted }, ctx);
      strictEqual(plan.changes.length, target === null ? 0 : 1);
      if (target !== null) deepStrictEqual(plan.result, { revision, compacted_to: target });
    });
  }
});

describe('etcd_alarm_disarm: planDisarm', () => {
  const ctx = etcdContext(hosts, 'n1', {}, { etcd_quota_backend_bytes: 16 * MIB });
  const nospace = [{ memberId: 'n1id', alarm: 'NOSPACE' }];
  it('disarms once every member fits under the quota', () => {
    const plan = planDisarm({}, space([m('n1', 1, 1, true), m('n2', 1, 1), m('n3', 1, 1)], nospace), ctx);
    strictEqual(plan.changes.length, 1);
    deepStrictEqual(plan.result?.disarmed, ['n1']);
  });
  it('refuses while the data in use is still at or above the quota, naming the member and what to do', () => {
    throws(
      () => planDisarm({}, space([m('n1', 17, 16.5, true), m('n2', 1, 1)], nospace), ctx),
      (e: Error) => e instanceof TaskFailure && /refusing to disarm NOSPACE: the data in use .* n1 \(16\.5 MiB\); delete keys/.test(e.message),
    );
  });
  it('refuses while a file is still at the quota (etcd compares the file with it on every write)', () => {
    throws(() => planDisarm({}, space([m('n1', 16, 2, true), m('n2', 1, 1)], nospace), ctx), (e: Error) => e instanceof TaskFailure && /defragment those members first/.test(e.message));
  });
  it('plans nothing without a NOSPACE alarm', () => {
    const plan = planDisarm({}, space([m('n1', 17, 17, true)]), ctx);
    deepStrictEqual([plan.changes, plan.reason], [[], 'no NOSPACE alarm is raised']);
  });
  it('takes the quota from the argument before the variable', () => {
    throws(() => planDisarm({ quota_bytes: 1 * MIB }, space([m('n1', 2, 1, true)], nospace), ctx), TaskFailure);
  });
});
