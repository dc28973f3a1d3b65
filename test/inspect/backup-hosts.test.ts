import { deepStrictEqual } from 'node:assert/strict';
import { backupHosts } from '../../src/inspect/backup-hosts.js';
import type { Inventory } from '../../src/inventory/inventory.js';

const inventory = (vars: Record<string, unknown>, hostVars: Record<string, Record<string, unknown>> = {}): Inventory => ({
  source: '/inv/inventory.yml',
  hosts: new Map(['n1', 'n2', 'n3'].map((name) => [name, { name, vars: { ...vars, ...hostVars[name] }, groups: ['all', 'etcd'] }])),
  groups: new Map(),
});
const MEMBERS = ['n1', 'n2', 'n3'];

describe('backupHosts', () => {
  const table: { name: string; inventory: Inventory; hosts: unknown[] }[] = [
    {
      name: "the first member, with backup.yml's folders",
      inventory: inventory({}),
      hosts: [{ name: 'n1', backupDir: '/var/lib/etcd-backups', metricsDir: '/var/lib/prometheus/node-exporter', offsite: null }],
    },
    {
      name: 'the listed hosts, their folders, the off-site folder per cluster name',
      inventory: inventory({ etcd_backup_hosts: ['n2', 'n3', 'gone'], etcd_backup_remote: 'offsite:etcd', etcd_backup_cluster_name: 'prod' }, { n3: { etcd_backup_dir: '/srv/snap', etcd_backup_conf_dir: '/etc/eb' } }),
      hosts: [
        { name: 'n2', backupDir: '/var/lib/etcd-backups', metricsDir: '/var/lib/prometheus/node-exporter', offsite: { dir: 'offsite:etcd/prod', rcloneConfig: '/etc/etcd-backup/rclone.conf' } },
        { name: 'n3', backupDir: '/srv/snap', metricsDir: '/var/lib/prometheus/node-exporter', offsite: { dir: 'offsite:etcd/prod', rcloneConfig: '/etc/eb/rclone.conf' } },
      ],
    },
    {
      name: 'a templated cluster name falls back to the group',
      inventory: inventory({ etcd_backup_remote: '/srv/offsite', etcd_backup_cluster_name: '{{ etcd_group }}', etcd_group: 'etcd-a' }),
      hosts: [{ name: 'n1', backupDir: '/var/lib/etcd-backups', metricsDir: '/var/lib/prometheus/node-exporter', offsite: { dir: '/srv/offsite/etcd-a', rcloneConfig: '/etc/etcd-backup/rclone.conf' } }],
    },
  ];
  for (const row of table) it(row.name, () => deepStrictEqual(backupHosts(row.inventory, MEMBERS), row.hosts));
});
