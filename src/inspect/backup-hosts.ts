// Where backup.yml keeps a cluster's snapshots, as the inventory says: the backup hosts (etcd_backup_hosts,
// else the first member), their snapshot and metrics folders, and the off-site folder with the rclone
// configuration that reaches it. Values still holding a template fall back to the role's defaults.
import type { Inventory } from '../inventory/inventory.js';
import { DEFAULT_BACKUP_CONF_DIR, DEFAULT_BACKUP_DIR, DEFAULT_BACKUP_METRICS_DIR, type BackupHost } from './backup-age.js';

/** A variable's value when the inventory gives it plainly (not a template), as text. */
export const plainValue = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' && !value.includes('{{') ? value : typeof value === 'number' ? String(value) : undefined;

/** backup.yml's backup hosts (etcd_backup_hosts, else the first member) with their folders, as the inventory sets them. */
export function backupHosts(inventory: Inventory, members: readonly string[]): BackupHost[] {
  const vars = (name: string) => inventory.hosts.get(name)?.vars ?? {};
  const listed = vars(members[0]!).etcd_backup_hosts;
  const names = Array.isArray(listed) && listed.length > 0 ? listed.filter((n): n is string => typeof n === 'string' && inventory.hosts.has(n)) : members.slice(0, 1);
  return names.map((name) => {
    const v = vars(name);
    // backup.yml copies to etcd_backup_remote/<cluster name>, the cluster name defaulting to the group's.
    const remote = plainValue(v.etcd_backup_remote);
    const cluster = plainValue(v.etcd_backup_cluster_name) ?? plainValue(v.etcd_group) ?? 'etcd';
    return {
      name,
      backupDir: plainValue(v.etcd_backup_dir) ?? DEFAULT_BACKUP_DIR,
      metricsDir: plainValue(v.etcd_backup_metrics_dir) ?? DEFAULT_BACKUP_METRICS_DIR,
      offsite: remote === undefined ? null : { dir: `${remote}/${cluster}`, rcloneConfig: `${plainValue(v.etcd_backup_conf_dir) ?? DEFAULT_BACKUP_CONF_DIR}/rclone.conf` },
    };
  });
}
