// The order of a rolling upgrade and the rollback steps printed when it stops: followers first in
// inventory order, the leader last (it hands leadership to an upgraded member before its restart).
import type Semver from 'semver';
import { onFirstUse } from '../startup/on-first-use.js';

const semver = onFirstUse<typeof Semver>('semver');

export interface UpgradeCandidate {
  /** Inventory host name (the member name). */
  readonly name: string;
  /** The version the member runs now. */
  readonly version: string;
  readonly leader: boolean;
}

export interface UpgradeOrder {
  /** Members to upgrade, in order. */
  readonly order: readonly string[];
  /** The leader, when it has to be upgraded: always the last of `order`. */
  readonly last: string | null;
  /** Members already on the target version. */
  readonly done: readonly string[];
}

/** `members` in inventory order. */
export function upgradeOrder(members: readonly UpgradeCandidate[], target: string): UpgradeOrder {
  const pending = members.filter((m) => !semver().eq(m.version, target));
  const leader = pending.find((m) => m.leader);
  const followers = pending.filter((m) => !m.leader).map((m) => m.name);
  return {
    order: leader ? [...followers, leader.name] : followers,
    last: leader?.name ?? null,
    done: members.filter((m) => semver().eq(m.version, target)).map((m) => m.name),
  };
}

export interface RollbackInput {
  /** The member whose upgrade stopped. */
  readonly host: string;
  /** Its version before the upgrade. */
  readonly from: string;
  readonly to: string;
  /** Where versioned installs live (`etcd_install_dir`). */
  readonly installDir: string;
  /** Members after it in the order: not touched. */
  readonly untouched: readonly UpgradeCandidate[];
  /** Members before it in the order: already upgraded. */
  readonly upgraded: readonly string[];
  /** The cluster version before the upgrade, e.g. `3.4.0`. */
  readonly clusterVersion: string;
}

/** Commands that point /usr/local/bin back at the release `version` kept in `installDir`. */
export function linkCommands(installDir: string, version: string): string[] {
  const dir = `${installDir.replace(/\/+$/, '')}/etcd-v${version}-linux-amd64`;
  // etcdutl ships from 3.5 on: going back before it, its link would point at a newer release.
  const tools = semver().gte(version, '3.5.0') ? ['etcd', 'etcdctl', 'etcdutl'] : ['etcd', 'etcdctl'];
  const links = tools.map((tool) => `ln -sfn ${dir}/${tool} /usr/local/bin/${tool}`);
  return semver().gte(version, '3.5.0') ? links : [...links, 'rm -f /usr/local/bin/etcdutl'];
}

export function rollbackSteps(input: RollbackInput): string {
  const untouched = input.untouched.length === 0 ? 'no other member was waiting' : `not touched: ${input.untouched.map((m) => `${m.name} (${m.version})`).join(', ')}`;
  const lines = [
    `The upgrade to ${input.to} stopped at ${input.host}; ${untouched}.`,
    `The previous binary of ${input.host} is kept in ${input.installDir.replace(/\/+$/, '')}/etcd-v${input.from}-linux-amd64. To roll ${input.host} back to ${input.from}:`,
    `  1. on ${input.host}, find and fix the cause: journalctl -u etcd -n 50 --no-pager`,
    `  2. on ${input.host}, flip the links back: ${linkCommands(input.installDir, input.from).join(' && ')}`,
    `  3. on ${input.host}: systemctl restart etcd, then wait for a healthy cluster: etcdops etcdctl -i INVENTORY -- endpoint health --cluster`,
  ];
  if (input.upgraded.length > 0) {
    lines.push(
      `Already on ${input.to}: ${input.upgraded.join(', ')}. They may stay (a mixed cluster runs at cluster version ${input.clusterVersion}), or go back the same way one at a time while the cluster version is still ${input.clusterVersion}.`,
    );
  }
  lines.push(`Or, once the cause is fixed, run the upgrade again: it upgrades only the members not on ${input.to} yet.`);
  return lines.join('\n');
}
