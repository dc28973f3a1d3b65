// defrag.yml and recover-space.yml on one 3-member lab cluster (quota 16 MiB), as an operator runs them:
// a deleted and compacted keyspace leaves most pages free, defrag.yml gives them back one member at a
// time with the leader last while etcdctl keeps writing, and a second run picks nothing; then history
// written until the NOSPACE alarm turns the cluster read-only, and recover-space.yml makes it take writes;
// last, site.yml on the same cluster refuses two of its three members in one zone unless overridden.
import { deepStrictEqual, match, ok, strictEqual } from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Etcd3 } from 'etcd3';
import { openEndpointClient } from '../../src/etcd/cluster-access.js';
import { readClusterSpace, type ClusterSpace } from '../../src/etcd/backend-space.js';
import { etcdops, jsonEvents, recapOf, type JsonEvent } from './etcdops-cli.js';
import { adminAccess, health, leaderName, startEtcdctlWorkload } from './etcd-helpers.js';
import { useLab } from './lab-fixture.js';

const SITE = fileURLToPath(new URL('../../playbooks/site.yml', import.meta.url));
const DEFRAG = fileURLToPath(new URL('../../playbooks/defrag.yml', import.meta.url));
const RECOVER = fileURLToPath(new URL('../../playbooks/recover-space.yml', import.meta.url));
const MIB = 1024 * 1024;
const QUOTA = 16 * MIB;
const DEFRAG_TASK = 'etcd member defragmented';
const LEADER_TASK = 'etcd leadership moved off the member before its defragmentation';

/** Hosts whose defragmentation ran, in order, and whether each was alone in its task (one member at a time). */
function defragmented(events: readonly JsonEvent[]): { hosts: string[]; results: Record<string, any>; alone: boolean } {
  const runs: JsonEvent[][] = [];
  for (const e of events) {
    if (e.event === 'task_start' && e.task === DEFRAG_TASK) runs.push([]);
    if (e.event === 'host_result' && e.task === DEFRAG_TASK && e.status === 'CHANGED') runs.at(-1)!.push(e);
  }
  const changed = runs.flat();
  return {
    hosts: changed.map((e) => e.host as string),
    results: Object.fromEntries(changed.map((e) => [e.host, e.result])),
    alone: runs.every((r) => r.length <= 1),
  };
}

describe('defrag.yml and recover-space.yml on a 3-member lab cluster', function () {
  this.timeout(300_000);
  const lab = useLab('dfg1', 3);
  const play = (playbook: string, ...extra: string[]) =>
    etcdops(['play', playbook, '-i', lab().inventory, '--output', 'json', '-e', `etcd_quota_backend_bytes=${QUOTA}`, ...extra.flatMap((e) => ['-e', e])]);
  const access = () => adminAccess(lab().inventory, lab().hosts.map((h) => h.address));
  const withClient = async <T>(use: (client: Etcd3) => Promise<T>): Promise<T> => {
    const a = await access();
    const client = await openEndpointClient({ ...a, timeoutMs: 20_000 }, a.endpoints[0]!);
    try {
      return await use(client);
    } finally {
      client.close();
    }
  };

  before(async function () {
    this.timeout(300_000);
    const site = await play(SITE);
    strictEqual(site.code, 0, site.stdout + site.stderr);
  });

  it('defragments every member with enough free pages, the leader last, while a writer sees no failure beyond a timeout on the member being defragmented; a second run picks nothing', async () => {
    const start = await health(lab());
    deepStrictEqual(start.problems, [], 'precondition: a healthy cluster');
    const leader = leaderName(start);

    // 8 MiB of values written, deleted and compacted away: the pages stay in the files, free.
    const value = Buffer.alloc(256 * 1024, 'x');
    await withClient(async (client) => {
      for (let i = 0; i < 32; i++) await client.put(`bulk/${i}`).value(value).exec();
      const deleted = await client.delete().prefix('bulk/').exec();
      await client.kv.compact({ revision: deleted.header.revision, physical: true });
    });
    // bbolt frees the compacted pages at a member's next commit: a few writes, as any live cluster has.
    const touch = () => withClient((client) => client.put('bulk-done').value(String(Date.now())).exec());
    // Each member applies the compaction on its own: wait until every one has freed the pages.
    const halfFree = (s: ClusterSpace) => s.members.length === 3 && s.members.every((m) => m.dbSize - m.dbSizeInUse >= m.dbSize / 2);
    let before = await readClusterSpace(await access());
    for (const deadline = Date.now() + 20_000; !halfFree(before) && Date.now() < deadline; before = await readClusterSpace(await access())) {
      await touch();
      await new Promise((r) => setTimeout(r, 250));
    }
    ok(halfFree(before), `every member has at least half its file free: ${JSON.stringify(before.members)}`);

    // --check: which members and why, with the sizes, and nothing defragmented.
    const check = await etcdops(['play', DEFRAG, '-i', lab().inventory, '--output', 'json', '--check', '-e', 'etcd_defrag_min_free_mib=2', '-e', 'etcd_defrag_min_free_percent=50']);
    strictEqual(check.code, 0, check.stdout + check.stderr);
    const wouldDefrag = jsonEvents(check.stdout).filter((e) => e.event === 'host_result' && e.task === DEFRAG_TASK && e.status === 'CHANGED');
    deepStrictEqual(wouldDefrag.map((e) => e.host).sort(), ['n1', 'n2', 'n3'], '--check names every member');
    for (const e of wouldDefrag) match(e.changes[0].reason, /^defragment n\d: db size [\d.]+ MiB, in use [\d.]+ MiB, free [\d.]+ MiB \([\d.]+%\): at least 2 MiB and 50% free is reached$/);
    const unchanged = await readClusterSpace(await access());
    for (const m of before.members) ok(unchanged.members.find((u) => u.name === m.name)!.dbSize >= m.dbSize, `${m.name}: --check defragmented nothing`);

    const writer = startEtcdctlWorkload(lab());
    const run = await play(DEFRAG, 'etcd_defrag_min_free_mib=2', 'etcd_defrag_min_free_percent=50');
    const writes = await writer.stop();
    strictEqual(run.code, 0, run.stdout + run.stderr);
    // A member blocks its reads and writes while it rewrites its file (etcd's defragmentation): a request routed
    // to it can time out when its disk is slow (seen once in three CI runs on a loaded 2-core machine), at most
    // once per member defragmented here. Any other failure counts.
    const blocked = writes.failed.filter((f) => /etcdserver: request timed out/.test(f));
    deepStrictEqual(writes.failed.filter((f) => !blocked.includes(f)), [], 'no write failed during the defragmentation');
    ok(blocked.length <= 3, `writes timed out on a member being defragmented: ${blocked.length}`);
    ok(writes.succeeded > 0, 'the writer wrote');

    const events = jsonEvents(run.stdout);
    const done = defragmented(events);
    deepStrictEqual([...done.hosts].sort(), ['n1', 'n2', 'n3'], 'every member was defragmented');
    strictEqual(done.hosts.at(-1), leader, `the leader ${leader} last: ${done.hosts.join(', ')}`);
    ok(done.alone, 'one member at a time');
    const moved = events.find((e) => e.event === 'host_result' && e.task === LEADER_TASK && e.host === leader && e.status !== 'SKIPPED');
    strictEqual(moved?.status, 'CHANGED', 'leadership moved off the leader before its defragmentation');

    const after = await readClusterSpace(await access());
    for (const m of before.members) {
      const now = after.members.find((a) => a.name === m.name)!;
      const reported = done.results[m.name];
      strictEqual(reported.before.db_size, m.dbSize, `${m.name}: the size before is reported`);
      // The file shrinks to about what was in use (plus the writer's keys): the free pages are given back.
      ok(now.dbSize <= m.dbSizeInUse + 2 * MIB, `${m.name}: db size ${m.dbSize} → ${now.dbSize}, ${m.dbSizeInUse} in use before`);
      ok(m.dbSize - now.dbSize >= (m.dbSize - m.dbSizeInUse) * 0.7, `${m.name}: the free pages are given back`);
      // The writer's keys may have grown the file by a page since: the size reported is at most today's.
      ok(reported.after.db_size <= now.dbSize && reported.after.db_size < m.dbSize / 2, `${m.name}: the size after is reported: ${JSON.stringify(reported)}`);
    }

    const again = await play(DEFRAG, 'etcd_defrag_min_free_mib=2', 'etcd_defrag_min_free_percent=50');
    strictEqual(again.code, 0, again.stdout + again.stderr);
    deepStrictEqual(defragmented(jsonEvents(again.stdout)).hosts, [], 'a second run defragments nothing');
    for (const [host, counts] of Object.entries(recapOf(again.stdout))) strictEqual(counts.changed, 0, `${host}: changed=0 on the second run`);
  });

  it('recovers a cluster whose history filled the 16 MiB quota: NOSPACE disarmed, writes accepted, one member at a time', async () => {
    deepStrictEqual((await health(lab())).problems, [], 'precondition: a healthy cluster');
    // One key overwritten until the quota is reached: its old revisions fill the file.
    const value = Buffer.alloc(512 * 1024, 'y');
    const refused = await withClient(async (client) => {
      for (let i = 0; i < 100; i++) {
        try {
          await client.put('filler').value(value).exec();
        } catch (error) {
          return (error as Error).message;
        }
      }
      return 'no write was refused';
    });
    ok(/database space exceeded/.test(refused), refused);
    const alarms = (await readClusterSpace(await access())).alarms;
    ok(alarms.some((a) => a.alarm === 'NOSPACE'), `NOSPACE raised: ${JSON.stringify(alarms)}`);

    const run = await play(RECOVER);
    strictEqual(run.code, 0, run.stdout + run.stderr);
    const done = defragmented(jsonEvents(run.stdout));
    deepStrictEqual([...done.hosts].sort(), ['n1', 'n2', 'n3'], 'every member was defragmented');
    ok(done.alone, 'one member at a time');

    const space = await readClusterSpace(await access());
    deepStrictEqual(space.alarms, [], 'the alarm list is empty');
    for (const m of space.members) ok(m.dbSize < QUOTA / 2, `${m.name}: db size ${m.dbSize} well under the quota`);
    await withClient((client) => client.put('after-recovery').value(Buffer.alloc(64 * 1024, 'z')).exec());
    deepStrictEqual((await health(lab())).problems, [], 'a healthy cluster, no alarm');
  });

  it('site.yml refuses two of three members in zone a before changing anything, and proceeds with the override', async () => {
    const hostVars = join(dirname(lab().inventory), 'host_vars');
    await mkdir(hostVars, { recursive: true });
    try {
      for (const [host, zone] of [['n1', 'a'], ['n2', 'a'], ['n3', 'b']]) await writeFile(join(hostVars, `${host}.yml`), `etcd_zone: ${zone}\n`);
      const refused = await play(SITE);
      strictEqual(refused.code, 2, refused.stdout + refused.stderr);
      match(refused.stdout, /zone a holds 2 of the 3 voting members \(n1, n2\)/);
      for (const [host, counts] of Object.entries(recapOf(refused.stdout))) strictEqual(counts.changed, 0, `${host}: nothing changed before the refusal`);
      const allowed = await play(SITE, 'etcd_allow_zone_majority=true');
      strictEqual(allowed.code, 0, allowed.stdout + allowed.stderr);
      match(allowed.stdout, /allowed by etcd_allow_zone_majority: zone a holds 2 of the 3/);
    } finally {
      await rm(hostVars, { recursive: true, force: true });
    }
  });
});
