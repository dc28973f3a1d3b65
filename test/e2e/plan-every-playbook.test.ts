// `--check` and `plan --detailed-exitcode` of every shipped playbook that runs without a mandatory -e (and
// of scale-out, replace-member, remove-member, promote-standby and upgrade with the -e their headers ask
// for), on one lab: 3 members converged by site.yml on etcd 3.4.23 and a spare host. Each succeeds,
// shows what depends on an earlier change of the same run as deferred with its reason, and changes
// nothing on any host.
import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { moveLeader } from '../../src/etcd/membership.js';
import type { LabInfo } from '../../src/lab/lab.js';
import { adminAccess, health } from './etcd-helpers.js';
import { etcdops } from './etcdops-cli.js';
import { hostFingerprint } from './host-fingerprint.js';
import { useLab } from './lab-fixture.js';

const playbook = (name: string) => fileURLToPath(new URL(`../../playbooks/${name}`, import.meta.url));
const HOSTS = ['n1', 'n2', 'n3', 'n4'];
/** Written by the running members themselves, not by a run. */
const LIVE_DATA = ['/var/lib/etcd'];

interface Case {
  readonly playbook: string;
  readonly inventory: 'three' | 'spare' | 'standby';
  readonly args?: readonly string[];
  /** Deferred tasks `--check` and `plan` must show, each as `[host, task, reason pattern]`. */
  readonly deferred: readonly (readonly [string, string, RegExp])[];
  /** More tasks are deferred than those listed (a rolling upgrade defers the gates of every member). */
  readonly more?: boolean;
}

const JUDGED_AFTER = /judged after \d+ earlier changes? of this run not applied yet/;

const CASES: readonly Case[] = [
  { playbook: 'site.yml', inventory: 'three', deferred: [] },
  { playbook: 'backup.yml', inventory: 'three', deferred: [] },
  { playbook: 'backup-now.yml', inventory: 'three', deferred: [['n1', 'etcd backup succeeded', /depends on "etcd_backup_now"/]] },
  { playbook: 'monitoring.yml', inventory: 'three', deferred: [] },
  {
    playbook: 'scale-out.yml',
    inventory: 'spare',
    deferred: [
      ['n4', 'etcd cluster with the learner', /the members change before this: member n4 \(etcd member added as a learner\)/],
      ['n4', 'etcd member configuration (joining)', /depends on "etcd_members"/],
      ['n4', 'etcd learner promoted once caught up', /member n4 is changed by an earlier task of this run \("etcd member added as a learner"\), not applied yet/],
      ['n4', 'etcd health gate after the join', JUDGED_AFTER],
    ],
  },
  {
    playbook: 'replace-member.yml',
    inventory: 'three',
    args: ['-e', 'member=n3'],
    deferred: [
      ['n3', 'etcd cluster before the join', /the members change before this: member n3 \(etcd old member removed by its ID\)/],
      ['n3', 'etcd member added as a learner', /member n3 is changed by an earlier task of this run \("etcd old member removed by its ID"\)/],
      ['n3', 'etcd cluster with the learner', /the members change before this: member n3/],
      ['n3', 'etcd member configuration (joining)', /depends on "etcd_members"/],
      ['n3', 'etcd learner promoted once caught up', /member n3 is changed by an earlier task/],
      ['n3', 'etcd health gate after the join', JUDGED_AFTER],
    ],
  },
  { playbook: 'remove-member.yml', inventory: 'three', args: ['-e', 'member=n3'], deferred: [['n1', 'etcd health gate without the member', /judged after 1 earlier change of this run not applied yet \(n1: member n3\)/]] },
  {
    playbook: 'upgrade.yml',
    inventory: 'three',
    args: ['-e', 'etcd_version=3.5.16'],
    more: true,
    deferred: [
      ['n1', 'etcd leadership handed to an upgraded member', /leadership moves from n1 to a member running 3\.5\.16, once the members before it are upgraded, judged after/],
      ['n1', 'etcd member healthy, caught up and on the new version', /waits until n1 is healthy, caught up and on 3\.5\.16, judged after .* \(now: n1 reports version 3\.4\.23, not 3\.5\.16\)/],
      ['n1', 'etcd members and cluster version on the target', /waits until every member runs 3\.5\.16 and the cluster version has followed, judged after/],
    ],
  },
];

describe('--check and plan of every shipped playbook on a converged lab', function () {
  this.timeout(600_000);
  const fixture = useLab('plan-every', 4);
  let lab: LabInfo;
  const inventories: Record<Case['inventory'], string> = { three: '', spare: '', standby: '' };

  before(() => {
    lab = fixture();
    // Beside the lab's inventory, so every variant shares the control node's PKI (.etcdops/pki).
    const base = parse(readFileSync(lab.inventory, 'utf8'));
    const variant = (name: Case['inventory'], edit: (inventory: any) => void) => {
      const inventory = structuredClone(base);
      inventory.all.vars.etcd_version = '3.4.23';
      edit(inventory);
      inventories[name] = join(dirname(lab.inventory), `inventory-${name}.yml`);
      writeFileSync(inventories[name], stringify(inventory));
    };
    const n4 = base.all.children.etcd.hosts.n4;
    variant('three', (inv) => {
      delete inv.all.children.etcd.hosts.n4;
      inv.all.children.spare = { hosts: { n4 } };
    });
    variant('spare', () => undefined);
    variant('standby', (inv) => (inv.all.children.etcd.hosts.n4 = { ...n4, etcd_learner: true }));
  });

  const fingerprints = () => Promise.all(HOSTS.map((host) => hostFingerprint(lab, host, LIVE_DATA)));

  /** Runs `--check` and `plan --detailed-exitcode` of one case; asserts exit codes and the deferred tasks. */
  async function planBoth(c: Case): Promise<void> {
    const label = `${c.playbook} ${(c.args ?? []).join(' ')}`;
    const common = [playbook(c.playbook), '-i', inventories[c.inventory], ...(c.args ?? [])];
    const check = await etcdops(['play', ...common, '--check', '--output', 'plain']);
    strictEqual(check.code, 0, `${label} --check: ${check.stdout}${check.stderr}`);
    const plan = await etcdops(['plan', ...common, '--detailed-exitcode', '--no-diff']);
    const summary = /\nPlan: \d+ hosts, (\d+) to change, \d+ unchanged(?:, (\d+) deferred)?/.exec(plan.stdout);
    ok(summary, `${label}: no plan summary in ${plan.stdout}${plan.stderr}`);
    strictEqual(plan.code, Number(summary[1]) > 0 ? 2 : 0, `${label} plan: ${plan.stdout}${plan.stderr}`);
    const deferred = Number(summary[2] ?? 0);
    ok(c.more ? deferred > c.deferred.length : deferred === c.deferred.length, `${label}: ${deferred} deferred tasks in ${plan.stdout}`);
    for (const [host, task, reason] of c.deferred) {
      const inCheck = check.stdout.split(`TASK [${task}]`).slice(1).some((after) => {
        const line = after.split('\n').find((l) => l.startsWith(`deferred: [${host}] => `));
        return line !== undefined && reason.test(line);
      });
      ok(inCheck, `${label} --check: ${host} "${task}" deferred with ${reason}:\n${check.stdout}`);
      const planLine = plan.stdout.split('\n').find((l) => l.startsWith(`  ? ${task}: deferred: `));
      ok(planLine !== undefined && reason.test(planLine), `${label} plan: "${task}" deferred with ${reason}:\n${plan.stdout}`);
    }
  }

  it('converges 3 members with site.yml (etcd 3.4.23), the 4th host spare', async () => {
    const result = await etcdops(['play', playbook('site.yml'), '-i', inventories.three, '--output', 'plain']);
    strictEqual(result.code, 0, result.stdout + result.stderr);
  });

  it('plans every playbook without failing, shows what is deferred and why, and changes nothing', async () => {
    // The upgrade case expects n1 to lead (its hand-over is what waits for the upgraded members).
    const access = await adminAccess(inventories.three, lab.hosts.filter((h) => h.name !== 'n4').map((h) => h.address));
    await moveLeader(access, (await health(lab, inventories.three)).members.find((m) => m.name === 'n1')!.id);
    const before = await fingerprints();
    for (const c of CASES) await planBoth(c);
    deepStrictEqual(await fingerprints(), before);
  });

  it('plans promote-standby of a standby learner, its post-check deferred, and changes nothing', async () => {
    const joined = await etcdops(['play', playbook('scale-out.yml'), '-i', inventories.standby, '--output', 'plain']);
    strictEqual(joined.code, 0, joined.stdout + joined.stderr);
    const before = await fingerprints();
    await planBoth({
      playbook: 'promote-standby.yml',
      inventory: 'standby',
      args: ['-e', 'member=n4'],
      deferred: [
        ['n1', 'etcd health gate after the promotion', /judged after 1 earlier change of this run not applied yet \(n1: member n4\)/],
        ['n1', 'etcd cluster after the promotion', /the members change before this: member n4 \(etcd standby promoted to a voting member\)/],
        ['n1', 'etcd promoted member votes', /depends on "etcd_voting_members"/],
      ],
    });
    deepStrictEqual(await fingerprints(), before);
  });
});
