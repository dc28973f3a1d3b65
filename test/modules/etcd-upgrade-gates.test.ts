// Table tests of the upgrade gates on cluster health snapshots: the pre-flight (etcd_upgrade_check),
// the leadership hand-over (etcd_leader), a member's readiness and the completed upgrade.
import { deepStrictEqual, match, strictEqual, throws } from 'node:assert/strict';
import type { ClusterHealth, MemberHealth } from '../../src/etcd/cluster-health.js';
import { planLeader } from '../../src/modules/etcd-leader.js';
import { readinessProblems } from '../../src/modules/etcd-member-ready.js';
import { afterProblems, etcdUpgradeCheckModule } from '../../src/modules/etcd-upgrade-check.js';
import { ChangeAction } from '../../src/plan/change.js';
import { moduleContext } from './module-context.js';

const member = (name: string, version: string, extra: Partial<MemberHealth> = {}): MemberHealth => ({
  name, id: `${name}id`, peerURLs: [], clientURLs: [`https://${name}:2379`], isLearner: false, started: true, healthy: true, isLeader: false,
  raftIndex: 100, raftAppliedIndex: 100, raftTerm: 2, version, dbSize: 1, alarms: [], endpoint: `https://${name}:2379`, error: null, ...extra,
});
const cluster = (members: MemberHealth[], problems: string[] = []): ClusterHealth => ({
  healthy: problems.length === 0, members, leaderId: members.find((m) => m.isLeader)?.id ?? null, problems,
  pendingLearners: members.filter((m) => m.isLearner).map((m) => m.name), checkedAt: '', durationMs: 1,
});
const vars = { groups: { etcd: ['n1', 'n2', 'n3'] }, etcd_install_dir: '/opt/etcd' };
const three = (leader: string, versions = ['3.4.23', '3.4.23', '3.4.23']) =>
  cluster(['n1', 'n2', 'n3'].map((n, i) => member(n, versions[i]!, { isLeader: n === leader })));

describe('etcd_upgrade_check before', () => {
  const plan = (health: ClusterHealth, version: string, extra: Record<string, unknown> = {}, clusterVersion = '3.4.0') =>
    etcdUpgradeCheckModule.plan({ version, ...extra }, { health, clusterVersion }, moduleContext(vars));
  it('sets the order with the leader last and a rollback text per member', () => {
    const facts = plan(three('n1'), '3.5.16').result!.ansible_facts as Record<string, any>;
    deepStrictEqual(facts.etcd_upgrade_pending, ['n2', 'n3', 'n1']);
    strictEqual(facts.etcd_upgrade_last, 'n1');
    match(facts.etcd_upgrade_rollback.n3, /stopped at n3; not touched: n1 \(3\.4\.23\)/);
    deepStrictEqual(facts.etcd_upgrade.from, ['3.4.23']);
  });
  const refusals: [what: string, health: ClusterHealth, version: string, why: RegExp][] = [
    ['an unhealthy member', cluster([member('n1', '3.4.23', { isLeader: true }), member('n2', '3.4.23', { healthy: false, error: 'down' }), member('n3', '3.4.23')], ['member n2 is unhealthy: down']), '3.5.16', /member n2 is unhealthy/],
    ['an alarm', cluster([member('n1', '3.4.23', { isLeader: true }), member('n2', '3.4.23'), member('n3', '3.4.23')], ['alarm NOSPACE raised on member n2']), '3.5.16', /NOSPACE/],
    ['no leader', three('none'), '3.5.16', /0 members are leader/],
    ['a learner', cluster([member('n1', '3.4.23', { isLeader: true }), member('n2', '3.4.23'), member('n3', '3.4.23', { isLearner: true })]), '3.5.16', /n3 is a learner/],
    ['a host that is not a member', cluster([member('n1', '3.4.23', { isLeader: true }), member('n2', '3.4.23')]), '3.5.16', /n3 is not a member yet/],
    ['a skipped minor', three('n1'), '3.6.0', /skips 1 minor/],
    ['a downgrade', three('n1', ['3.5.16', '3.5.16', '3.5.16']), '3.4.23', /is a downgrade/],
  ];
  for (const [what, health, version, why] of refusals) {
    it(`refuses ${what}`, () => throws(() => plan(health, version), (e: Error) => /pre-flight refused the upgrade/.test(e.message) && why.test(e.message)));
  }
  it('refuses 3.5.16 → 3.6 with the reason and the safe path', () =>
    throws(() => plan(three('n1', ['3.5.16', '3.5.16', '3.5.16']), '3.6.0', {}, '3.5.0'), (e: Error) => /pre-flight refused the upgrade to 3\.6\.0, nothing was touched: .*3\.5\.26 or later before 3\.6.*first playbooks\/upgrade\.yml -e etcd_version=3\.5\.30/.test(e.message)));
  it('allows 3.5.30 → 3.6, and a 3.5.16 → 3.5.30 patch upgrade', () => {
    deepStrictEqual((plan(three('n1', ['3.5.30', '3.5.30', '3.5.30']), '3.6.0', {}, '3.5.0').result!.ansible_facts as any).etcd_upgrade_pending, ['n2', 'n3', 'n1']);
    match(plan(three('n2', ['3.5.16', '3.5.16', '3.5.16']), '3.5.30', {}, '3.5.0').reason!, /3\.5\.16 → 3\.5\.30 is a patch upgrade; order: n1, n3, then the leader n2 last/);
  });
  it('refuses a forced minor downgrade once the cluster version is the newer minor, naming the way back', () =>
    throws(() => plan(three('n1', ['3.5.16', '3.5.16', '3.5.16']), '3.4.23', { allow_downgrade: true }, '3.5.0'), /cannot make by changing binaries now: the cluster runs at cluster version 3\.5\.0/));
  it('allows a forced downgrade', () => deepStrictEqual((plan(three('n1', ['3.5.16', '3.5.16', '3.5.16']), '3.4.23', { allow_downgrade: 'true' }).result!.ansible_facts as any).etcd_upgrade_pending, ['n2', 'n3', 'n1']));
  it('resumes a stopped rollout with the members left', () => match(plan(three('n3', ['3.5.16', '3.4.23', '3.4.23']), '3.5.16').reason!, /order: n2, then the leader n3 last/));
});

describe('etcd_upgrade_check after, a gate', () => {
  const plan = (versions: string[], clusterVersion: string, unapplied = false) =>
    etcdUpgradeCheckModule.plan(
      { version: '3.5.16', stage: 'after' },
      { health: three('n1', versions), clusterVersion },
      { ...moduleContext(vars), unappliedChanges: unapplied ? [{ host: 'n3', task: 'etcd binaries linked', target: '/usr/local/bin/etcd' }] : [] },
    );
  it('passes when every member and the cluster version are on the target, and sets the fact', () => {
    const p = plan(['3.5.16', '3.5.16', '3.5.16'], '3.5.0');
    deepStrictEqual(p.changes, []);
    deepStrictEqual((p.result!.ansible_facts as Record<string, unknown>).etcd_cluster_version, '3.5.0');
  });
  it('waits in apply when a member is behind and nothing was planned before', () => {
    const p = plan(['3.5.16', '3.5.16', '3.4.23'], '3.4.0');
    deepStrictEqual(p.changes.map((c) => [c.action, c.target]), [[ChangeAction.RUN, 'etcd member and cluster versions']]);
    match(p.changes[0]!.reason, /^wait until every member runs 3\.5\.16 and the cluster version has followed \(up to 60 s\) \(now: member n3 reports 3\.4\.23, not 3\.5\.16\)$/);
    strictEqual(p.result!.ansible_facts, undefined);
  });
  it('is deferred while the upgrades planned before it are not applied', () => {
    match(plan(['3.4.23', '3.4.23', '3.4.23'], '3.4.0', true).deferred!, /judged after 1 earlier change of this run not applied yet \(n3: \/usr\/local\/bin\/etcd\)/);
  });
});

describe('etcd_leader', () => {
  const unapplied = [{ host: 'n2', task: 'etcd binaries linked', target: '/usr/local/bin/etcd' }];
  const ctx = (host: string, pending = false) => ({ ...moduleContext(vars), host, unappliedChanges: pending ? unapplied : [] });
  it('moves leadership from this member to an upgraded one', () => {
    const p = planLeader({ prefer_version: '3.5.16' }, { health: three('n3', ['3.4.23', '3.5.16', '3.4.23']) }, ctx('n3'));
    deepStrictEqual([p.changes[0]!.before, p.changes[0]!.after], ['n3\n', 'n2\n']);
    match(p.changes[0]!.reason, /runs 3\.5\.16/);
  });
  it('does nothing when this member does not lead', () => deepStrictEqual(planLeader({}, { health: three('n1') }, ctx('n2')).changes, []));
  it('picks the most caught-up healthy member when none is upgraded', () => {
    const health = cluster([member('n1', '3.4.23', { isLeader: true }), member('n2', '3.4.23', { raftIndex: 90 }), member('n3', '3.4.23', { raftIndex: 99 })]);
    strictEqual(planLeader({ prefer_version: '3.5.16' }, { health }, ctx('n1')).changes[0]!.after, 'n3\n');
  });
  it('defers while the upgrades of the members before it are planned, not applied', () => match(planLeader({ prefer_version: '3.5.16' }, { health: three('n1') }, ctx('n1', true)).deferred!, /once the members before it are upgraded/));
  it('refuses to hand over to a learner', () => throws(() => planLeader({ to: 'n2' }, { health: cluster([member('n1', '3.4.23', { isLeader: true }), member('n2', '3.4.23', { isLearner: true })]) }, ctx('n1')), /learner/));
});

describe('readinessProblems and afterProblems', () => {
  const rows: [what: string, health: ClusterHealth, problems: RegExp[]][] = [
    ['ready', three('n1', ['3.4.23', '3.5.16', '3.4.23']), []],
    ['old version', three('n1'), [/n2 reports version 3\.4\.23, not 3\.5\.16/]],
    ['behind the leader', cluster([member('n1', '3.4.23', { isLeader: true, raftIndex: 500 }), member('n2', '3.5.16', { raftAppliedIndex: 300 })]), [/n2 has applied raft index 300, 200 behind the leader n1/]],
    ['unhealthy', cluster([member('n1', '3.4.23', { isLeader: true }), member('n2', '3.5.16', { healthy: false, error: 'connection refused' })]), [/n2 is unhealthy: connection refused/]],
  ];
  for (const [what, health, problems] of rows) {
    it(`member: ${what}`, () => {
      const found = readinessProblems(health, 'n2', '3.5.16', 100);
      strictEqual(found.length, problems.length, found.join('; '));
      problems.forEach((p, i) => match(found[i]!, p));
    });
  }
  it('after: complete once every member and the cluster version follow', () => deepStrictEqual(afterProblems('3.5.16', three('n1', ['3.5.16', '3.5.16', '3.5.16']), '3.5.0'), []));
  it('after: waits for the cluster version', () => deepStrictEqual(afterProblems('3.5.16', three('n1', ['3.5.16', '3.5.16', '3.5.16']), '3.4.0'), ['cluster version 3.4.0, not 3.5.0 yet']));
  it('after: names a member left behind', () => deepStrictEqual(afterProblems('3.5.16', three('n1', ['3.5.16', '3.4.23', '3.5.16']), '3.4.0'), ['member n2 reports 3.4.23, not 3.5.16']));
});
