// The lab on real things: systemd hosts over strict SSH, the artifact mirror, isolation, clean
// teardown, and the prerequisite checks a new user meets first.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { REQUIRED_TOOLS } from '../../src/lab/lab-doctor.js';
import { readLabState } from '../../src/lab/lab-state.js';
import { runCommand } from '../../src/lab/run-command.js';
import { labHostPowerOff, labHostStart } from '../../src/lab/lab.js';
import { labName, sshRun, useLab, type SshResult } from './lab-fixture.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const LAB = labName('labtest');
/** The etcd releases the lab's mirror serves. */
const RELEASES = ['3.4.23', '3.5.16', '3.5.30'];

interface CliOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Run the CLI through this wrapper (e.g. setpriv) first. */
  readonly wrapper?: readonly string[];
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<SshResult> {
  return runCommand(command, args, { cwd: REPO, env, allowFailure: true });
}

function cli(args: readonly string[], options: CliOptions = {}): Promise<SshResult> {
  const node = [process.execPath, '--import', 'tsx', join(REPO, 'src/cli/main.ts'), ...args];
  const [command, ...rest] = [...(options.wrapper ?? []), ...node];
  return run(command as string, rest, options.env);
}

describe('lab (e2e)', function () {
  this.timeout(120_000);

  describe('a running lab of 3 hosts', () => {
    // useLab adds the prefix itself: LAB is the name it gives the lab.
    const lab = useLab('labtest', 3);

    it('lab status --output json names the lab, its inventory and every running host', async () => {
      const result = await cli(['lab', 'status', '--name', LAB, '--output', 'json']);
      assert.equal(result.code, 0, result.stderr);
      const status = JSON.parse(result.stdout);
      const third = lab().subnet.split('.')[2];
      assert.deepEqual(status, {
        name: LAB,
        inventory: lab().inventory,
        hosts: ['n1', 'n2', 'n3'].map((name, i) => ({ name, address: `10.213.${third}.${11 + i}`, state: 'running' })),
      });
      const inventory = parse(readFileSync(status.inventory, 'utf8'));
      assert.equal(inventory.all.vars.ansible_ssh_private_key_file, lab().keyFile);
      assert.match(inventory.all.vars.ansible_ssh_common_args, /StrictHostKeyChecking=yes/);
      assert.deepEqual(
        Object.entries(inventory.all.children.etcd.hosts).map(([name, vars]) => [name, (vars as { ansible_host: string }).ansible_host]),
        status.hosts.map((host: { name: string; address: string }) => [host.name, host.address]),
      );
    });

    it('every host runs systemd to `running`, reached by ssh with the inventory key and pinned host keys', async () => {
      for (const host of lab().hosts) {
        const result = await sshRun(lab(), host.name, 'systemctl is-system-running; hostname');
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(result.stdout.trim().split('\n'), ['running', host.name]);
      }
    });

    it('refuses a host whose key is not pinned (strict checking is on)', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'labtest-kh-'));
      try {
        await writeFile(join(dir, 'known_hosts'), '');
        const result = await sshRun({ ...lab(), knownHostsFile: join(dir, 'known_hosts') }, 'n1', 'true');
        assert.equal(result.code, 255);
        assert.match(result.stderr, /Host key verification failed/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('the ops user logs in with the lab key and becomes root through sudo without a password', async () => {
      const result = await sshRun(lab(), 'n2', 'id -un; sudo -n id -u', { user: 'ops' });
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(result.stdout.trim().split('\n'), ['ops', '0']);
    });

    it('each host downloads every etcd tarball and SHA256SUMS from the mirror, the checksums match, and each release runs there', async () => {
      const base = lab().mirrorUrl;
      const script = [
        'set -e', 'd=$(mktemp -d)', 'cd "$d"',
        `curl -fsS -O ${base}/SHA256SUMS ${RELEASES.map((v) => `-O ${base}/v${v}/etcd-v${v}-linux-amd64.tar.gz`).join(' ')}`,
        // SHA256SUMS lists the monitoring tarballs too; the etcd ones are those fetched here.
        'sha256sum -c --ignore-missing SHA256SUMS',
        'tar tzf etcd-v3.5.30-linux-amd64.tar.gz | sort | tr "\\n" " "',
        'echo',
        ...RELEASES.map((v) => `tar xzf etcd-v${v}-linux-amd64.tar.gz && ./etcd-v${v}-linux-amd64/etcd --version | head -1`),
        'cd / && rm -rf "$d"',
      ].join('\n');
      const results = await Promise.all(lab().hosts.map((host) => sshRun(lab(), host.name, script)));
      for (const result of results) {
        assert.equal(result.code, 0, result.stderr);
        const lines = result.stdout.trim().split('\n');
        assert.deepEqual(lines.slice(0, RELEASES.length), RELEASES.map((v) => `etcd-v${v}-linux-amd64.tar.gz: OK`));
        assert.equal(
          lines[RELEASES.length]?.trim(),
          'etcd-v3.5.30-linux-amd64/ etcd-v3.5.30-linux-amd64/etcd etcd-v3.5.30-linux-amd64/etcdctl etcd-v3.5.30-linux-amd64/etcdutl',
        );
        assert.deepEqual(lines.slice(RELEASES.length + 1), RELEASES.map((v) => `etcd Version: ${v}`));
      }
    });

    it('the mirror serves nothing outside its folder', async () => {
      const base = lab().mirrorUrl;
      const probes = ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/v3.4.23/..%2f..%2f..%2fetc%2fpasswd', '/'];
      const script = probes.map((path) => `curl -s --path-as-is -o /dev/null -w '%{http_code}\\n' '${base}${path}'`).join('; ');
      const result = await sshRun(lab(), 'n1', script);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(result.stdout.trim().split('\n'), probes.map(() => '404'));
    });

    it('hosts have no route out of the lab subnet and resolve every lab host by name', async () => {
      const names = lab().hosts.map((host) => host.name);
      for (const host of lab().hosts) {
        const result = await sshRun(lab(), host.name, `ip route show default; echo "--"; ip route get 1.1.1.1 || echo unreachable; getent hosts ${names.join(' ')}`);
        assert.equal(result.code, 0, result.stderr);
        const [defaultRoutes, rest] = result.stdout.split('--\n');
        assert.equal(defaultRoutes?.trim(), '');
        const lines = (rest ?? '').trim().split('\n');
        assert.equal(lines[0], 'unreachable');
        assert.deepEqual(
          lines.slice(1).map((line) => line.trim().split(/\s+/)),
          lab().hosts.map((entry) => [entry.address, entry.name]),
        );
      }
    });

    it('lab up on the running lab does nothing, and refuses a different host count instead of handing it over', async () => {
      const same = await cli(['lab', 'up', '--name', LAB]);
      assert.equal(same.code, 0, same.stderr);
      assert.match(same.stderr, /already running; nothing to do/);
      const other = await cli(['lab', 'up', '--name', LAB, '--hosts', '2']);
      assert.equal(other.code, 1, other.stdout + other.stderr);
      assert.match(other.stderr, new RegExp(`lab ${LAB} already runs 3 hosts, not 2: take it down first \\(etcdops lab down --name ${LAB}\\)`));
      assert.equal(lab().hosts.length, 3);
    });

    it('lab ssh runs a command on a host as root and passes its output and exit code through', async () => {
      const result = await cli(['lab', 'ssh', '--name', LAB, 'n2', '--', 'hostname; id -u; exit 7']);
      assert.equal(result.code, 7, result.stderr);
      assert.deepEqual(result.stdout.trim().split('\n'), ['n2', '0']);
      const unknown = await cli(['lab', 'ssh', '--name', LAB, 'n9', '--', 'true']);
      assert.notEqual(unknown.code, 0);
      assert.match(unknown.stderr, /has no host n9 \(hosts: n1, n2, n3\)/);
    });

    it('a hard power-off leaves the host unreachable until it is started again', async () => {
      await labHostPowerOff(LAB, 'n3', { graceful: false });
      const off = await sshRun(lab(), 'n3', 'true', { timeoutMs: 10_000 });
      assert.equal(off.code, 255, 'ssh cannot reach a powered-off host');
      const back = await labHostStart(LAB, 'n3');
      const on = await sshRun(back, 'n3', 'systemctl is-system-running --wait');
      assert.equal(on.stdout.trim(), 'running');
    });

    it('lab down leaves no nspawn process, netns, veth, bridge or mount of the lab; twice is fine', async () => {
      const state = await readLabState(LAB);
      assert.ok(state, 'the lab has a state file while up');
      const pids = [...state.hosts.map((host) => host.pid), state.mirrorPid].filter((pid): pid is number => pid !== null);
      assert.equal(pids.length, 4);
      for (let i = 0; i < 2; i += 1) {
        const result = await cli(['lab', 'down', '--name', LAB]);
        assert.equal(result.code, 0, result.stderr);
      }
      for (const pid of pids) assert.equal(existsSync(`/proc/${pid}`), false, `process ${pid} still runs`);
      const netns = (await run('ip', ['netns', 'list'])).stdout;
      assert.doesNotMatch(netns, new RegExp(`^etcdlab${state.index}-`, 'm'));
      const links = (await run('ip', ['-o', 'link', 'show'])).stdout;
      assert.doesNotMatch(links, new RegExp(`^\\d+: (etcdlab${state.index}|etl${state.index}n\\d+)[:@]`, 'm'));
      assert.doesNotMatch(readFileSync('/proc/self/mounts', 'utf8'), new RegExp(lab().stateDir));
      for (const hierarchy of ['/sys/fs/cgroup', '/sys/fs/cgroup/unified', '/sys/fs/cgroup/systemd']) {
        for (const host of state.hosts) assert.equal(existsSync(join(hierarchy, 'etcdops-lab', host.machine)), false, `cgroup of ${host.machine} left in ${hierarchy}`);
      }
      assert.equal(existsSync(lab().stateDir), false);
      const status = await cli(['lab', 'status', '--name', LAB]);
      assert.notEqual(status.code, 0);
      assert.match(status.stderr, new RegExp(`no lab named "${LAB}"`));
    });
  });

  describe('prerequisites', () => {
    it('lab doctor without systemd-nspawn on PATH names the package to install and exits non-zero', async () => {
      const bin = await mkdtemp(join(tmpdir(), 'labtest-path-'));
      try {
        for (const tool of REQUIRED_TOOLS) {
          if (tool.command === 'systemd-nspawn') continue;
          const found = (await run('sh', ['-c', `command -v ${tool.command}`])).stdout.trim();
          assert.ok(found, `${tool.command} is on this machine's PATH`);
          await symlink(found, join(bin, tool.command));
        }
        const missing = await cli(['lab', 'doctor'], { env: { ...process.env, PATH: bin } });
        assert.equal(missing.code, 1, missing.stderr);
        assert.match(missing.stdout, /systemd-nspawn not found/);
        assert.match(missing.stdout, /^ {2}apt-get install -y systemd-container$/m);
        const complete = await cli(['lab', 'doctor']);
        assert.equal(complete.code, 0, complete.stdout);
      } finally {
        await rm(bin, { recursive: true, force: true });
      }
    });

    it('lab up as a non-root user fails with a clear message and no stack trace', async () => {
      const result = await cli(['lab', 'up', '--name', 'labtest-nonroot'], {
        wrapper: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'],
        env: { ...process.env, HOME: tmpdir() },
      });
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^ERROR: the lab must run as root/);
      assert.doesNotMatch(result.stderr, /\n\s+at /);
      assert.equal(result.stdout, '');
    });
  });

  describe('etcdops demo, the README\'s first command', () => {
    const DEMO = labName('demo');
    after(async function () {
      this.timeout(120_000);
      await cli(['lab', 'down', '--name', DEMO]);
    });

    it('brings up 3 fresh hosts, builds a TLS cluster on them and prints its health: 3 healthy members, one leader', async function () {
      this.timeout(900_000);
      await cli(['lab', 'down', '--name', DEMO]);
      const result = await cli(['demo', '--name', DEMO]);
      assert.equal(result.code, 0, result.stdout.slice(-3000) + result.stderr.slice(-3000));
      // Member IDs are printed in hex without leading zeros.
      const table = result.stdout.split('\n').filter((line) => /^n[1-3] +[0-9a-f]{1,16} /.test(line));
      assert.deepEqual(table.map((line) => line.split(/\s+/)[0]).sort(), ['n1', 'n2', 'n3'], result.stdout);
      assert.ok(table.every((line) => / healthy$/.test(line)), result.stdout);
      assert.equal(table.filter((line) => / yes /.test(line)).length, 1, `one leader:\n${result.stdout}`);
      assert.match(result.stdout, /^cluster healthy in \d+\.\d s$/m);
      // The table is etcdops's own view: etcdctl, as the printed hint runs it, must agree.
      const inventory = /^try: etcdops etcdctl -i (\S+) -- member list/m.exec(result.stdout)![1]!;
      const endpoints = await cli(['etcdctl', '-i', inventory, '--', 'endpoint', 'health', '--cluster']);
      assert.equal(endpoints.code, 0, endpoints.stdout + endpoints.stderr);
      assert.equal((endpoints.stdout + endpoints.stderr).match(/is healthy/g)?.length, 3, endpoints.stdout + endpoints.stderr);
    });
  });
});
