// The engine on real hosts: check/diff changes nothing, a converge is idempotent, serial batches stop on
// failure, unreachable hosts and changed host keys are reported as such, and become works through sudo.
import { deepStrictEqual, match, ok, strictEqual } from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { etcdops, etcdopsInTerminal, etcdopsProcess, jsonEvents, outputSeen, recapOf } from './etcdops-cli.js';
import { hostFingerprint } from './host-fingerprint.js';
import { sshRun, useLab } from './lab-fixture.js';
import { runCommand } from '../../src/lab/run-command.js';
import { hostLayout } from '../../src/lab/lab-layout.js';

const EXAMPLE = fileURLToPath(new URL('../../playbooks/examples/hello-service.yml', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
const HOSTS = ['n1', 'n2', 'n3'];

describe('engine on the lab', function () {
  this.timeout(180_000);
  const lab = useLab('engine', 3);
  let scratch: string;
  before(() => (scratch = mkdtempSync(join(tmpdir(), 'etcdops-engine-'))));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  /** The lab inventory with changes, written to a scratch file. */
  function inventoryWith(change: (inventory: any) => void): string {
    const inventory = parse(readFileSync(lab().inventory, 'utf8'));
    change(inventory);
    const file = join(scratch, `inventory-${Math.random().toString(36).slice(2)}.yml`);
    writeFileSync(file, stringify(inventory));
    return file;
  }

  it('--check --diff on fresh hosts lists every change with diffs and changes nothing', async () => {
    const before = await Promise.all(HOSTS.map((h) => hostFingerprint(lab(), h)));
    const again = await Promise.all(HOSTS.map((h) => hostFingerprint(lab(), h)));
    deepStrictEqual(again, before, 'hosts must be stable on their own for this test to mean anything');
    const result = await etcdops(['play', EXAMPLE, '-i', lab().inventory, '--check', '--diff', '--output', 'plain']);
    strictEqual(result.code, 0, result.stderr);
    match(result.stdout, /PLAY \[Converge a small heartbeat service\] \(check mode\)/);
    for (const host of HOSTS) {
      match(result.stdout, new RegExp(`\\+HELLO_MESSAGE="hello from ${host}"`));
    }
    match(result.stdout, /\+\+\+ after: \/etc\/systemd\/system\/hello.service/);
    match(result.stdout, /n1 +: ok=\d+ +changed=[1-9]/);
    deepStrictEqual(await Promise.all(HOSTS.map((h) => hostFingerprint(lab(), h))), before);
  });

  it('converges the example playbook, and a second run changes nothing', async () => {
    const first = await etcdops(['play', EXAMPLE, '-i', lab().inventory, '--output', 'json']);
    strictEqual(first.code, 0, first.stdout + first.stderr);
    for (const host of HOSTS) ok(recapOf(first.stdout)[host]!.changed > 0);
    for (const host of HOSTS) {
      const state = await sshRun(lab(), host, 'systemctl is-active hello && systemctl is-enabled hello && stat -c "%U %a" /var/lib/hello');
      strictEqual(state.stdout, 'active\nenabled\nhello 755\n');
    }
    const second = await etcdops(['play', EXAMPLE, '-i', lab().inventory, '--output', 'json']);
    strictEqual(second.code, 0, second.stderr);
    const recap = recapOf(second.stdout);
    for (const host of HOSTS) strictEqual(recap[host]!.changed, 0, `${host}: ${JSON.stringify(recap[host])}`);
    const last = jsonEvents(second.stdout).at(-1)!;
    strictEqual(last.event, 'recap');
    for (const host of HOSTS) strictEqual(last.connections[host].connections, 1, 'one SSH connection per host');
  });

  /** A playbook of `tasks` (YAML list items) for every host, written to a scratch file. */
  function playbookOf(tasks: string): string {
    const file = join(scratch, `play-${Math.random().toString(36).slice(2)}.yml`);
    writeFileSync(file, `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks.replace(/^/gm, '    ')}\n`);
    return file;
  }

  /** Each task's status per host, in task order, from a JSON run's events. */
  function statusesOf(stdout: string): Record<string, string[]> {
    const statuses: Record<string, string[]> = {};
    for (const e of jsonEvents(stdout)) if (e.event === 'host_result') (statuses[e.host] ??= []).push(e.status);
    return statuses;
  }

  it('a no-op sends the reads of the tasks that follow with the first one: one command for five tasks, each judged as alone', async () => {
    const playbook = playbookOf(`- file: { path: /opt/read-ahead, state: directory, mode: "0755" }
- copy: { dest: /opt/read-ahead/a, content: "a on {{ inventory_hostname }}\\n", mode: "0644" }
- copy: { dest: /opt/read-ahead/b, content: "b\\n", mode: "0600" }
- template: { src: ${fixture('read-ahead.j2')}, dest: /opt/read-ahead/c, mode: "0644" }
- systemd: { name: ssh, state: started }`);
    const first = await etcdops(['play', playbook, '-i', lab().inventory, '--output', 'json']);
    strictEqual(first.code, 0, first.stdout + first.stderr);
    for (const host of HOSTS) deepStrictEqual(statusesOf(first.stdout)[host], ['CHANGED', 'CHANGED', 'CHANGED', 'CHANGED', 'OK']);
    const second = await etcdops(['play', playbook, '-i', lab().inventory, '--output', 'json']);
    strictEqual(second.code, 0, second.stdout + second.stderr);
    const recap = jsonEvents(second.stdout).at(-1)!;
    for (const host of HOSTS) {
      deepStrictEqual(statusesOf(second.stdout)[host], ['OK', 'OK', 'OK', 'OK', 'OK']);
      strictEqual(recap.connections[host].commands, 1, `${host}: the five reads in one command`);
    }
    // A change made behind the run's back between the two runs is seen, as by a read in the task's turn.
    await sshRun(lab(), 'n2', 'chmod 0640 /opt/read-ahead/b && echo drift > /opt/read-ahead/c');
    const third = await etcdops(['play', playbook, '-i', lab().inventory, '--output', 'json', '--check']);
    strictEqual(third.code, 0, third.stdout + third.stderr);
    deepStrictEqual(statusesOf(third.stdout), { n1: ['OK', 'OK', 'OK', 'OK', 'OK'], n2: ['OK', 'OK', 'CHANGED', 'CHANGED', 'OK'], n3: ['OK', 'OK', 'OK', 'OK', 'OK'] });
  });

  it('a read sent ahead is not used after a change: one the task before made, or one another host\'s task made on it', async () => {
    const playbook = playbookOf(`- file: { path: /opt/read-ahead-changes, state: directory, mode: "0755" }
- copy: { dest: /opt/read-ahead-changes/f, content: "one\\n", mode: "0644" }
- copy: { dest: /opt/read-ahead-changes/f, content: "two\\n", mode: "0644" }
- copy: { dest: /opt/read-ahead-changes/f, content: "two\\n", mode: "0644" }
- copy: { dest: /opt/read-ahead-changes/g, content: "x\\n", mode: "0644" }
- copy: { dest: /opt/read-ahead-changes/g, content: "y\\n", mode: "0644" }
  delegate_to: n2
  run_once: true
- copy: { dest: /opt/read-ahead-changes/g, content: "x\\n", mode: "0644" }`);
    for (const run of ['converge', 'rerun']) {
      const result = await etcdops(['play', playbook, '-i', lab().inventory, '--output', 'json']);
      strictEqual(result.code, 0, result.stdout + result.stderr);
      const statuses = statusesOf(result.stdout);
      for (const host of HOSTS) {
        const seen = `${run} ${host}: ${statuses[host]!.join(' ')}`;
        // The file the task before rewrote already holds what this one wants.
        deepStrictEqual(statuses[host]!.slice(1, 4), ['CHANGED', 'CHANGED', 'OK'], seen);
        // n1 wrote y into g on n2 (run_once: n1 alone ran that task): only n2 gets x back.
        strictEqual(statuses[host]!.at(-1), host === 'n2' ? 'CHANGED' : 'OK', seen);
      }
    }
  });

  it("a no-op reads a loop's items with its first item: one command for loops of folders and links", async () => {
    const playbook = playbookOf(`- file: { path: "/opt/loop-ahead/{{ item }}", state: directory, mode: "0755" }
  loop: [a, b, c]
- file: { path: "/opt/loop-ahead/link-{{ item }}", src: "/opt/loop-ahead/{{ item }}", state: link }
  loop: [a, b]`);
    const first = await etcdops(['play', playbook, '-i', lab().inventory, '--output', 'json']);
    strictEqual(first.code, 0, first.stdout + first.stderr);
    for (const host of HOSTS) deepStrictEqual(statusesOf(first.stdout)[host], Array(5).fill('CHANGED'));
    const second = await etcdops(['play', playbook, '-i', lab().inventory, '--output', 'json']);
    strictEqual(second.code, 0, second.stdout + second.stderr);
    const recap = jsonEvents(second.stdout).at(-1)!;
    for (const host of HOSTS) {
      deepStrictEqual(statusesOf(second.stdout)[host], Array(5).fill('OK'));
      strictEqual(recap.connections[host].commands, 1, `${host}: the five items' reads in one command`);
    }
    // A link pointing elsewhere is seen, as by a read in the item's turn.
    await sshRun(lab(), 'n3', 'ln -sfn /opt/loop-ahead/c /opt/loop-ahead/link-b');
    const third = await etcdops(['play', playbook, '-i', lab().inventory, '--output', 'json', '--check']);
    strictEqual(third.code, 0, third.stdout + third.stderr);
    deepStrictEqual(statusesOf(third.stdout).n3, ['OK', 'OK', 'OK', 'OK', 'CHANGED']);
  });

  it('a loop item reads again what the item before it changed', async () => {
    const playbook = playbookOf(`- copy: { dest: /opt/loop-ahead-changes, content: "{{ item }}\\n", mode: "0644" }
  loop: [one, two]`);
    for (const run of ['converge', 'rerun']) {
      const result = await etcdops(['play', playbook, '-i', lab().inventory, '--output', 'json']);
      strictEqual(result.code, 0, result.stdout + result.stderr);
      // Each run starts from "two": the first item writes "one", so the second must write "two" again.
      for (const host of HOSTS) deepStrictEqual(statusesOf(result.stdout)[host], ['CHANGED', 'CHANGED'], `${run} ${host}`);
    }
    strictEqual((await sshRun(lab(), 'n1', 'cat /opt/loop-ahead-changes')).stdout, 'two\n');
  });

  it('what a host said before a pause is read again after it: a file changed during the pause is rewritten', async () => {
    const playbook = playbookOf(`- copy: { dest: /opt/read-across-pause, content: "{{ written }}\\n", mode: "0644" }
- pause: { seconds: 4 }
- copy: { dest: /opt/read-across-pause, content: "{{ written }}\\n", mode: "0644" }`);
    const written = `run ${Date.now()}`;
    const run = etcdops(['play', playbook, '-i', lab().inventory, '-l', 'n1', '-e', `written="${written}"`, '--output', 'json']);
    // The first task has written the file: change it while the play waits.
    while ((await sshRun(lab(), 'n1', 'cat /opt/read-across-pause 2>/dev/null; true')).stdout !== `${written}\n`) await new Promise((done) => setTimeout(done, 100));
    await sshRun(lab(), 'n1', 'echo changed by hand > /opt/read-across-pause');
    const result = await run;
    strictEqual(result.code, 0, result.stdout + result.stderr);
    deepStrictEqual(statusesOf(result.stdout).n1, ['CHANGED', 'OK', 'CHANGED']);
    strictEqual((await sshRun(lab(), 'n1', 'cat /opt/read-across-pause')).stdout, `${written}\n`);
  });

  it('plan: no changes on a converged lab (exit 0), exactly the affected files after a variable changes (exit 2), hosts untouched', async () => {
    const converged = await etcdops(['plan', EXAMPLE, '-i', lab().inventory, '--detailed-exitcode']);
    strictEqual(converged.code, 0, converged.stdout + converged.stderr);
    match(converged.stdout, /Plan: 3 hosts, 0 to change, \d+ unchanged/);
    const heartbeat = ['/var/lib/hello/heartbeat'];
    const before = await Promise.all(HOSTS.map((h) => hostFingerprint(lab(), h, heartbeat)));
    const edited = await etcdops(['plan', EXAMPLE, '-i', lab().inventory, '--detailed-exitcode', '-e', 'hello_interval=7']);
    strictEqual(edited.code, 2, edited.stdout + edited.stderr);
    for (const host of HOSTS) match(edited.stdout, new RegExp(`\\n${host}: 2 task\\(s\\) to change\\n  Configuration\\n[\\s\\S]*  restart hello\\n`));
    strictEqual(edited.stdout.match(/ \/etc\/hello\/hello\.conf: /g)?.length, 3, 'the config file on every host');
    match(edited.stdout, /-HELLO_INTERVAL=5\n\s*\+HELLO_INTERVAL=7/);
    strictEqual(/\/etc\/systemd|\/var\/lib\/hello/.test(edited.stdout), false, 'nothing else');
    match(edited.stdout, /Plan: 3 hosts, 6 to change/);
    deepStrictEqual(await Promise.all(HOSTS.map((h) => hostFingerprint(lab(), h, heartbeat))), before);
  });

  it('play --plan applies a saved plan, and refuses one the hosts drifted from, naming host and file', async () => {
    const saved = join(scratch, 'plan.json');
    const made = await etcdops(['plan', EXAMPLE, '-i', lab().inventory, '-e', 'hello_interval=9', '--out', saved]);
    strictEqual(made.code, 0, made.stderr);
    await sshRun(lab(), 'n2', 'echo "# edited by hand" >> /etc/hello/hello.conf');
    const refused = await etcdops(['play', EXAMPLE, '-i', lab().inventory, '--plan', saved, '--output', 'json']);
    strictEqual(refused.code, 1);
    match(refused.stderr, /drifted[\s\S]*n2: task "Configuration" \(\/etc\/hello\/hello\.conf\)/);
    strictEqual(/n1:|n3:/.test(refused.stderr), false, 'only the drifted host is named');
    strictEqual((await sshRun(lab(), 'n1', 'grep -c HELLO_INTERVAL=5 /etc/hello/hello.conf')).stdout.trim(), '1', 'nothing applied');
    const fresh = join(scratch, 'plan2.json');
    strictEqual((await etcdops(['plan', EXAMPLE, '-i', lab().inventory, '-e', 'hello_interval=9', '--out', fresh])).code, 0);
    const logins = () => Promise.all(HOSTS.map(async (h) => Number((await sshRun(lab(), h, 'journalctl -u ssh --no-pager | grep -c "Accepted publickey"')).stdout)));
    const before = await logins();
    const applied = await etcdops(['play', EXAMPLE, '-i', lab().inventory, '--plan', fresh, '--output', 'json']);
    strictEqual(applied.code, 0, applied.stderr);
    // Planning again and applying share one SSH connection per host, as sshd saw it (the count's own login aside).
    deepStrictEqual((await logins()).map((n, i) => n - before[i]! - 1), [1, 1, 1]);
    for (const host of HOSTS) match((await sshRun(lab(), host, 'cat /etc/hello/hello.conf')).stdout, /^HELLO_INTERVAL=9$/m);
  });

  it('serial: 1 stops the rollout before the next batch when a host fails', async () => {
    await Promise.all(HOSTS.map((h) => sshRun(lab(), h, 'rm -f /tmp/serial-mark')));
    const result = await etcdops(['play', fixture('serial-fail.yml'), '-i', lab().inventory, '--output', 'json']);
    strictEqual(result.code, 2, result.stdout);
    const marks = await Promise.all(HOSTS.map((h) => sshRun(lab(), h, 'test -e /tmp/serial-mark')));
    deepStrictEqual(marks.map((m) => m.code === 0), [true, true, false]);
    strictEqual(recapOf(result.stdout).n2!.failed, 1);
  });

  it('reports an unreachable host, lets the others finish, and exits 4 as ansible-playbook does', async () => {
    const inventory = inventoryWith((inv) => {
      const subnet = lab().bridgeAddress.replace(/\.1$/, '');
      inv.all.children.etcd.hosts.n9 = { ansible_host: `${subnet}.99`, ansible_timeout: 2 };
    });
    const result = await etcdops(['play', fixture('whoami.yml'), '-i', inventory, '--output', 'json']);
    strictEqual(result.code, 4, result.stdout + result.stderr);
    const recap = recapOf(result.stdout);
    strictEqual(recap.n9!.unreachable, 1);
    for (const host of HOSTS) deepStrictEqual([recap[host]!.ok, recap[host]!.failed, recap[host]!.unreachable], [2, 0, 0]);
  });

  /** How many processes on a host run exactly `commandLine`. */
  async function processCount(host: string, commandLine: string): Promise<number> {
    const found = await sshRun(lab(), host, `for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline 2>/dev/null; echo; done | grep -cxF '${commandLine} ' || true`);
    strictEqual(found.code, 0, found.stderr);
    return Number(found.stdout.trim());
  }

  async function until(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /**
   * Drops every SSH packet to and from a host inside its network namespace (established sessions too, both
   * ways, as a cut link would) until the returned function runs.
   */
  async function blockSsh(host: string): Promise<() => Promise<void>> {
    const index = Number(lab().subnet.split('.')[2]);
    const netns = hostLayout(index, Number(host.slice(1))).netns;
    const rules = [
      ['INPUT', '-p', 'tcp', '--dport', '22', '-j', 'DROP'],
      ['OUTPUT', '-p', 'tcp', '--sport', '22', '-j', 'DROP'],
    ];
    for (const rule of rules) await runCommand('ip', ['netns', 'exec', netns, 'iptables', '-w', '-I', ...rule]);
    return async () => {
      for (const rule of rules) await runCommand('ip', ['netns', 'exec', netns, 'iptables', '-w', '-D', ...rule], { allowFailure: true });
    };
  }

  it('a host whose SSH link drops mid-task is reported unreachable (exit 4), the others finish, and a re-run converges', async () => {
    await Promise.all(HOSTS.map((h) => sshRun(lab(), h, 'rm -f /tmp/ssh-drop-1 /tmp/ssh-drop-2')));
    // Probes every second, three unanswered ones end the link (OpenSSH's options, read as Ansible passes them).
    const inventory = inventoryWith((inv) => (inv.all.vars.ansible_ssh_common_args += ' -o ServerAliveInterval=1 -o ServerAliveCountMax=3'));
    const run = etcdopsProcess(['play', fixture('ssh-drop.yml'), '-i', inventory, '--output', 'json']);
    await outputSeen(run.child, /"event":"task_start"[^\n]*"Slow step"/);
    // Cut while the command runs on n2, not while its session is still being opened.
    await until('the slow step to run on n2', async () => (await processCount('n2', 'sleep 5')) > 0);
    const unblock = await blockSsh('n2');
    const blockedAt = Date.now();
    let result;
    try {
      result = await run.done;
      const elapsed = Date.now() - blockedAt;
      strictEqual(result.code, 4, result.stdout + result.stderr);
      const recap = recapOf(result.stdout);
      deepStrictEqual([recap.n2!.unreachable, recap.n2!.failed], [1, 0], JSON.stringify(recap.n2));
      for (const host of ['n1', 'n3']) deepStrictEqual([recap[host]!.changed, recap[host]!.unreachable], [2, 0], `${host}: ${JSON.stringify(recap[host])}`);
      const lost = jsonEvents(result.stdout).find((e) => e.event === 'host_result' && e.host === 'n2' && e.status === 'UNREACHABLE');
      match(lost?.msg ?? '', /n2: unreachable: connection lost/);
      ok(elapsed < 12_000, `the lost link was noticed ${elapsed} ms after the cut, not left hanging`);
      // ansible_timeout bounds the connection attempt to a host that does not answer.
      const connectTimeout = inventoryWith((inv) => (inv.all.vars.ansible_timeout = 2));
      const silent = await etcdops(['play', fixture('whoami.yml'), '-i', connectTimeout, '--limit', 'n2', '--output', 'json']);
      strictEqual(silent.code, 4, silent.stdout + silent.stderr);
      const refused = jsonEvents(silent.stdout).find((e) => e.host === 'n2' && e.status === 'UNREACHABLE');
      match(refused?.msg ?? '', /timed out|timeout/i);
      // The task's own time (the CLI's start-up on a busy machine is not the connection's doing).
      const took = refused!.durationMs as number;
      process.stderr.write(`      link lost noticed after ${elapsed} ms (${lost?.msg}); connect to the silent host gave up after ${took} ms\n`);
      ok(took >= 1900 && took < 4000, `a 2 s connect timeout took ${took} ms`);
    } finally {
      // The link stays cut for 20 s in all, as a real outage would.
      await new Promise((r) => setTimeout(r, Math.max(0, 20_000 - (Date.now() - blockedAt))));
      await unblock();
    }
    const again = await etcdops(['play', fixture('ssh-drop.yml'), '-i', inventory, '--output', 'json']);
    strictEqual(again.code, 0, again.stdout + again.stderr);
    const recap = recapOf(again.stdout);
    for (const host of ['n1', 'n3']) strictEqual(recap[host]!.changed, 0, `${host}: ${JSON.stringify(recap[host])}`);
    const files = await Promise.all(HOSTS.map((h) => sshRun(lab(), h, 'test -e /tmp/ssh-drop-1 && test -e /tmp/ssh-drop-2')));
    deepStrictEqual(files.map((f) => f.code), [0, 0, 0], 'every host has both steps done');
  });

  it('a task past its `timeout:` fails on every host, its remote command is stopped, and nothing after it runs', async () => {
    await Promise.all(HOSTS.map((h) => sshRun(lab(), h, 'rm -f /tmp/after-timeout')));
    const started = Date.now();
    const result = await etcdops(['play', fixture('task-timeout.yml'), '-i', lab().inventory, '--output', 'json']);
    const took = Date.now() - started;
    strictEqual(result.code, 2, result.stdout + result.stderr);
    ok(took < 10_000, `a 2 s task timeout took ${took} ms`);
    for (const host of HOSTS) {
      const failed = jsonEvents(result.stdout).find((e) => e.event === 'host_result' && e.host === host && e.task === 'Sleeps past its limit');
      strictEqual(failed?.status, 'FAILED');
      match(failed.msg, /task-timeout\.yml:\d+.*did not finish within its timeout of 2 s/);
    }
    await new Promise((r) => setTimeout(r, 4000));
    deepStrictEqual(await Promise.all(HOSTS.map((h) => processCount(h, 'sleep 31.5'))), [0, 0, 0], 'no sleep left running on any host');
    const after = await Promise.all(HOSTS.map((h) => sshRun(lab(), h, 'test -e /tmp/after-timeout')));
    deepStrictEqual(after.map((r) => r.code), [1, 1, 1]);
  });

  it('refuses a host whose key does not match known_hosts, and changes nothing on it', async () => {
    const knownHosts = readFileSync(lab().knownHostsFile, 'utf8').split('\n');
    const keyOf = (host: string) => knownHosts.find((l) => l.startsWith(`${host},`))!.split(' ').slice(1).join(' ');
    const forged = join(scratch, 'known_hosts_forged');
    writeFileSync(forged, knownHosts.map((l) => (l.startsWith('n1,') ? `${l.split(' ')[0]} ${keyOf('n2')}` : l)).join('\n'));
    const inventory = inventoryWith((inv) => {
      inv.all.vars.ansible_ssh_common_args = `-o UserKnownHostsFile=${forged} -o StrictHostKeyChecking=yes`;
    });
    await sshRun(lab(), 'n1', 'rm -f /tmp/serial-mark');
    const result = await etcdops(['play', fixture('serial-fail.yml'), '-i', inventory, '--limit', 'n1', '--output', 'json']);
    strictEqual(result.code, 4);
    const unreachable = jsonEvents(result.stdout).find((e) => e.event === 'host_result' && e.host === 'n1');
    match(unreachable!.msg, /host key .* does not match/);
    strictEqual((await sshRun(lab(), 'n1', 'test -e /tmp/serial-mark')).code, 1);
  });

  it('reaches hosts through a jump host (ProxyJump), keeping host-key checking on for both', async () => {
    const jump = lab().hosts[0]!.address;
    // n2 and n3 by their lab names, which only the lab's hosts resolve: no direct way there.
    const inventory = inventoryWith((inv) => {
      inv.all.vars.ansible_ssh_common_args += ` -o ProxyJump=root@${jump}`;
      for (const host of ['n2', 'n3']) inv.all.children.etcd.hosts[host].ansible_host = host;
    });
    const result = await etcdops(['play', fixture('whoami.yml'), '-i', inventory, '--limit', 'n2:n3', '--output', 'json']);
    strictEqual(result.code, 0, result.stdout + result.stderr);
    const last = jsonEvents(result.stdout).at(-1)!;
    for (const host of ['n2', 'n3']) strictEqual(last.hosts[host].ok, 2);
  });

  it('authenticates through ssh-agent when the inventory names no key file', async () => {
    const agent = await runCommand('ssh-agent', ['-s'], {});
    const socket = /SSH_AUTH_SOCK=([^;]+);/.exec(agent.stdout)![1]!;
    const pid = /SSH_AGENT_PID=(\d+);/.exec(agent.stdout)![1]!;
    try {
      await runCommand('ssh-add', [lab().keyFile], { env: { ...process.env, SSH_AUTH_SOCK: socket } });
      const inventory = inventoryWith((inv) => delete inv.all.vars.ansible_ssh_private_key_file);
      const without = await etcdops(['play', fixture('whoami.yml'), '-i', inventory, '--limit', 'n1', '--output', 'json'], { env: { SSH_AUTH_SOCK: '' } });
      strictEqual(without.code, 4, 'no key and no agent: unreachable');
      const result = await etcdops(['play', fixture('whoami.yml'), '-i', inventory, '--limit', 'n1', '--output', 'json'], { env: { SSH_AUTH_SOCK: socket } });
      strictEqual(result.code, 0, result.stdout + result.stderr);
    } finally {
      process.kill(Number(pid));
    }
  });

  it('--host-key-checking accept-new pins an unknown host, then holds it to that key', async () => {
    const pinned = join(scratch, 'known_hosts_new');
    writeFileSync(pinned, '');
    const inventory = inventoryWith((inv) => {
      inv.all.vars.ansible_ssh_common_args = `-o UserKnownHostsFile=${pinned}`;
    });
    const strict = await etcdops(['play', fixture('whoami.yml'), '-i', inventory, '--limit', 'n1', '--output', 'json']);
    strictEqual(strict.code, 4, 'strict by default: an unknown host is refused');
    const accepted = await etcdops(['play', fixture('whoami.yml'), '-i', inventory, '--limit', 'n1', '--host-key-checking', 'accept-new', '--output', 'json']);
    strictEqual(accepted.code, 0, accepted.stdout + accepted.stderr);
    const line = readFileSync(pinned, 'utf8').trim();
    const labKey = readFileSync(lab().knownHostsFile, 'utf8').split('\n').find((l) => l.startsWith('n1,'))!.split(' ').slice(1).join(' ');
    strictEqual(line, `${lab().hosts[0]!.address} ${labKey}`);
    const again = await etcdops(['play', fixture('whoami.yml'), '-i', inventory, '--limit', 'n1', '--output', 'json']);
    strictEqual(again.code, 0, 'the pinned key now passes strict checking');
  });

  it('Ctrl-C lets running tasks finish, starts nothing new, and exits 99', async () => {
    await Promise.all(HOSTS.map((h) => sshRun(lab(), h, 'rm -f /tmp/after-interrupt')));
    const run = etcdopsProcess(['play', fixture('slow.yml'), '-i', lab().inventory, '--output', 'json']);
    // Signalled once the slow task runs: a fixed delay can land before the CLI has started on a busy machine.
    await outputSeen(run.child, /"event":"task_start"[^\n]*"Takes a while"/);
    await new Promise((r) => setTimeout(r, 300));
    run.child.kill('SIGINT');
    const result = await run.done;
    strictEqual(result.code, 99, result.stdout + result.stderr);
    const slow = jsonEvents(result.stdout).filter((e) => e.event === 'host_result' && e.task === 'Takes a while');
    strictEqual(slow.length, 3, 'the running task finished on every host');
    const after = await Promise.all(HOSTS.map((h) => sshRun(lab(), h, 'test -e /tmp/after-interrupt')));
    deepStrictEqual(after.map((r) => r.code), [1, 1, 1]);
  });

  it('Ctrl-C typed at a terminal in the default view also lets running tasks finish, prints the recap, and exits 99', async () => {
    await Promise.all(HOSTS.map((h) => sshRun(lab(), h, 'rm -f /tmp/after-interrupt /tmp/slow-done')));
    const run = etcdopsInTerminal(['play', fixture('slow.yml'), '-i', lab().inventory]);
    await outputSeen(run.child, /Takes a while/);
    await new Promise((r) => setTimeout(r, 300));
    run.child.stdin!.write('\x03');
    const result = await run.done;
    const screen = result.stdout.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    strictEqual(result.code, 99, screen.slice(-3000) + result.stderr);
    match(screen, /Interrupted: finishing running tasks/);
    match(screen, /PLAY RECAP/);
    for (const host of HOSTS) match(screen, new RegExp(`${host} +: ok=1 `), `${host} finished the running task only`);
    const after = await Promise.all(HOSTS.map((h) => sshRun(lab(), h, 'test -e /tmp/after-interrupt')));
    deepStrictEqual(after.map((r) => r.code), [1, 1, 1]);
  });

  it('becomes root through sudo when connecting as an unprivileged user, and sudo logs it', async () => {
    const since = (await sshRun(lab(), 'n1', 'date +%s')).stdout.trim();
    const inventory = inventoryWith((inv) => (inv.all.vars.ansible_user = 'ops'));
    const result = await etcdops(['play', fixture('become-proof.yml'), '-i', inventory, '--output', 'json']);
    strictEqual(result.code, 0, result.stdout);
    const outputOf = (host: string, task: string) =>
      jsonEvents(result.stdout).find((e) => e.event === 'host_result' && e.host === host && e.task === task)?.result?.stdout?.trim();
    for (const host of HOSTS) {
      strictEqual(outputOf(host, 'Login user'), 'ops', `${host}: logged in as ops, not root`);
      strictEqual(outputOf(host, 'Become user'), '0', `${host}: root after become`);
      // A login as root would give the same id -u; only sudo leaves this line.
      const log = await sshRun(lab(), host, `journalctl --no-pager -q _COMM=sudo --since=@${since}`);
      match(log.stdout, /ops : .*USER=root ; COMMAND=\S*sh -c 'etcdops_script=/, `${host}: sudo's own log of the become:\n${log.stdout}${log.stderr}`);
      // The script comes on stdin: sudo's log (and the process list) shows only the loader, never a secret in it.
      strictEqual(log.stdout.includes('id -u'), false, `${host}: sudo logged the script:\n${log.stdout}`);
    }
  });
  it('remote_user logs in as that user where the inventory names none; ansible_user wins where it does', async () => {
    const inventory = inventoryWith((inv) => {
      delete inv.all.vars.ansible_user;
      inv.all.children.etcd.hosts.n3.ansible_user = 'root';
    });
    const result = await etcdops(['play', fixture('remote-user.yml'), '-i', inventory, '--output', 'json']);
    strictEqual(result.code, 0, result.stdout + result.stderr);
    const userOf = (host: string, task: string) =>
      jsonEvents(result.stdout).find((e) => e.event === 'host_result' && e.host === host && e.task === task)?.result?.stdout?.trim();
    deepStrictEqual(HOSTS.map((h) => userOf(h, 'Play user')), ['ops', 'ops', 'root']);
    deepStrictEqual(HOSTS.map((h) => userOf(h, 'Task user')), ['root', 'root', 'root']);
  });

  it('gather_facts reads each host in one command, in check mode, with the values the host itself reports', async () => {
    const result = await etcdops(['play', fixture('facts.yml'), '-i', lab().inventory, '--check', '--diff', '--output', 'json']);
    strictEqual(result.code, 0, result.stdout + result.stderr);
    const events = jsonEvents(result.stdout);
    const facts = Object.fromEntries(events.filter((e) => e.event === 'host_result' && e.task === 'debug facts').map((e) => [e.host, e.result.ansible_facts]));
    for (const host of HOSTS) {
      const own = await sshRun(lab(), host, [
        'uname -n', 'uname -r', 'uname -m', 'cat /etc/debian_version', 'nproc', "awk '/^MemTotal:/ {print int($2 / 1024)}' /proc/meminfo",
        'cat /proc/1/comm', "ip -o -4 addr show scope global | awk '{print $4}' | cut -d/ -f1 | paste -sd ' '",
        'ls /sys/class/net | paste -sd " "', 'command -v python3 || echo none',
      ].join('; '));
      const [node, kernel, machine, debianVersion, nproc, memtotal, pid1, addresses, links, python] = own.stdout.trim().split('\n');
      const f = facts[host];
      deepStrictEqual(
        [f.hostname, f.nodename, f.kernel, f.architecture, f.distribution, f.distribution_version, f.distribution_major_version, f.os_family],
        [node, node, kernel, machine, 'Debian', debianVersion, debianVersion!.split('.')[0], 'Debian'],
      );
      deepStrictEqual([f.processor_nproc, f.memtotal_mb, f.service_mgr], [Number(nproc), Number(memtotal), pid1]);
      deepStrictEqual([f.all_ipv4_addresses, [...f.interfaces].sort()], [addresses!.split(' '), links!.split(' ').sort()]);
      deepStrictEqual([f.default_ipv4, f.default_ipv6], [{}, {}], 'lab hosts have no default route: empty, as Ansible reports it');
      strictEqual('python' in f, python !== 'none', 'python reported only where it is');
      match(result.stdout, new RegExp(`Debian ${debianVersion!.split('.')[0]} on ${node}`));
    }
    const gathering = events.filter((e) => e.event === 'host_result' && e.task === 'Gathering Facts').map((e) => e.durationMs);
    process.stderr.write(`      gathering facts: ${gathering.join(', ')} ms per host\n`);
    const recap = events.at(-1)!;
    for (const host of HOSTS) strictEqual(recap.connections[host].commands, 2, `${host}: one command to gather, one to read the probe file`);
    for (const host of HOSTS) strictEqual((await sshRun(lab(), host, 'test -e /tmp/etcdops-facts-probe || echo absent')).stdout, 'absent\n');
  });
});
