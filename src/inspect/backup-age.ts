// Backup age: how old the newest verified snapshot is, read on the backup hosts (backup.yml's textfile
// metrics and its snapshot folder, whose files are verified before they get their name), and off-site:
// the newest snapshot name in the rclone folder (names carry their UTC time) and whether the last copy
// succeeded. No recent snapshot means a lost cluster cannot be restored.
import { sh, type ShellCode } from '../connection/shell-quote.js';
import { checkReport, type CheckReport, type Finding } from './check-report.js';
import { Severity } from './severity.js';

export const DEFAULT_BACKUP_MAX_AGE_HOURS = 25;
/** backup.yml's defaults (roles/etcd_backup/defaults/main.yml), used when the inventory does not override them. */
export const DEFAULT_BACKUP_DIR = '/var/lib/etcd-backups';
export const DEFAULT_BACKUP_METRICS_DIR = '/var/lib/prometheus/node-exporter';
export const DEFAULT_BACKUP_CONF_DIR = '/etc/etcd-backup';

export interface BackupHost {
  readonly name: string;
  readonly backupDir: string;
  readonly metricsDir: string;
  /** The off-site folder (etcd_backup_remote/<cluster>) and the rclone configuration reaching it; null without one. */
  readonly offsite: { readonly dir: string; readonly rcloneConfig: string } | null;
}

export interface HostBackup {
  readonly host: string;
  /** Unix time of the newest verified snapshot (the later of the folder's newest file and the last success metric). */
  readonly newestAt: number | null;
  readonly newestFile: string | null;
  /** The last run's off-site copy: true, false, or null when none is configured or known. */
  readonly offsiteOk: boolean | null;
  /** Off-site: the newest snapshot's time (null when none), or why the folder could not be listed; undefined without one. */
  readonly offsiteNewestAt?: number | null;
  readonly offsiteError?: string | null;
  readonly error: string | null;
}

export interface BackupsData {
  readonly maxAgeHours: number;
  /** Seconds since the newest verified snapshot on any backup host; null when none was found. */
  readonly ageSeconds: number | null;
  /** Seconds since the newest off-site snapshot; null when none is configured or found. */
  readonly offsiteAgeSeconds: number | null;
  readonly hosts: readonly HostBackup[];
}

const MARK = '--- etcdops snapshots';
const OFFSITE_MARK = '--- etcdops off-site';
/** Seconds rclone may take to reach the off-site folder. */
const RCLONE_TIMEOUT = '20s';

/** One command per backup host: the metrics file, the newest snapshot's time and name, the off-site names. */
export function backupCommand(host: BackupHost): ShellCode {
  const local = sh`cat ${`${host.metricsDir}/etcd_backup.prom`} 2>/dev/null; echo ${MARK}; find ${host.backupDir} -maxdepth 1 -type f -name '*.db' -printf '%T@ %f\n' 2>/dev/null | sort -rn | head -n 1`;
  if (host.offsite === null) return local;
  const { dir, rcloneConfig } = host.offsite;
  return sh`${local}; echo ${OFFSITE_MARK}; rclone --config ${rcloneConfig} --contimeout ${RCLONE_TIMEOUT} --timeout ${RCLONE_TIMEOUT} --retries 1 --low-level-retries 1 lsf --files-only ${dir} 2>&1; echo "rc=$?"`;
}

/** backup.yml names snapshots `<cluster>-<UTC time>-rev<revision>.db`. */
const SNAPSHOT_TIME = /-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-rev\d+\.db$/;

/** Pure: the newest snapshot time among off-site names, or the listing's error. */
function parseOffsite(section: string): { offsiteNewestAt: number | null; offsiteError: string | null } {
  const lines = section.split('\n').filter((l) => l !== '');
  const code = /^rc=(\d+)$/.exec(lines.at(-1) ?? '');
  const body = code ? lines.slice(0, -1) : lines;
  if (!code || code[1] !== '0') return { offsiteNewestAt: null, offsiteError: body.at(-1) ?? 'rclone gave no answer' };
  const times = body.flatMap((name) => {
    const t = SNAPSHOT_TIME.exec(name);
    return t ? [Date.UTC(Number(t[1]), Number(t[2]) - 1, Number(t[3]), Number(t[4]), Number(t[5]), Number(t[6])) / 1000] : [];
  });
  return { offsiteNewestAt: times.length === 0 ? null : Math.max(...times), offsiteError: null };
}

/** Pure: what one backup host's answer to backupCommand says. */
export function parseBackupOutput(host: string, stdout: string): HostBackup {
  const [here, offsite] = stdout.split(`${OFFSITE_MARK}\n`);
  const [metrics = '', snapshots = ''] = here!.split(`${MARK}\n`);
  const metric = (name: string) => {
    const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'm').exec(metrics);
    return match ? Number(match[1]) : null;
  };
  const success = metric('etcd_backup_last_success_timestamp_seconds');
  const offsiteFlag = metric('etcd_backup_last_offsite_success');
  const newest = /^(\d+(?:\.\d+)?) (.+)$/m.exec(snapshots.trim());
  const fileAt = newest ? Math.floor(Number(newest[1])) : null;
  const times = [success !== null && success > 0 ? success : null, fileAt].filter((t): t is number => t !== null);
  return {
    host,
    newestAt: times.length === 0 ? null : Math.max(...times),
    newestFile: newest ? newest[2]! : null,
    offsiteOk: offsiteFlag === null ? null : offsiteFlag === 1,
    ...(offsite === undefined ? {} : parseOffsite(offsite)),
    error: null,
  };
}

/** Pure: older than the limit is a warning, as is no snapshot at all, a failed off-site copy or an unreachable backup host. */
export function judgeBackups(hosts: readonly HostBackup[], maxAgeHours: number, now: number): CheckReport<BackupsData> {
  const findings: Finding[] = [];
  for (const h of hosts) {
    if (h.error !== null) findings.push({ severity: Severity.WARNING, member: h.host, message: `backup host ${h.host} could not be read: ${h.error}` });
    else if (h.offsiteOk === false) findings.push({ severity: Severity.WARNING, member: h.host, message: `the last off-site copy from ${h.host} failed: see journalctl -u etcd-backup on it` });
    if (h.offsiteError) findings.push({ severity: Severity.WARNING, member: h.host, message: `the off-site folder could not be listed from ${h.host}: ${h.offsiteError}` });
    else if (h.offsiteNewestAt === null) findings.push({ severity: Severity.WARNING, member: h.host, message: `no snapshot in the off-site folder of ${h.host}` });
    else if (h.offsiteNewestAt !== undefined && now - h.offsiteNewestAt > maxAgeHours * 3600) {
      findings.push({ severity: Severity.WARNING, member: h.host, message: `the newest off-site snapshot of ${h.host} is ${formatAge(Math.round(now - h.offsiteNewestAt))} old, more than ${maxAgeHours} hours` });
    }
  }
  const newest = Math.max(...hosts.map((h) => h.newestAt ?? -Infinity));
  const ageSeconds = Number.isFinite(newest) ? Math.max(0, Math.round(now - newest)) : null;
  const offsiteNewest = Math.max(...hosts.map((h) => h.offsiteNewestAt ?? -Infinity));
  const data = { maxAgeHours, ageSeconds, offsiteAgeSeconds: Number.isFinite(offsiteNewest) ? Math.max(0, Math.round(now - offsiteNewest)) : null, hosts };
  const where = hosts.map((h) => h.host).join(', ');
  if (ageSeconds === null) {
    findings.push({ severity: Severity.WARNING, message: `no verified snapshot found on ${where || 'any backup host'}: install scheduled backups with backup.yml` });
    return checkReport('no verified snapshot found', findings, data);
  }
  if (ageSeconds > maxAgeHours * 3600) {
    findings.push({ severity: Severity.WARNING, message: `the newest verified snapshot is ${formatAge(ageSeconds)} old, more than ${maxAgeHours} hours: see systemctl status etcd-backup.timer on ${where}` });
  }
  const offsiteAge = data.offsiteAgeSeconds === null ? '' : `, off-site ${formatAge(data.offsiteAgeSeconds)} old`;
  return checkReport(`newest verified snapshot ${formatAge(ageSeconds)} old${offsiteAge}`, findings, data);
}

/** An age for people: seconds, minutes up to two hours, then hours with one decimal. */
export function formatAge(seconds: number): string {
  if (seconds < 120) return `${seconds} seconds`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)} minutes`;
  return `${Math.round((seconds / 3600) * 10) / 10} hours`;
}
