// upgrade.yml on the lab, as a user runs it: a 3.4.23 cluster built by site.yml goes to 3.5.16 one member
// at a time, the leader last, while a client writes and reads back a key every 20 ms, then (3 members) on
// to the patch release 3.5.30 the same way, with 3.6 refused before it with the safe path; and a member that
// cannot start on the new release stops the rollout with the others untouched and rollback steps that work.
import { deepStrictEqual, match, notStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { Etcd3 } from 'etcd3';
import { openEndpointClient, withEndpointClient } from '../../src/etcd/cluster-access.js';
import { moveLeader } from '../../src/etcd/membership.js';
import type { LabInfo } from '../../src/lab/lab.js';
import { etcdops, jsonEvents, recapOf, type JsonEvent } from './etcdops-cli.js';
import { adminAccess, etcdPid, health, leaderName, startEtcdctlWorkload, workloadSummary } from './etcd-helpers.js';
import { assertFreshHosts, sshRun, useLab } from './lab-fixture.js';

const SITE = fileURLToPath(new URL('../../playbooks/site.yml', import.meta.url));
const UPGRADE = fileURLToPath(new URL('../../playbooks/upgrade.yml', import.meta.url));
const FROM = '3.4.23';
const TO = '3.5.16';
/** The newest tested 3.5 patch: the first of the two runs that take a cluster from 3.5.16 to 3.6. */
const PATCH = '3.5.30';
const RESTART_TASK = 'etcd restarted on the new release';

/**
 * Errors a client retries on another member while one restarts or leadership moves (grpc-js reports a
 * stream the stopping member ends without a gRPC status as "Received HTTP status code 200"; a proposal
 * raft dropped during an election never entered the log, so its retry cannot write twice).
 */
const RETRIABLE = /Received HTTP status code|leader changed|no leader|raft proposal dropped|unavailable|deadline|connect|closed|refused|timed out|too many requests|not capable|stopped|ECONNRESET|ECONNREFUSED|No connection established/i;

interface Workload {
  readonly acknowledged: Map<string, string>;
  readonly retried: number;
  readonly errors: string[];
  readonly stale: string[];
}

/**
 * Writes a unique key every 20 ms and reads it back through a quorum read, rotating over the members and
 * retrying an operation on the next member on a retriable error, until `stop()`.
 */
function startWorkload(lab: LabInfo): { stop: () => Promise<Workload> } {
  let running = true;
  const result = { acknowledged: new Map<string, string>(), retried: 0, errors: [] as string[], stale: [] as string[] };
  const done = (async () => {
    const access = await adminAccess(lab.inventory, lab.hosts.map((h) => h.address));
    const clients: Etcd3[] = await Promise.all(access.endpoints.map((e) => openEndpointClient({ ...access, timeoutMs: 2000 }, e)));
    let turn = 0;
    const withRetry = async <T>(op: (c: Etcd3) => Promise<T>): Promise<T> => {
      for (let attempt = 0; ; attempt++) {
        const client = clients[turn++ % clients.length]!;
        try {
          return await op(client);
        } catch (error) {
          const message = (error as Error).message;
          if (!RETRIABLE.test(message) || attempt > 60) throw error;
          result.retried++;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    };
    try {
      for (let seq = 0; running; seq++) {
        const next = Date.now() + 20;
        const key = `upgrade/${String(seq).padStart(6, '0')}`;
        const value = `v${seq}-${Date.now()}`;
        try {
          await withRetry((c) => c.put(key).value(value).exec());
          result.acknowledged.set(key, value);
          const read = await withRetry((c) => c.get(key).string());
          if (read !== value) result.stale.push(`${key}: read ${read}, wrote ${value}`);
        } catch (error) {
          result.errors.push(`${key}: ${(error as Error).message}`);
        }
        await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
      }
    } finally {
      for (const c of clients) c.close();
    }
  })();
  return {
    stop: async () => {
      running = false;
      await done;
      return result;
    },
  };
}

/** Hosts whose restart onto the new release happened, in order. */
function restartOrder(events: readonly JsonEvent[]): string[] {
  return events.filter((e) => e.event === 'host_result' && e.task === RESTART_TASK && e.status === 'CHANGED').map((e) => e.host as string);
}

/** Time per upgraded member (its tasks in the rollout plays) and the engine's share of the wall time. */
function timings(events: readonly JsonEvent[]): { perMember: Record<string, number>; byTask: Record<string, number>; restarts: number; tasks: number; wall: number } {
  const perMember: Record<string, number> = {};
  const byTask: Record<string, number> = {};
  let play = '';
  let restarts = 0;
  const longestByTask: number[] = [];
  for (const e of events) {
    if (e.event === 'play_start') play = e.play;
    if (e.event === 'task_start') longestByTask.push(0);
    if (e.event !== 'host_result') continue;
    longestByTask[longestByTask.length - 1] = Math.max(longestByTask.at(-1)!, e.durationMs ?? 0);
    if (/upgraded/.test(play) && e.status !== 'SKIPPED') {
      perMember[e.host] = (perMember[e.host] ?? 0) + (e.durationMs ?? 0);
      byTask[e.task] = (byTask[e.task] ?? 0) + (e.durationMs ?? 0);
    }
    if (e.task === RESTART_TASK && e.status === 'CHANGED') restarts += e.durationMs ?? 0;
  }
  const wall = events.find((e) => e.event === 'recap')!.durationMs as number;
  return { perMember, byTask, restarts, tasks: longestByTask.reduce((a, b) => a + b, 0), wall };
}

const linkTarget = async (lab: LabInfo, host: string) => (await sshRun(lab, host, 'readlink /usr/local/bin/etcd')).stdout.trim();

function suite(name: string, size: number): void {
  describe(`upgrade.yml on a ${size}-member lab cluster`, function () {
    this.timeout(600_000);
    const lab = useLab(name, size);
    const hosts = () => lab().hosts.map((h) => h.name);
    const play = (playbook: string, args: string[]) => etcdops(['play', playbook, '-i', lab().inventory, ...args]);

    it(`builds the starting cluster on ${FROM}`, async () => {
      await assertFreshHosts(lab());
      const built = await play(SITE, ['-e', `etcd_version=${FROM}`, '--output', 'json']);
      strictEqual(built.code, 0, built.stdout.slice(-3000) + built.stderr);
      const cluster = await health(lab());
      deepStrictEqual(cluster.problems, []);
      deepStrictEqual(cluster.members.map((m) => m.version), hosts().map(() => FROM));
    });

    it('--check shows the order, the leader last, and what each step would change, and changes nothing', async () => {
      const leader = leaderName(await health(lab()));
      const pids = await Promise.all(hosts().map((h) => etcdPid(lab(), h)));
      const planned = await play(UPGRADE, ['-e', `etcd_version=${TO}`, '--check', '--output', 'plain', '-v']);
      strictEqual(planned.code, 0, planned.stdout.slice(-3000) + planned.stderr);
      const followers = hosts().filter((h) => h !== leader);
      match(planned.stdout, new RegExp(`order: ${followers.join(', ')}, then the leader ${leader} last`));
      match(planned.stdout, new RegExp(`REPLACE /usr/local/bin/etcd: points to /opt/etcd/etcd-v${FROM}-linux-amd64/etcd, not /opt/etcd/etcd-v${TO}-linux-amd64/etcd`));
      match(planned.stdout, new RegExp(`leadership moves from ${leader} to a member running ${TO}`));
      deepStrictEqual(await Promise.all(hosts().map((h) => etcdPid(lab(), h))), pids);
      for (const host of hosts()) strictEqual(await linkTarget(lab(), host), `/opt/etcd/etcd-v${FROM}-linux-amd64/etcd`);
    });

    it(`upgrades to ${TO} one member at a time, the leader last, while a client writes and reads every 20 ms`, async () => {
      const leader = leaderName(await health(lab()));
      const workload = startWorkload(lab());
      const goClient = startEtcdctlWorkload(lab());
      await new Promise((r) => setTimeout(r, 500));
      const run = await play(UPGRADE, ['-e', `etcd_version=${TO}`, '--output', 'json']);
      await new Promise((r) => setTimeout(r, 500));
      const seen = await workload.stop();
      const go = await goClient.stop();
      process.stderr.write(workloadSummary('the upgrade', go));
      strictEqual(run.code, 0, run.stdout.slice(-4000) + run.stderr);
      // etcd 3.4 serves gRPC through its HTTP server on the client port and stops the gRPC server before
      // those connections close: a request caught by a 3.4 member's own shutdown can fail with this one
      // error (measured on the lab: 5 of 90 plain restarts of 3.4.23 members; 0 of 144 of 3.5.16 with its
      // HTTP port apart). Each member stops once on 3.4 here; nothing else may fail.
      const shutdownOf34 = go.failed.filter((f) => /transport: missing content-type field/.test(f));
      deepStrictEqual(go.failed.filter((f) => !shutdownOf34.includes(f)), [], 'no write through etcdctl (Go client, all endpoints) failed');
      ok(shutdownOf34.length <= size, `writes failed by ${FROM} members stopping: ${shutdownOf34.length} for ${size} stops`);
      const events = jsonEvents(run.stdout);

      deepStrictEqual(seen.errors, [], 'only retried leader changes and restarts');
      deepStrictEqual(seen.stale, [], 'no read returned stale data');
      ok(seen.acknowledged.size > 100, `the client kept writing (${seen.acknowledged.size} writes)`);
      const access = await adminAccess(lab().inventory, lab().hosts.map((h) => h.address));
      const stored = await withEndpointClient(access, access.endpoints[0]!, (c) => c.getAll().prefix('upgrade/').strings());
      const lost = [...seen.acknowledged].filter(([k, v]) => stored[k] !== v).map(([k]) => k);
      deepStrictEqual(lost, [], 'every acknowledged write is present');

      const cluster = await health(lab());
      deepStrictEqual(cluster.problems, []);
      deepStrictEqual(cluster.members.map((m) => m.version), hosts().map(() => TO));
      const order = restartOrder(events);
      deepStrictEqual([...order].sort(), [...hosts()].sort(), 'each member restarted once');
      strictEqual(order.at(-1), leader, `the leader ${leader} was upgraded last (order ${order.join(', ')})`);
      const handover = events.find((e) => e.event === 'host_result' && e.task === 'etcd leadership handed to an upgraded member' && e.status === 'CHANGED');
      strictEqual(handover?.host, leader, 'leadership left the leader before its restart');

      const record = events.find((e) => e.event === 'host_result' && e.task === 'etcd upgrade recorded')!.result.ansible_facts.etcd_upgrade_record;
      deepStrictEqual({ from: record.from, to: record.to, order: record.order, leader_last: record.leader_last, cluster_version: record.cluster_version }, { from: [FROM], to: TO, order, leader_last: leader, cluster_version: '3.5.0' });
      for (const host of hosts()) strictEqual(await linkTarget(lab(), host), `/opt/etcd/etcd-v${TO}-linux-amd64/etcd`);
      ok((await sshRun(lab(), hosts()[0]!, `test -x /opt/etcd/etcd-v${FROM}-linux-amd64/etcd && ls /var/lib/etcd-snapshots/before-upgrade-${TO}-*.db`)).code === 0, 'the previous binary and the snapshot stay');

      const t = timings(events);
      const perMember = Object.entries(t.perMember).map(([h, ms]) => `${h} ${(ms / 1000).toFixed(1)} s`).join(', ');
      process.stderr.write(
        `      upgrade of ${size} members: wall ${(t.wall / 1000).toFixed(1)} s; per member ${perMember}; restarts ${(t.restarts / 1000).toFixed(1)} s; engine overhead ${((t.wall - t.tasks) / 1000).toFixed(2)} s; client: ${seen.acknowledged.size} writes, ${seen.retried} retries\n` +
          `      rollout time by task (all members): ${Object.entries(t.byTask).sort((a, b) => b[1] - a[1]).slice(0, 6).map(([task, ms]) => `${task} ${(ms / 1000).toFixed(1)} s`).join('; ')}\n`,
      );
    });

    it('does nothing when run again on the upgraded cluster', async () => {
      const pids = await Promise.all(hosts().map((h) => etcdPid(lab(), h)));
      const again = await play(UPGRADE, ['-e', `etcd_version=${TO}`, '--output', 'json']);
      strictEqual(again.code, 0, again.stdout.slice(-3000) + again.stderr);
      const recap = recapOf(again.stdout);
      for (const host of hosts()) strictEqual(recap[host]?.changed, 0, `${host} changed something: ${JSON.stringify(recap[host])}`);
      deepStrictEqual(restartOrder(jsonEvents(again.stdout)), []);
      deepStrictEqual(await Promise.all(hosts().map((h) => etcdPid(lab(), h))), pids);
    });

    it(`site.yml with the inventory still on ${FROM} refuses to roll the upgraded cluster back, touching nothing`, async () => {
      const pids = await Promise.all(hosts().map((h) => etcdPid(lab(), h)));
      const stale = await play(SITE, ['-e', `etcd_version=${FROM}`, '--output', 'plain']);
      strictEqual(stale.code, 2, stale.stdout.slice(-2000) + stale.stderr);
      match(stale.stdout, new RegExp(`runs etcd ${TO.replace(/\./g, '\\.')} and etcd_version says ${FROM.replace(/\./g, '\\.')}, a downgrade site\\.yml never makes`));
      for (const host of hosts()) strictEqual(await linkTarget(lab(), host), `/opt/etcd/etcd-v${TO}-linux-amd64/etcd`);
      deepStrictEqual(await Promise.all(hosts().map((h) => etcdPid(lab(), h))), pids);
    });

    it('refuses to skip a minor version or to go back without force, touching nothing', async () => {
      const refusals = [
        ['3.7.0', /skips 1 minor version/],
        // The cluster runs at cluster version 3.5.0: 3.4.23 members would not be taken back, forced or not.
        [FROM, /3\.5\.16 → 3\.4\.23 is a downgrade etcd cannot make by changing binaries now: the cluster runs at cluster version 3\.5\.0/],
        ['3.6.0', /3\.5\.16 → 3\.6\.0 is refused: .*3\.5\.26 or later before 3\.6.*first playbooks\/upgrade\.yml -e etcd_version=3\.5\.30 .*then playbooks\/upgrade\.yml -e etcd_version=3\.6\.0/],
      ] as const;
      for (const [version, why] of refusals) {
        const refused = await play(UPGRADE, ['-e', `etcd_version=${version}`, '--output', 'plain']);
        strictEqual(refused.code, 2, refused.stdout.slice(-2000) + refused.stderr);
        match(refused.stdout, why);
        match(refused.stdout, /pre-flight refused the upgrade/);
      }
      for (const host of hosts()) strictEqual(await linkTarget(lab(), host), `/opt/etcd/etcd-v${TO}-linux-amd64/etcd`);
    });

    it(`plan shows the refusal of ${TO} → 3.6.0 with the safe path, touching nothing`, async () => {
      const pids = await Promise.all(hosts().map((h) => etcdPid(lab(), h)));
      const planned = await etcdops(['plan', UPGRADE, '-i', lab().inventory, '-e', 'etcd_version=3.6.0']);
      notStrictEqual(planned.code, 0, planned.stdout.slice(-2000));
      match(planned.stdout + planned.stderr, /3\.5\.26 or later before 3\.6.*first playbooks\/upgrade\.yml -e etcd_version=3\.5\.30 .*then playbooks\/upgrade\.yml -e etcd_version=3\.6\.0/);
      deepStrictEqual(await Promise.all(hosts().map((h) => etcdPid(lab(), h))), pids);
    });

    // One patch upgrade is enough to show the path: the 5-member run would only repeat it.
    if (size === 3) {
      it(`patches ${TO} → ${PATCH} one member at a time, the leader last, while clients write: no failed, lost or stale write`, async () => {
        const leader = leaderName(await health(lab()));
        const workload = startWorkload(lab());
        const goClient = startEtcdctlWorkload(lab());
        await new Promise((r) => setTimeout(r, 500));
        const run = await play(UPGRADE, ['-e', `etcd_version=${PATCH}`, '--output', 'json']);
        await new Promise((r) => setTimeout(r, 500));
        const seen = await workload.stop();
        const go = await goClient.stop();
        process.stderr.write(workloadSummary('the patch upgrade', go));
        strictEqual(run.code, 0, run.stdout.slice(-4000) + run.stderr);
        deepStrictEqual(go.failed, [], 'no write through etcdctl (Go client, all endpoints) failed');
        ok(go.succeeded > 20, `etcdctl kept writing (${go.succeeded} writes)`);
        deepStrictEqual(seen.errors, [], 'only retried leader changes and restarts');
        deepStrictEqual(seen.stale, [], 'no read returned stale data');
        const access = await adminAccess(lab().inventory, lab().hosts.map((h) => h.address));
        const stored = await withEndpointClient(access, access.endpoints[0]!, (c) => c.getAll().prefix('upgrade/').strings());
        deepStrictEqual([...seen.acknowledged].filter(([k, v]) => stored[k] !== v).map(([k]) => k), [], 'every acknowledged write is present');

        const cluster = await health(lab());
        deepStrictEqual(cluster.problems, []);
        deepStrictEqual(cluster.members.map((m) => m.version), hosts().map(() => PATCH));
        const events = jsonEvents(run.stdout);
        const order = restartOrder(events);
        deepStrictEqual([...order].sort(), [...hosts()].sort(), 'each member restarted once');
        strictEqual(order.at(-1), leader, `the leader ${leader} was upgraded last (order ${order.join(', ')})`);
        const record = events.find((e) => e.event === 'host_result' && e.task === 'etcd upgrade recorded')!.result.ansible_facts.etcd_upgrade_record;
        deepStrictEqual({ from: record.from, to: record.to, cluster_version: record.cluster_version }, { from: [TO], to: PATCH, cluster_version: '3.5.0' });
        for (const host of hosts()) strictEqual(await linkTarget(lab(), host), `/opt/etcd/etcd-v${PATCH}-linux-amd64/etcd`);
      });

      it(`site.yml with etcd_version ${PATCH} changes nothing on the patched cluster`, async () => {
        const pids = await Promise.all(hosts().map((h) => etcdPid(lab(), h)));
        const again = await play(SITE, ['-e', `etcd_version=${PATCH}`, '--output', 'json']);
        strictEqual(again.code, 0, again.stdout.slice(-3000) + again.stderr);
        const recap = recapOf(again.stdout);
        for (const host of hosts()) strictEqual(recap[host]?.changed, 0, `${host} changed something: ${JSON.stringify(recap[host])}`);
        deepStrictEqual(await Promise.all(hosts().map((h) => etcdPid(lab(), h))), pids);
      });
    }
  });
}

suite('upg1', 3);
suite('upg2', 5);

describe('upgrade.yml when a member fails its gate mid-upgrade', function () {
  this.timeout(600_000);
  const lab = useLab('upg1', 3);
  const hosts = () => lab().hosts.map((h) => h.name);

  it('stops at the failing member, leaves the rest on the old release, and its rollback steps work', async () => {
    await assertFreshHosts(lab());
    const built = await etcdops(['play', SITE, '-i', lab().inventory, '-e', `etcd_version=${FROM}`, '--output', 'json']);
    strictEqual(built.code, 0, built.stdout.slice(-3000) + built.stderr);
    const before = await health(lab());
    const leader = leaderName(before);
    const [first, victim] = hosts().filter((h) => h !== leader) as [string, string];
    const leaderPid = await etcdPid(lab(), leader);
    // etcd keeps running on its open files; the new release cannot open its data and fails to start. (The
    // data dir itself would be repaired by the install step, which sets its mode.)
    strictEqual((await sshRun(lab(), victim, 'chmod 000 /var/lib/etcd/member')).code, 0);

    const run = await etcdops(['play', UPGRADE, '-i', lab().inventory, '-e', `etcd_version=${TO}`, '--output', 'json']);
    notStrictEqual(run.code, 0, 'the rollout must fail');
    const events = jsonEvents(run.stdout);
    deepStrictEqual(restartOrder(events), [first], 'only the member before the failing one was upgraded');
    const stop = events.find((e) => e.event === 'host_result' && e.status === 'FAILED' && e.host === victim && /stopped at/.test(e.msg ?? ''));
    ok(stop, `the rollout stops at ${victim} with rollback steps:\n${run.stdout.slice(-3000)}`);
    match(stop.msg, new RegExp(`The upgrade to ${TO} stopped at ${victim}; not touched: ${leader} \\(${FROM}\\)`));
    strictEqual(events.filter((e) => e.event === 'play_start' && /leader upgraded last|verified/.test(e.play)).length, 0, 'no later play ran');

    strictEqual(await linkTarget(lab(), leader), `/opt/etcd/etcd-v${FROM}-linux-amd64/etcd`);
    strictEqual(await etcdPid(lab(), leader), leaderPid, 'the leader was not restarted');
    const during = await health(lab());
    strictEqual(during.members.find((m) => m.name === leader)!.version, FROM);
    strictEqual(during.members.find((m) => m.name === first)!.version, TO);
    ok(during.leaderId !== null, 'the cluster keeps a leader and a quorum');
    const put = await etcdops(['etcdctl', '-i', lab().inventory, '--', 'put', 'during-failure', 'ok']);
    strictEqual(put.code, 0, put.stderr);

    // The operator fixes the cause, then follows the printed steps.
    const flip = /flip the links back: (.+)$/m.exec(stop.msg)![1]!;
    const rolled = await sshRun(lab(), victim, `chmod 700 /var/lib/etcd/member && ${flip} && systemctl restart etcd`);
    strictEqual(rolled.code, 0, rolled.stderr);
    const after = await health(lab());
    deepStrictEqual(after.problems, []);
    strictEqual(after.members.find((m) => m.name === victim)!.version, FROM);
    strictEqual(after.members.find((m) => m.name === leader)!.version, FROM);
  });
});

describe('upgrade.yml when the leader fails after its restart, and the pre-upgrade snapshot restored', function () {
  this.timeout(600_000);
  const lab = useLab('upg3', 3);
  const hosts = () => lab().hosts.map((h) => h.name);
  const RESTORE = fileURLToPath(new URL('../../playbooks/restore.yml', import.meta.url));

  it('stops at the leader with the followers upgraded, its rollback works, and restore.yml brings back the data from before the upgrade', async () => {
    await assertFreshHosts(lab());
    const built = await etcdops(['play', SITE, '-i', lab().inventory, '-e', `etcd_version=${FROM}`, '--output', 'json']);
    strictEqual(built.code, 0, built.stdout.slice(-3000) + built.stderr);
    strictEqual((await etcdops(['etcdctl', '-i', lab().inventory, '--', 'put', 'written-before-the-upgrade', 'kept'])).code, 0);
    // The pre-flight snapshot is taken on the first member, and bbolt reopens the data file to write it,
    // which the chmod below forbids: the leader made to fail must be another member.
    let state = await health(lab());
    if (leaderName(state) === hosts()[0]) {
      await moveLeader(await adminAccess(lab().inventory, lab().hosts.map((h) => h.address)), state.members.find((m) => m.name === hosts()[1])!.id);
      state = await health(lab());
    }
    const leader = leaderName(state);
    notStrictEqual(leader, hosts()[0], 'leadership moved off the first member');
    // The running leader keeps its open files; the new release cannot open the data and fails its start.
    strictEqual((await sshRun(lab(), leader, 'chmod 000 /var/lib/etcd/member')).code, 0);

    const run = await etcdops(['play', UPGRADE, '-i', lab().inventory, '-e', `etcd_version=${TO}`, '--output', 'json']);
    notStrictEqual(run.code, 0, 'the rollout must fail');
    const events = jsonEvents(run.stdout);
    const failures = events.filter((e) => e.event === 'host_result' && e.status === 'FAILED').map((e) => `${e.host} ${e.task}: ${e.msg}`);
    deepStrictEqual([...restartOrder(events)].sort(), hosts().filter((h) => h !== leader).sort(), `the followers were upgraded first; failures: ${failures.join('\n')}`);
    const stop = events.find((e) => e.event === 'host_result' && e.status === 'FAILED' && /stopped at/.test(e.msg ?? ''));
    ok(stop, `the rollout stops with rollback steps:\n${run.stdout.slice(-3000)}`);
    match(stop.msg, new RegExp(`The upgrade to ${TO} stopped at ${leader}`));
    const during = await health(lab());
    ok(during.leaderId !== null, 'the two upgraded members keep a leader');

    const flip = /flip the links back: (.+)$/m.exec(stop.msg)![1]!;
    const rolled = await sshRun(lab(), leader, `chmod 700 /var/lib/etcd/member && ${flip} && systemctl restart etcd`);
    strictEqual(rolled.code, 0, rolled.stderr);
    const after = await health(lab());
    deepStrictEqual(after.problems, []);
    strictEqual(after.members.find((m) => m.name === leader)!.version, FROM, 'the old leader runs the old release again');

    strictEqual((await etcdops(['etcdctl', '-i', lab().inventory, '--', 'put', 'written-after-the-failed-upgrade', 'lost'])).code, 0);
    const found = await Promise.all(hosts().map(async (h) => [h, (await sshRun(lab(), h, `ls /var/lib/etcd-snapshots/before-upgrade-${TO}-*.db`)).stdout.trim()] as const));
    const [source, snapshot] = found.find(([, path]) => path !== '')!;
    const restored = await etcdops(['play', RESTORE, '-i', lab().inventory, '-e', `snapshot=${snapshot}`, '-e', `etcd_restore_source=${source}`, '-e', 'confirm=yes', '--output', 'plain']);
    strictEqual(restored.code, 0, restored.stdout.slice(-4000) + restored.stderr);
    deepStrictEqual((await health(lab())).problems, []);
    const get = (key: string) => etcdops(['etcdctl', '-i', lab().inventory, '--', 'get', key, '--print-value-only']);
    strictEqual((await get('written-before-the-upgrade')).stdout.trim(), 'kept');
    strictEqual((await get('written-after-the-failed-upgrade')).stdout.trim(), '', 'the data is the snapshot taken before the upgrade');
  });
});
