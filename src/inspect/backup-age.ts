// Backup age: how old the newest verified snapshot is, read on the backup hosts (backup.yml's textfile
// metrics and its snapshot folder, whose files are verified before they get their name), and whether
// the last off-site copy succeeded. No recent snapshot means a lost cluster cannot be restored.
import { sh, type ShellCode } from '../connection/shell-quote.js';
import { checkReport, type CheckReport, type Finding } from './check-report.js';
import { Severity } from './severity.js';

export const DEFAULT_BACKUP_MAX_AGE_HOURS = 25;
/** backup.yml's defaults (roles/etcd_backup/defaults/main.yml), used when the inventory does not override them. */
export const DEFAULT_BACKUP_DIR = '/var/lib/etcd-backups';
export const DEFAULT_BACKUP_METRICS_DIR = '/var/lib/prometheus/node-exporter';

export interface BackupHost {
  readonly name: string;
  readonly backupDir: string;
  readonly metricsDir: string;
}

export interface HostBackup {
  readonly host: string;
  /** Unix time of the newest verified snapshot (the later of the folder's newest file and the last success metric). */
  readonly newestAt: number | null;
  readonly newestFile: string | null;
  /** The last run's off-site copy: true, false, or null when none is configured or known. */
  readonly offsiteOk: boolean | null;
  readonly error: string | null;
}

export interface BackupsData {
  readonly maxAgeHours: number;
  /** Seconds since the newest verified snapshot on any backup host; null when none was found. */
  readonly ageSeconds: number | null;
  readonly hosts: readonly HostBackup[];
}

const MARK = '--- etcdops snapshots';

/** One command per backup host: the metrics file, then the newest snapshot's time and name. */
export function backupCommand(host: BackupHost): ShellCode {
  return sh`cat ${`${host.metricsDir}/etcd_backup.prom`} 2>/dev/null; echo ${MARK}; find ${host.backupDir} -maxdepth 1 -type f -name '*.db' -printf '%T@ %f\n' 2>/dev/null | sort -rn | head -n 1`;
}

/** Pure: what one backup host's answer to backupCommand says. */
export function parseBackupOutput(host: string, stdout: string): HostBackup {
  const [metrics = '', snapshots = ''] = stdout.split(`${MARK}\n`);
  const metric = (name: string) => {
    const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'm').exec(metrics);
    return match ? Number(match[1]) : null;
  };
  const success = metric('etcd_backup_last_success_timestamp_seconds');
  const offsite = metric('etcd_backup_last_offsite_success');
  const newest = /^(\d+(?:\.\d+)?) (.+)$/m.exec(snapshots.trim());
  const fileAt = newest ? Math.floor(Number(newest[1])) : null;
  const times = [success !== null && success > 0 ? success : null, fileAt].filter((t): t is number => t !== null);
  return { host, newestAt: times.length === 0 ? null : Math.max(...times), newestFile: newest ? newest[2]! : null, offsiteOk: offsite === null ? null : offsite === 1, error: null };
}

/** Pure: older than the limit is a warning, as is no snapshot at all, a failed off-site copy or an unreachable backup host. */
export function judgeBackups(hosts: readonly HostBackup[], maxAgeHours: number, now: number): CheckReport<BackupsData> {
  const findings: Finding[] = [];
  for (const h of hosts) {
    if (h.error !== null) findings.push({ severity: Severity.WARNING, member: h.host, message: `backup host ${h.host} could not be read: ${h.error}` });
    else if (h.offsiteOk === false) findings.push({ severity: Severity.WARNING, member: h.host, message: `the last off-site copy from ${h.host} failed: see journalctl -u etcd-backup on it` });
  }
  const newest = Math.max(...hosts.map((h) => h.newestAt ?? -Infinity));
  const ageSeconds = Number.isFinite(newest) ? Math.max(0, Math.round(now - newest)) : null;
  const data = { maxAgeHours, ageSeconds, hosts };
  const where = hosts.map((h) => h.host).join(', ');
  if (ageSeconds === null) {
    findings.push({ severity: Severity.WARNING, message: `no verified snapshot found on ${where || 'any backup host'}: install scheduled backups with backup.yml` });
    return checkReport('no verified snapshot found', findings, data);
  }
  if (ageSeconds > maxAgeHours * 3600) {
    findings.push({ severity: Severity.WARNING, message: `the newest verified snapshot is ${formatAge(ageSeconds)} old, more than ${maxAgeHours} hours: see systemctl status etcd-backup.timer on ${where}` });
  }
  return checkReport(`newest verified snapshot ${formatAge(ageSeconds)} old`, findings, data);
}

/** An age for people: seconds, minutes up to two hours, then hours with one decimal. */
export function formatAge(seconds: number): string {
  if (seconds < 120) return `${seconds} seconds`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)} minutes`;
  return `${Math.round((seconds / 3600) * 10) / 10} hours`;
}
