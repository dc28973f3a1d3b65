// The run lock on one lab: while one operator's playbook changes members, a second run is refused naming
// the holder, with nothing changed; a holder of this node killed with SIGKILL is taken over at once; a
// holder on another node keeps it until its lease runs out, or until broken; --check takes no lock; a run
// whose lease is lost stops before its next task.
import { deepStrictEqual, match, ok, strictEqual } from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { etcdops, etcdopsProcess, outputSeen, plainRecapOf } from './etcdops-cli.js';
import { withEndpointClient } from '../../src/etcd/cluster-access.js';
import { adminAccess, etcdPid } from './etcd-helpers.js';
import { assertFreshHosts, sshRun, useLab } from './lab-fixture.js';

const playbook = (name: string) => fileURLToPath(new URL(`../../playbooks/${name}`, import.meta.url));
const SITE = playbook('site.yml');
const LOCK_HELD = fileURLToPath(new URL('./fixtures/lock-held.yml', import.meta.url));
const UPGRADE = playbook('upgrade.yml');
const HOSTS = ['n1', 'n2', 'n3'];
/** The lock taken, in plain output with -v: the task's banner, its host, and the key it created. */
const TAKEN = /TASK \[etcd run lock taken for this run\] \*+\nok: \[n1\]\n {4}CREATE \/etcdops\/run-lock: /;
const LOCKED = /the cluster is locked by another run: \S+ \(pid (\d+)\), running (\S+) since /;

describe('the run lock', function () {
  this.timeout(300_000);
  const lab = useLab('lock', 3);
  const play = (file: string, args: string[] = []) => etcdops(['play', file, '-i', lab().inventory, '--output', 'plain', ...args]);
  const lockValue = async () => (await etcdops(['etcdctl', '-i', lab().inventory, '--', 'get', '/etcdops/run-lock', '--print-value-only'])).stdout.trim();

  it('is not needed before the cluster exists', async () => {
    await assertFreshHosts(lab());
    const built = await play(SITE);
    strictEqual(built.code, 0, built.stdout.slice(-3000) + built.stderr);
    match(built.stdout, /TASK \[etcd run lock taken for this run\] \*+\nok: \[n1\]/);
    strictEqual(await lockValue(), '', 'a finished run leaves no lock');
  });

  it('refuses a second run while a first one holds the lock, before any change, naming the holder', async () => {
    const pids = await Promise.all(HOSTS.map((h) => etcdPid(lab(), h)));
    // The first run holds the lock through a pause, so the second surely asks while it is held.
    const first = etcdopsProcess(['play', LOCK_HELD, '-i', lab().inventory, '--output', 'plain', '-v', '-e', 'hold_seconds=12']);
    await outputSeen(first.child, TAKEN);
    const second = await play(UPGRADE);
    const done = await first.done;
    strictEqual(done.code, 0, done.stdout.slice(-2000) + done.stderr);
    strictEqual(second.code, 2, second.stdout.slice(-2000) + second.stderr);
    const named = LOCKED.exec(second.stdout);
    ok(named, second.stdout.slice(-2000));
    deepStrictEqual([named[1], named[2]], [String(first.child.pid), 'lock-held.yml'], 'the holder is named with what it runs');
    for (const counts of Object.values(plainRecapOf(second.stdout))) strictEqual(counts.changed, 0);
    deepStrictEqual(await Promise.all(HOSTS.map((h) => etcdPid(lab(), h))), pids);
    strictEqual(await lockValue(), '', 'the first run released the lock at its end');
  });

  it('is taken over at once from a holder of this node killed with SIGKILL, naming the dead run', async () => {
    // A quota change: a rolling restart, long enough to kill the run while it holds the lock.
    const holder = etcdopsProcess(['play', SITE, '-i', lab().inventory, '--output', 'plain', '-v', '-e', 'etcd_quota_backend_bytes=4294967296']);
    await outputSeen(holder.child, TAKEN);
    holder.child.kill('SIGKILL');
    await holder.done;
    const checked = await play(SITE, ['--check']);
    strictEqual(checked.code, 0, `--check takes no lock and is not refused:\n${checked.stdout.slice(-2000)}`);
    const next = await play(SITE, ['-v', '-e', 'etcd_quota_backend_bytes=4294967296']);
    strictEqual(next.code, 0, next.stdout.slice(-2000));
    match(next.stdout, new RegExp(`CREATE /etcdops/run-lock: take over the lock of a run that died \\(\\S+ \\(pid ${holder.child.pid}\\), running site\\.yml`));
  });

  it("waits for another node's lock until its lease runs out, and breaks it with -e etcd_break_lock=true", async () => {
    const access = await adminAccess(lab().inventory, lab().hosts.map((h) => h.address));
    // What a run on another control node leaves when that node is lost: the key, on a lease nobody renews.
    const lockFromElsewhere = (ttl: number) =>
      withEndpointClient(access, access.endpoints[0]!, async (client) => {
        const lease = client.lease(ttl, { autoKeepAlive: false });
        const holder = { holder: 'ana@ops2 (pid 4242)', host: 'ops2', pid: 4242, operation: 'upgrade.yml', since: new Date().toISOString(), run: 'elsewhere' };
        await lease.put('/etcdops/run-lock').value(JSON.stringify(holder));
        lease.release();
      });

    await lockFromElsewhere(5);
    const placed = Date.now();
    const refused = await play(SITE);
    strictEqual(refused.code, 2, refused.stdout.slice(-2000));
    match(refused.stdout, /locked by another run: ana@ops2 \(pid 4242\), running upgrade\.yml since/);
    let after = refused;
    while (after.code !== 0 && Date.now() - placed < 30_000) after = await play(SITE);
    strictEqual(after.code, 0, `a run proceeds once the lease expired:\n${after.stdout.slice(-2000)}`);
    ok(Date.now() - placed >= 4000, 'not before the lease of 5 s ran out');

    await lockFromElsewhere(300);
    strictEqual((await play(SITE)).code, 2, 'refused while the other node holds a 300 s lock');
    const broken = await play(SITE, ['-v', '-e', 'etcd_break_lock=true']);
    strictEqual(broken.code, 0, broken.stdout.slice(-2000));
    match(broken.stdout, /CREATE \/etcdops\/run-lock: break the lock of ana@ops2 \(pid 4242\)/);
    strictEqual(await lockValue(), '', 'released at the end of the run that broke it');
  });

  it('stops before its next task when its lease is lost mid-run, exiting non-zero and saying why', async () => {
    for (const host of HOSTS) await sshRun(lab(), host, 'rm -f /tmp/etcdops-changed-under-lock');
    const holder = etcdopsProcess(['play', LOCK_HELD, '-i', lab().inventory, '--output', 'plain', '-v', '-e', 'etcd_run_lock_ttl=6']);
    await outputSeen(holder.child, TAKEN);
    // What another operator's --break-lock or a long partition does to this run: its lease is gone.
    const key = await etcdops(['etcdctl', '-i', lab().inventory, '--', 'get', '/etcdops/run-lock', '-w', 'json']);
    const lease = /"lease":(\d+)/.exec(key.stdout);
    ok(lease, key.stdout + key.stderr);
    const revoked = await etcdops(['etcdctl', '-i', lab().inventory, '--', 'lease', 'revoke', BigInt(lease[1]!).toString(16)]);
    strictEqual(revoked.code, 0, revoked.stdout + revoked.stderr);
    const done = await holder.done;
    strictEqual(done.code, 1, done.stdout.slice(-2000) + done.stderr);
    match(done.stderr, /the run lock \/etcdops\/run-lock was lost .*no further task runs without the lock/);
    for (const host of HOSTS) {
      const changed = await sshRun(lab(), host, 'test -e /tmp/etcdops-changed-under-lock && echo present || echo absent');
      strictEqual(changed.stdout.trim(), 'absent', `${host}: nothing changed after the lock was lost`);
    }
  });
});
