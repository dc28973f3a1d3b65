// What the etcd e2e suites check on a lab cluster as a user would: the cluster's health through the
// admin certificate etcdops keeps beside the inventory, etcd's PID and files on each member.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { checkClusterHealth, type ClusterHealth } from '../../src/etcd/cluster-health.js';
import type { ClusterAccess } from '../../src/etcd/cluster-access.js';
import type { LabInfo } from '../../src/lab/lab.js';
import { sshRun } from './lab-fixture.js';

/** The admin's access to the cluster of `inventory` (its PKI folder is `.etcdops/pki` beside it). */
export async function adminAccess(inventory: string, addresses: readonly string[]): Promise<ClusterAccess> {
  const dir = join(dirname(inventory), '.etcdops', 'pki');
  const [ca, cert, key] = await Promise.all(['ca.crt', 'admin.crt', 'admin.key'].map((f) => readFile(join(dir, f), 'utf8')));
  return { endpoints: addresses.map((a) => `https://${a}:2379`), ca: ca!, cert: cert!, key: key!, timeoutMs: 3000 };
}

export async function health(lab: LabInfo, inventory = lab.inventory): Promise<ClusterHealth> {
  return checkClusterHealth(await adminAccess(inventory, lab.hosts.filter((h) => h.state === 'running').map((h) => h.address)));
}

/** The etcd main PID on a member (0 when not running). */
export async function etcdPid(lab: LabInfo, host: string): Promise<number> {
  const out = await sshRun(lab, host, 'systemctl show -p MainPID --value etcd');
  return Number(out.stdout.trim());
}

/** sha256 of each TLS file on a member, by file name. */
export async function pkiDigests(lab: LabInfo, host: string): Promise<Record<string, string>> {
  const out = await sshRun(lab, host, 'cd /etc/etcd/pki && sha256sum *.crt *.key');
  return Object.fromEntries(out.stdout.trim().split('\n').map((line) => line.split(/\s+/).reverse() as [string, string]));
}

/** Every task's display name in plain output, in order, with the batch lines between them. */
export function plainSteps(stdout: string): string[] {
  return stdout.split('\n').filter((line) => /^(TASK \[|BATCH |changed: |ok: |fatal: )/.test(line));
}
