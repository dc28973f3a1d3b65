// The everyday Ansible modules on one fresh 3-host lab: a playbook using all of them converges and a
// second run changes nothing; --check --diff shows a lineinfile/blockinfile repair and changes nothing;
// service stops and starts a real unit; systemd restart_if_changed makes a restart a failed run owed; uri reads the lab's artifact mirror (no etcd needed).
import { deepStrictEqual, match, ok, strictEqual } from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { etcdops, recapOf } from './etcdops-cli.js';
import { sshRun, useLab } from './lab-fixture.js';

const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
const PLAY = fixture('everyday-modules.yml');
const SERVICE = fixture('everyday-service.yml');
const OWED = fixture('owed-restart.yml');
const HOSTS = ['n1', 'n2', 'n3'];
const FILES = 'cat /etc/everyday/limits.conf /etc/everyday/hosts; stat -c %a /etc/everyday/limits.conf';

describe('everyday modules on the lab', function () {
  this.timeout(180_000);
  const lab = useLab('everyday', 3);

  it('a playbook using them all converges, and a second run changes nothing', async () => {
    const first = await etcdops(['play', PLAY, '-i', lab().inventory, '--output', 'json']);
    strictEqual(first.code, 0, first.stdout + first.stderr);
    for (const host of HOSTS) ok(recapOf(first.stdout)[host]!.changed >= 4, JSON.stringify(recapOf(first.stdout)[host]));
    for (const host of HOSTS) {
      const files = await sshRun(lab(), host, `${FILES}; systemctl is-active everyday; systemctl is-enabled everyday; ! systemctl is-active etcd`);
      strictEqual(files.stdout, 'etcd soft nofile 65536\n# BEGIN etcd members\nmembers: n1 n2 n3\n# END etcd members\n644\nactive\nenabled\ninactive\n');
    }
    const second = await etcdops(['play', PLAY, '-i', lab().inventory, '--output', 'json']);
    strictEqual(second.code, 0, second.stdout + second.stderr);
    for (const host of HOSTS) strictEqual(recapOf(second.stdout)[host]!.changed, 0, `${host}: ${JSON.stringify(recapOf(second.stdout)[host])}`);
  });

  it('--check --diff shows the lineinfile and blockinfile repairs and changes nothing', async () => {
    await sshRun(lab(), 'n1', "sed -i 's/65536/1024/' /etc/everyday/limits.conf && sed -i 's/^members: .*/members: n1/' /etc/everyday/hosts");
    const before = await sshRun(lab(), 'n1', FILES);
    const check = await etcdops(['play', PLAY, '-i', lab().inventory, '--check', '--diff', '--output', 'plain', '--limit', 'n1']);
    strictEqual(check.code, 0, check.stdout + check.stderr);
    match(check.stdout, /-etcd soft nofile 1024\n\s*\+etcd soft nofile 65536/);
    match(check.stdout, /-members: n1\n\s*\+members: n1 n2 n3/);
    match(check.stdout, /TASK \[A limits line\] \**\nchanged: \[n1\] => line replaced\n/);
    match(check.stdout, /TASK \[The members, in a managed block\] \**\nchanged: \[n1\] => Block inserted\n/);
    match(check.stdout, /TASK \[The unit runs\] \**\nok: \[n1\]\n/);
    deepStrictEqual(await sshRun(lab(), 'n1', FILES), before);
  });

  it('service stops and starts a real unit', async () => {
    const stopped = await etcdops(['play', SERVICE, '-i', lab().inventory, '-e', 'svc_state=stopped', '--limit', 'n2', '--output', 'json']);
    strictEqual(stopped.code, 0, stopped.stdout + stopped.stderr);
    strictEqual(recapOf(stopped.stdout).n2!.changed, 1);
    strictEqual((await sshRun(lab(), 'n2', 'systemctl is-active everyday || true')).stdout, 'inactive\n');
    const started = await etcdops(['play', SERVICE, '-i', lab().inventory, '-e', 'svc_state=started', '--limit', 'n2', '--output', 'json']);
    strictEqual(started.code, 0, started.stdout + started.stderr);
    strictEqual(recapOf(started.stdout).n2!.changed, 1);
    strictEqual((await sshRun(lab(), 'n2', 'systemctl is-active everyday')).stdout, 'active\n');
  });

  it('systemd restart_if_changed restarts a service a failed run left on its old unit, then changes nothing', async () => {
    const owed = (vars: Record<string, unknown>) => etcdops(['play', OWED, '-i', lab().inventory, '--limit', 'n3', '--output', 'json', '-e', JSON.stringify(vars)]);
    const running = async () => (await sshRun(lab(), 'n3', 'tr "\\0" " " < /proc/$(systemctl show -p MainPID --value owed)/cmdline')).stdout.trim();
    strictEqual((await owed({ svc_seconds: 1000 })).code, 0);
    strictEqual(await running(), '/bin/sleep 1000');
    const failed = await owed({ svc_seconds: 2000, fail_after_unit: true });
    strictEqual(failed.code, 2, failed.stdout + failed.stderr);
    strictEqual(await running(), '/bin/sleep 1000', 'the handler never ran');
    const rerun = await owed({ svc_seconds: 2000 });
    strictEqual(rerun.code, 0, rerun.stdout + rerun.stderr);
    strictEqual(recapOf(rerun.stdout).n3!.changed, 1, 'the owed restart is made');
    strictEqual(await running(), '/bin/sleep 2000');
    const again = await owed({ svc_seconds: 2000 });
    strictEqual(recapOf(again.stdout).n3!.changed, 0, again.stdout);
  });
});
