// fault.yml on a 3-member lab cluster, as an operator rehearses failures: a partitioned member while the
// others keep serving, a killed member that systemd brings back, and a second fault refused because it
// would cost the quorum.
import { deepStrictEqual, match, notStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { etcdops, recapOf } from './etcdops-cli.js';
import { etcdPid, health } from './etcd-helpers.js';
import { sshRun, useLab } from './lab-fixture.js';

const SITE = fileURLToPath(new URL('../../playbooks/site.yml', import.meta.url));
const FAULT = fileURLToPath(new URL('../../playbooks/fault.yml', import.meta.url));

describe('etcd fault.yml on the lab', function () {
  this.timeout(120_000);
  const lab = useLab('flt1', 3);
  const address = (host: string) => lab().hosts.find((h) => h.name === host)!.address;
  const fault = (name: string, target: string, ...extra: string[]) =>
    etcdops(['play', FAULT, '-i', lab().inventory, '-e', `fault=${name}`, '-e', `target=${target}`, '--output', 'plain', '-v', ...extra.flatMap((e) => ['-e', e])]);
  /** etcdctl on a member, with that member's own client certificate, against one endpoint. */
  const etcdctl = (host: string, endpoint: string, args: string) =>
    sshRun(
      lab(),
      host,
      `etcdctl --endpoints=https://${endpoint}:2379 --cacert=/etc/etcd/pki/ca.crt --cert=/etc/etcd/pki/backup.crt --key=/etc/etcd/pki/backup.key --dial-timeout=2s --command-timeout=3s ${args}`,
    );
  const firewall = (host: string) => sshRun(lab(), host, 'iptables -w -S');
  const until = async (what: string, check: () => Promise<boolean>, ms = 30_000) => {
    const deadline = Date.now() + ms;
    while (!(await check().catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  };

  before(async function () {
    this.timeout(300_000);
    const site = await etcdops(['play', SITE, '-i', lab().inventory, '--output', 'json']);
    strictEqual(site.code, 0, site.stdout + site.stderr);
  });

  it('partitions n3 while n1 and n2 keep a leader and take writes, then heals it', async () => {
    const start = await health(lab());
    deepStrictEqual(start.problems, [], 'precondition: a healthy cluster');
    strictEqual(start.members.filter((m) => m.healthy && !m.isLearner).length, 3, 'precondition: 3 healthy voting members');
    for (const host of ['n1', 'n2', 'n3']) strictEqual(/ETCDOPS_FAULT/.test((await firewall(host)).stdout), false, `precondition: no fault on ${host}`);
    const injected = await fault('partition', 'n3');
    strictEqual(injected.code, 0, injected.stdout + injected.stderr);
    match((await firewall('n3')).stdout, new RegExp(`-A ETCDOPS_FAULT -s ${address('n1').replace(/\./g, '\\.')}/32 .*-j DROP`));
    await until('n3 to be reported unhealthy', async () => {
      const h = await health(lab());
      return h.members.find((m) => m.name === 'n3')?.healthy === false && h.members.filter((m) => m.name !== 'n3').every((m) => m.healthy);
    });
    const h = await health(lab());
    ok(h.leaderId !== null && h.members.find((m) => m.isLeader)?.name !== 'n3', `a leader among n1, n2: ${JSON.stringify(h.members)}`);
    const put = await etcdctl('n1', address('n1'), 'put rehearsal partitioned');
    strictEqual(put.code, 0, put.stderr);
    const stale = await etcdctl('n3', address('n3'), 'get rehearsal --consistency=s --print-value-only');
    strictEqual(stale.code, 0, `n3 still answers a serializable read from its own data: ${stale.stderr}`);
    strictEqual(stale.stdout.trim(), '', 'n3 cannot have the write made while it was cut off');

    const cleared = await fault('partition', 'n3', 'action=clear');
    strictEqual(cleared.code, 0, cleared.stdout + cleared.stderr);
    match(cleared.stdout, /3 voting members healthy/);
    strictEqual(/ETCDOPS_FAULT/.test((await firewall('n3')).stdout), false, 'the chain is gone');
    const after = await health(lab());
    deepStrictEqual(after.problems, []);
    strictEqual(after.members.filter((m) => m.healthy).length, 3);
    const get = await etcdctl('n3', address('n3'), 'get rehearsal --consistency=s --print-value-only');
    strictEqual(get.stdout.trim(), 'partitioned', get.stderr);
  });

  it('kills etcd on n3 and systemd brings it back with a new PID', async () => {
    const restarts = async () => Number((await sshRun(lab(), 'n3', 'systemctl show -p NRestarts --value etcd')).stdout.trim());
    const before = await etcdPid(lab(), 'n3');
    const restartsBefore = await restarts();
    ok(before > 0);
    const killed = await fault('kill', 'n3');
    strictEqual(killed.code, 0, killed.stdout + killed.stderr);
    await until('etcd on n3 to come back', async () => {
      const pid = await etcdPid(lab(), 'n3');
      return pid > 0 && pid !== before && (await health(lab())).problems.length === 0;
    });
    notStrictEqual(await etcdPid(lab(), 'n3'), before);
    strictEqual(await restarts(), restartsBefore + 1, 'restarted by systemd, once');
  });

  it('refuses a second fault that would cost the quorum, and changes nothing on n2', async () => {
    const partitioned = await fault('partition', 'n3');
    strictEqual(partitioned.code, 0, partitioned.stdout + partitioned.stderr);
    await until('n3 to be reported unhealthy', async () => (await health(lab())).members.find((m) => m.name === 'n3')?.healthy === false);
    const pid = await etcdPid(lab(), 'n2');
    const rules = (await firewall('n2')).stdout;
    const refused = await etcdops(['play', FAULT, '-i', lab().inventory, '-e', 'fault=stop', '-e', 'target=n2', '--output', 'json']);
    strictEqual(refused.code, 2, refused.stdout + refused.stderr);
    match(refused.stdout, /refusing to inject stop on n2: of 3 voting members, those left healthy would be n1: not a majority/);
    strictEqual(recapOf(refused.stdout).n2!.changed, 0);
    strictEqual(await etcdPid(lab(), 'n2'), pid);
    strictEqual((await firewall('n2')).stdout, rules);
    strictEqual((await sshRun(lab(), 'n2', 'systemctl is-active etcd')).stdout.trim(), 'active');
    const unnamed = await etcdops(['play', FAULT, '-i', lab().inventory, '-e', 'fault=flood', '-e', 'target=n2', '--output', 'plain']);
    strictEqual(unnamed.code, 2, unnamed.stdout + unnamed.stderr);
    match(unnamed.stdout, /give the fault with -e fault=partition\|kill\|stop/);

    const cleared = await fault('partition', 'n3', 'action=clear');
    strictEqual(cleared.code, 0, cleared.stdout + cleared.stderr);
    deepStrictEqual((await health(lab())).problems, []);
  });
});
