// apt and package against the lab's own apt repository, with real ansible-playbook as the oracle: the same
// playbook runs through etcdops on n1 and through Ansible on n2, step by step (install and pin, re-run,
// upgrade to the newest, remove, re-run), and every task must report what Ansible's reports.
import { deepStrictEqual, match, strictEqual } from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../../src/lab/run-command.js';
import { etcdops } from './etcdops-cli.js';
import { sshRun, useLab } from './lab-fixture.js';

const PLAY = fileURLToPath(new URL('fixtures/packages.yml', import.meta.url));
const DNF_ON_DEBIAN = fileURLToPath(new URL('fixtures/dnf-on-debian.yml', import.meta.url));
const ANSIBLE_ENV = { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_HOST_KEY_CHECKING: 'false' };
const INSTALLED = "dpkg-query -W -f='${db:Status-Status} ${Package} ${Version}\\n' hello sl etcdops-lab-probe 2>/dev/null | sort";

/** `task: status` for each task of one host, from the plain output both tools print. */
function taskStatuses(stdout: string, host: string): string[] {
  const out: string[] = [];
  let task = '';
  for (const line of stdout.split('\n')) {
    const heading = /^TASK \[(.*)\] \**$/.exec(line);
    if (heading) task = heading[1]!;
    const status = new RegExp(`^(ok|changed|skipping|fatal): \\[${host}\\]`).exec(line);
    if (status && task) out.push(`${task}: ${status[1]}`);
  }
  return out;
}

describe('packages from the lab repository, as Ansible installs them', function () {
  this.timeout(240_000);
  const lab = useLab('packages', 2);

  async function bothRun(extraVars: readonly string[]): Promise<string[]> {
    const extra = extraVars.flatMap((v) => ['-e', v]);
    // Each tool has its own host, so both run at once.
    const [ours, theirs] = await Promise.all([
      etcdops(['play', PLAY, '-i', lab().inventory, '--limit', 'n1', '--output', 'plain', ...extra]),
      runCommand('ansible-playbook', ['-i', lab().inventory, '--limit', 'n2', PLAY, ...extra], { allowFailure: true, env: ANSIBLE_ENV }),
    ]);
    strictEqual(ours.code, 0, ours.stdout + ours.stderr);
    strictEqual(theirs.code, 0, theirs.stdout + theirs.stderr);
    const statuses = taskStatuses(ours.stdout, 'n1');
    deepStrictEqual(statuses, taskStatuses(theirs.stdout, 'n2'), `etcdops:\n${ours.stdout}\nansible:\n${theirs.stdout}`);
    deepStrictEqual((await sshRun(lab(), 'n1', INSTALLED)).stdout, (await sshRun(lab(), 'n2', INSTALLED)).stdout);
    return statuses;
  }

  it('installs, pins, upgrades and removes as ansible-playbook does, and re-runs change nothing', async () => {
    // Ansible's apt installs python3-apt first, refreshing the lists on its way: give both hosts python3-apt,
    // then the same lists, two hours old, so the first refresh is a real one on both.
    for (const host of ['n1', 'n2']) {
      const ready = await sshRun(lab(), host, 'apt-get -qq update && DEBIAN_FRONTEND=noninteractive apt-get -qq install -y python3-apt >/dev/null && rm -f /var/lib/apt/lists/*Packages && touch -d "2 hours ago" /var/lib/apt/lists');
      strictEqual(ready.code, 0, ready.stderr);
    }
    deepStrictEqual(await bothRun([]), ['Package lists are fresh: changed', 'Small tools: changed', 'The probe: changed']);
    const fresh = 'Package lists are fresh: ok';
    strictEqual(
      (await sshRun(lab(), 'n1', INSTALLED)).stdout,
      'installed etcdops-lab-probe 1.0\ninstalled hello 2.10-3\ninstalled sl 5.02-1+b1\n',
    );
    deepStrictEqual(await bothRun([]), [fresh, 'Small tools: ok', 'The probe: ok']);
    deepStrictEqual(await bothRun(['probe_state=latest']), [fresh, 'Small tools: ok', 'The probe: changed']);
    strictEqual((await sshRun(lab(), 'n1', 'dpkg-query -W -f=\'${Version}\' etcdops-lab-probe')).stdout, '1.1');
    deepStrictEqual(await bothRun(['probe_state=latest']), [fresh, 'Small tools: ok', 'The probe: ok']);
    deepStrictEqual(await bothRun(['pkg_state=absent', 'probe_state=absent']), [fresh, 'Small tools: changed', 'The probe: changed']);
    strictEqual((await sshRun(lab(), 'n1', INSTALLED)).stdout, '');
    deepStrictEqual(await bothRun(['pkg_state=absent', 'probe_state=absent']), [fresh, 'Small tools: ok', 'The probe: ok']);
  });

  it('dnf on a Debian host fails before changing anything, naming what the host has', async () => {
    const result = await etcdops(['play', DNF_ON_DEBIAN, '-i', lab().inventory, '--limit', 'n1', '--output', 'plain']);
    strictEqual(result.code, 2, result.stdout + result.stderr);
    match(result.stdout, /fatal: \[n1\]: FAILED! => dnf is not available on n1; it has apt: use that module, or 'package' to pick the host's manager/);
  });
});
