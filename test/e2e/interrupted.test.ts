// Interrupted operations on one lab, with real interruptions: site.yml SIGKILLed and Ctrl-C'd during the
// rolling restart of its second member, a version change site.yml must leave to upgrade.yml, and
// scale-out.yml killed right after `member add`. Each re-run is judged by what the members run (their
// metrics), the cluster's health and membership, and the recap; restarts are measured with etcdctl (a Go
// client) against every endpoint, where 0 failed requests are expected but for etcd's own refusal during
// an election (see startEtcdctlWorkload).
import { deepStrictEqual, match, notStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { memberAdd, memberList, type MemberInfo } from '../../src/etcd/membership.js';
import { labAddHosts, type LabInfo } from '../../src/lab/lab.js';
import { etcdops, etcdopsProcess, jsonEvents, recapOf, type CliResult, type JsonEvent } from './etcdops-cli.js';
import { adminAccess, health, startEtcdctlWorkload, workloadSummary } from './etcd-helpers.js';
import { sshRun, useLab } from './lab-fixture.js';

const playbook = (name: string) => fileURLToPath(new URL(`../../playbooks/${name}`, import.meta.url));
const SITE = playbook('site.yml');
const HOSTS = ['n1', 'n2', 'n3'];
const RESTART_PLAY = 'etcd followers restarted one at a time';
const RESTART_TASK = 'etcd restarted';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The backend quota a member's running etcd reports on its plain metrics port (what it runs, not what its file says). */
async function runningQuota(lab: LabInfo, host: string): Promise<number> {
  const address = lab.hosts.find((h) => h.name === host)!.address;
  const text = await (await fetch(`http://${address}:2381/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  const m = /^etcd_server_quota_backend_bytes (\S+)$/m.exec(text);
  if (!m) throw new Error(`${host}: no etcd_server_quota_backend_bytes in its metrics`);
  return Number(m[1]);
}

/**
 * Waits until no member has a systemd job queued (a restart the killed run asked for goes on without it)
 * and every member is healthy, so what the members run is measured after the interruption's dust settles.
 */
async function settled(lab: LabInfo, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const jobs = await Promise.all(HOSTS.map((host) => sshRun(lab, host, 'systemctl list-jobs --no-legend | wc -l')));
    const busy = jobs.filter((j) => j.code !== 0 || j.stdout.trim() !== '0').length;
    const h = busy > 0 ? { problems: [`${busy} member(s) with a systemd job running`] } : await health(lab).catch((e: Error) => ({ problems: [e.message] }));
    if (h.problems.length === 0) return;
    if (Date.now() > deadline) throw new Error(`cluster not healthy after ${timeoutMs} ms: ${h.problems.join('; ')}`);
    await sleep(500);
  }
}

/**
 * When a member's etcd was last unavailable, on the host's clock (the lab's hosts share one): from leaving
 * `active` (the stop of a restart) to `active` again (ready, with Type=notify). Windows of two members
 * that overlap would mean two members were down at once.
 */
async function downWindow(lab: LabInfo, host: string): Promise<[number, number]> {
  const out = await sshRun(lab, host, 'systemctl show --timestamp=us+utc -p ActiveExitTimestamp,ActiveEnterTimestamp etcd');
  const at = (name: string) => {
    const m = new RegExp(`^${name}=\\w+ (\\S+) (\\S+) UTC$`, 'm').exec(out.stdout);
    if (!m) throw new Error(`${host}: no ${name} in ${out.stdout}${out.stderr}`);
    return Date.parse(`${m[1]}T${m[2]}Z`);
  };
  return [at('ActiveExitTimestamp'), at('ActiveEnterTimestamp')];
}

/** Starts a run and sends `signal` once `moment` sees the events (or plain lines) it waits for; resolves with the run. */
async function interruptWhen(args: string[], signal: NodeJS.Signals, moment: (stdout: string) => boolean, delayMs: number): Promise<{ result: CliResult; signalled: boolean }> {
  const { child, done } = etcdopsProcess(args);
  let seen = '';
  let signalled = false;
  child.stdout!.on('data', (chunk: string) => {
    seen += chunk;
    if (!signalled && moment(seen)) {
      signalled = true;
      setTimeout(() => child.kill(signal), delayMs);
    }
  });
  return { result: await done, signalled };
}

/** Hosts whose restart task reported changed, in the order they restarted, and the host lists of the restart play's batches. */
function restarts(events: readonly JsonEvent[]): { restarted: string[]; batches: string[][] } {
  return {
    restarted: events.filter((e) => e.event === 'host_result' && e.task === RESTART_TASK && e.status === 'CHANGED').map((e) => e.host),
    batches: events.filter((e) => e.event === 'batch_start' && e.play === RESTART_PLAY).map((e) => e.hosts),
  };
}

describe('interrupted operations resume on the lab', function () {
  this.timeout(600_000);
  const fixture = useLab('interrupted', 3);
  let lab: LabInfo;
  before(() => (lab = fixture()));
  const quotas = () => Promise.all(HOSTS.map((h) => runningQuota(lab, h)));
  const site = (args: string[]) => etcdops(['play', SITE, '-i', lab.inventory, ...args]);
  /** The three first members' addresses: the Go client's endpoints, also once n4 and n5 join. */
  const addresses = () => lab.hosts.filter((h) => HOSTS.includes(h.name)).map((h) => h.address);

  it('builds a 3-member cluster on fresh hosts, each running the default quota', async () => {
    const status = await Promise.all(HOSTS.map((h) => sshRun(lab, h, 'test ! -e /etc/etcd && echo fresh')));
    deepStrictEqual(status.map((s) => s.stdout.trim()), ['fresh', 'fresh', 'fresh'], 'the lab starts from fresh hosts');
    const result = await site(['--output', 'json']);
    strictEqual(result.code, 0, result.stdout.slice(-3000) + result.stderr);
    for (const host of HOSTS) ok(recapOf(result.stdout)[host]!.changed > 0, `${host} was built`);
    deepStrictEqual((await health(lab)).problems, []);
    deepStrictEqual(await quotas(), [8589934592, 8589934592, 8589934592]);
  });

  it('SIGKILL during member 2\'s turn in the rolling restart: plan shows the restarts left, the re-run makes exactly those one at a time with no failed request, then nothing', async () => {
    const quota = 4294967296;
    const change = ['-e', `etcd_quota_backend_bytes=${quota}`];
    // The moment: member 2's turn, its snapshot taken, its restart next (the Ctrl-C case below interrupts
    // the restart task itself). Two members are then left on the old quota, so the re-run's order matters.
    const secondTurn = (stdout: string) =>
      jsonEvents(stdout.slice(0, stdout.lastIndexOf('\n') + 1)).filter((e) => e.event === 'host_result' && e.task === 'etcd snapshot (taken and verified)' && e.status !== 'SKIPPED').length >= 2;
    const { result: killed, signalled } = await interruptWhen(['play', SITE, '-i', lab.inventory, ...change, '--output', 'json'], 'SIGKILL', secondTurn, 0);
    ok(signalled, `the run reached the second restart: ${killed.stdout.slice(-2000)}`);
    strictEqual(killed.code, -1, 'the run was killed');
    ok(!jsonEvents(killed.stdout).some((e) => e.event === 'recap'), 'a killed run prints no recap');
    const first = restarts(jsonEvents(killed.stdout)).restarted;
    strictEqual(first.length, 1, `one member finished its restart before the kill: ${first}`);
    await settled(lab);

    const before = await quotas();
    const old = HOSTS.filter((_, i) => before[i] !== quota);
    strictEqual(before[HOSTS.indexOf(first[0]!)], quota, `${first[0]} restarted and runs the new quota`);
    deepStrictEqual(old, HOSTS.filter((h) => h !== first[0]), `every member but ${first[0]} still runs the old quota: ${before}`);
    process.stderr.write(`      killed after ${first[0]} restarted; still on the old quota: ${old.join(', ')}\n`);
    const files = await Promise.all(HOSTS.map((h) => sshRun(lab, h, 'grep ^quota-backend-bytes /etc/etcd/etcd.conf.yml')));
    for (const f of files) match(f.stdout, new RegExp(String(quota)), 'every file already says the new quota: only the restarts are owed');

    const plan = await etcdops(['plan', SITE, '-i', lab.inventory, ...change, '--no-diff', '--detailed-exitcode']);
    strictEqual(plan.code, 2, `plan says changes are pending:\n${plan.stdout}${plan.stderr}`);
    for (const host of HOSTS) {
      const section = plan.stdout.slice(plan.stdout.indexOf(`\n${host}:`), plan.stdout.indexOf('\n\n', plan.stdout.indexOf(`\n${host}:`) + 1));
      if (old.includes(host)) match(section, /etcd restarted\n\s+~ update etcd\.service: restart owed: its configuration changed since it started: quota-backend-bytes/, section);
      else strictEqual(section.includes(RESTART_TASK), false, `${host} owes no restart:\n${section}`);
    }

    const load = startEtcdctlWorkload(lab, lab.inventory, addresses());
    const rerun = await site([...change, '--output', 'json']);
    const availability = await load.stop();
    strictEqual(rerun.code, 0, rerun.stdout.slice(-3000) + rerun.stderr);
    process.stderr.write(workloadSummary('the re-run after SIGKILL', availability));
    deepStrictEqual(availability.failed, []);
    ok(availability.succeeded > 10, `only ${availability.succeeded} requests during the re-run`);
    const { restarted, batches } = restarts(jsonEvents(rerun.stdout));
    deepStrictEqual([...restarted].sort(), [...old].sort(), 'the re-run restarts exactly the members still running the old quota');
    ok(batches.every((b) => b.length === 1), `one member at a time: ${JSON.stringify(batches)}`);
    const windows = await Promise.all(restarted.map((h) => downWindow(lab, h)));
    for (let i = 1; i < windows.length; i++) {
      ok(windows[i]![0] > windows[i - 1]![1], `${restarted[i]} went down only after ${restarted[i - 1]} was back: ${JSON.stringify(windows)}`);
    }
    deepStrictEqual(await quotas(), [quota, quota, quota]);

    const third = await site([...change, '--output', 'json']);
    strictEqual(third.code, 0, third.stderr);
    for (const host of HOSTS) strictEqual(recapOf(third.stdout)[host]!.changed, 0, `${host} changed something on the third run`);
  });

  it('Ctrl-C with --output plain during the restart of member 2: that restart finishes, exit 99, and the re-run restarts only the member left', async () => {
    const quota = 2147483648;
    const change = ['-e', `etcd_quota_backend_bytes=${quota}`];
    // A restart begins where the handover before it ran: the leader's batch in the followers' play skips both.
    const begun = new RegExp(`\\n(?:ok|changed): \\[\\w+\\][^\\n]*\\n\\nTASK \\[${RESTART_TASK}\\]`, 'g');
    const secondRestart = (stdout: string) => [...stdout.matchAll(begun)].length >= 2;
    const { result: stopped, signalled } = await interruptWhen(['play', SITE, '-i', lab.inventory, ...change, '--output', 'plain'], 'SIGINT', secondRestart, 100);
    ok(signalled, `the run reached the second restart: ${stopped.stdout.slice(-2000)}`);
    strictEqual(stopped.code, 99, stopped.stdout.slice(-2000) + stopped.stderr);
    const restartedBefore = [...stopped.stdout.matchAll(/TASK \[etcd restarted\][^\n]*\n(?:changed|ok): \[(\w+)\]/g)].map((m) => m[1]!);
    strictEqual(restartedBefore.length, 2, `the restart running at Ctrl-C finished:\n${stopped.stdout.slice(-2000)}`);
    await settled(lab);
    const before = await quotas();
    const old = HOSTS.filter((_, i) => before[i] !== quota);
    deepStrictEqual(old, HOSTS.filter((h) => !restartedBefore.includes(h)), `members left on the old quota: ${before}`);
    strictEqual(old.length, 1);

    const load = startEtcdctlWorkload(lab, lab.inventory, addresses());
    const rerun = await site([...change, '--output', 'json']);
    const availability = await load.stop();
    strictEqual(rerun.code, 0, rerun.stdout.slice(-3000) + rerun.stderr);
    process.stderr.write(workloadSummary('the re-run after Ctrl-C', availability));
    deepStrictEqual(availability.failed, []);
    deepStrictEqual(restarts(jsonEvents(rerun.stdout)).restarted, old);
    deepStrictEqual(await quotas(), [quota, quota, quota]);
  });

  it('refuses a stale etcd_version (a downgrade) before touching any host, and plan shows the refusal', async () => {
    const links = () => Promise.all(HOSTS.map((h) => sshRun(lab, h, 'readlink -f /usr/local/bin/etcd; ls /opt/etcd')));
    const before = await links();
    const refused = await site(['-e', 'etcd_version=3.4.23', '--output', 'plain']);
    strictEqual(refused.code, 2, refused.stdout + refused.stderr);
    for (const host of HOSTS) {
      match(refused.stdout, new RegExp(`refused: ${host} runs etcd 3\\.5\\.30 and etcd_version says 3\\.4\\.23, a downgrade site\\.yml never makes\\. If 3\\.5\\.30 is meant .*set etcd_version: 3\\.5\\.30`));
    }
    strictEqual(refused.stdout.includes('TASK [etcd release tarball]'), false, 'nothing runs after the refusal');
    deepStrictEqual((await links()).map((l) => l.stdout), before.map((l) => l.stdout), 'every link and release folder as before');
    for (const l of before) match(l.stdout, /etcd-v3\.5\.30-linux-amd64\/etcd/);
    const plan = await etcdops(['plan', SITE, '-i', lab.inventory, '-e', 'etcd_version=3.4.23', '--no-diff']);
    match(plan.stdout, /! etcd version change is site\.yml's to make: failed: refused: n1 runs etcd 3\.5\.30 .*a downgrade/);
    match(plan.stdout, /3 failed/);
  });

  describe('scale-out.yml interrupted', () => {
    const members = (hosts = HOSTS) => adminAccess(lab.inventory, lab.hosts.filter((h) => hosts.includes(h.name)).map((h) => h.address)).then((a) => memberList({ ...a, timeoutMs: 3000 }));
    const learners = (list: readonly MemberInfo[]) => list.filter((m) => m.isLearner);

    it('killed right after member add: the re-run says it resumes that join and finishes it before the next host joins, with never two learners and no failed request', async () => {
      lab = await labAddHosts(lab.name, 2);
      const addedN4 = (stdout: string) =>
        jsonEvents(stdout.slice(0, stdout.lastIndexOf('\n') + 1)).some((e) => e.event === 'host_result' && e.task === 'etcd member added as a learner' && e.host === 'n4' && e.status === 'CHANGED');
      const { result: killed, signalled } = await interruptWhen(['play', playbook('scale-out.yml'), '-i', lab.inventory, '--output', 'json'], 'SIGKILL', addedN4, 0);
      ok(signalled, `the run added n4: ${killed.stdout.slice(-2000)}${killed.stderr}`);
      strictEqual(killed.code, -1);
      const left = learners(await members());
      strictEqual(left.length, 1, `one learner left pending: ${JSON.stringify(left)}`);
      strictEqual(left[0]!.name, '', 'added, never started');
      strictEqual((await sshRun(lab, 'n4', 'systemctl is-active etcd')).stdout.trim(), 'inactive');

      let most = 0;
      let watching = true;
      const watcher = (async () => {
        while (watching) {
          most = Math.max(most, learners(await members().catch(() => [])).length);
          await sleep(200);
        }
      })();
      const load = startEtcdctlWorkload(lab, lab.inventory, addresses());
      const rerun = await etcdops(['play', playbook('scale-out.yml'), '-i', lab.inventory, '--output', 'plain', '-v']);
      const availability = await load.stop();
      watching = false;
      await watcher;
      strictEqual(rerun.code, 0, rerun.stdout.slice(-3000) + rerun.stderr);
      process.stderr.write(workloadSummary('the scale-out re-run', availability));
      deepStrictEqual(availability.failed, []);
      match(rerun.stdout, /resuming the join of n4: added as a learner by an earlier run/);
      match(rerun.stdout, /n4 is already a member/);
      const promoted4 = rerun.stdout.indexOf('UPDATE member n4: learner: promoted');
      ok(promoted4 >= 0 && rerun.stdout.indexOf('CREATE member n5') > promoted4, 'n4 finishes joining before n5 is added');
      ok(most <= 1, `at most one learner at any time, saw ${most}`);
      const after = await members(['n1', 'n2', 'n3', 'n4', 'n5']);
      deepStrictEqual(after.filter((m) => !m.isLearner).map((m) => m.name).sort(), ['n1', 'n2', 'n3', 'n4', 'n5']);
      deepStrictEqual(learners(after), []);
    });

    it('a learner whose host has left the inventory is removed, and the run says so', async () => {
      const access = await adminAccess(lab.inventory, lab.hosts.map((h) => h.address));
      const subnet = lab.hosts[0]!.address.replace(/\.\d+$/, '');
      const ghost = `https://${subnet}.250:2380`;
      await memberAdd(access, ghost, { learner: true, retryUnhealthyMs: 30_000 });
      strictEqual(learners(await members()).length, 1);
      const rerun = await etcdops(['play', playbook('scale-out.yml'), '-i', lab.inventory, '--output', 'plain', '-v']);
      strictEqual(rerun.code, 0, rerun.stdout.slice(-3000) + rerun.stderr);
      match(rerun.stdout, /TASK \[etcd learner left by an interrupted join of a host no longer in the inventory, removed\][\s\S]*DELETE member \S+: member \(not started\) \w+ \(learner\) is removed/);
      const after = await members();
      deepStrictEqual(learners(after), []);
      notStrictEqual(after.length, 0);
      strictEqual(after.some((m) => m.peerURLs.includes(ghost)), false);
    });
  });
});
