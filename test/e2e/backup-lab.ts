// What the backup suites share: a lab inventory whose first three hosts are the etcd members and whose
// last host is the off-site SFTP target, and an etcd client with the admin certificate to write and read
// keys the way an application would.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import type { LabInfo } from '../../src/lab/lab.js';
import { inventoryVariant } from './inventory-variant.js';

export const MEMBERS = ['n1', 'n2', 'n3'] as const;
export const SFTP_TARGET = 'n4';

/** Writes the backup inventory beside the lab's own (the PKI lands in its .etcdops folder) and returns its path. */
export function writeBackupInventory(lab: LabInfo, name: string, vars: Record<string, unknown>): string {
  return inventoryVariant(lab.inventory, name, (inventory) => {
    const hosts = inventory.all.children.etcd.hosts as Record<string, unknown>;
    const target = hosts[SFTP_TARGET];
    delete hosts[SFTP_TARGET];
    inventory.all.children.etcd_backup_sftp = { hosts: { [SFTP_TARGET]: target } };
    Object.assign(inventory.all.vars, vars);
  });
}

/** A client of the whole cluster with the admin certificate the deploy playbook left beside the inventory. */
export function clusterClient(lab: LabInfo): Etcd3 {
  const pki = join(lab.stateDir, '.etcdops', 'pki');
  return new Etcd3({
    hosts: lab.hosts.filter((h) => (MEMBERS as readonly string[]).includes(h.name)).map((h) => `https://${h.address}:2379`),
    credentials: {
      rootCertificate: readFileSync(join(pki, 'ca.crt')),
      certChain: readFileSync(join(pki, 'admin.crt')),
      privateKey: readFileSync(join(pki, 'admin.key')),
    },
  });
}

export const keyOf = (i: number): string => `app/key-${String(i).padStart(5, '0')}`;
export const valueOf = (i: number): string => `value-${i}-${'x'.repeat(i % 50)}`;

/** Puts keys 0..count-1, many at once. */
export async function writeKeys(client: Etcd3, count: number, concurrency = 200): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await client.put(keyOf(i)).value(valueOf(i));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Every key under app/ with its value. */
export async function readKeys(client: Etcd3): Promise<Record<string, string>> {
  return client.getAll().prefix('app/').strings();
}

/** Variables every backup suite sets: the off-site copy over SFTP to the last lab host, short rclone timeouts. */
export const OFFSITE_VARS = {
  etcd_backup_remote: 'offsite:snapshots',
  etcd_backup_rclone_timeout: '5s',
  etcd_backup_rclone_retries: 1,
} as const;

/** Where the snapshots of cluster `etcd` land: on the backup host, and on the SFTP target. */
export const LOCAL_DIR = '/var/lib/etcd-backups';
/** On the SFTP target: the account's chroot is /srv/etcd-backups, its sessions start in data/. */
export const REMOTE_DIR = '/srv/etcd-backups/data/snapshots/etcd';
export const METRICS_FILE = '/var/lib/prometheus/node-exporter/etcd_backup.prom';
export const SNAPSHOT_NAME = /^etcd-\d{8}T\d{6}Z-rev(\d+)\.db$/;

/** Metric name -> value, read from a Prometheus text file. */
export function parseMetrics(text: string): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^(\w+)\{[^}]*\} (\S+)$/.exec(line);
    if (match) metrics[match[1]!] = Number(match[2]);
  }
  return metrics;
}
