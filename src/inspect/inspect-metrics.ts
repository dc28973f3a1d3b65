// Scheduled inspection as Prometheus metrics: the report as node_exporter textfile-collector text, written
// by prom-client (the exposition format is the library's, not ours) to a file renamed into place, so a
// scrape never reads half of it. A run that could not reach the cluster still writes its time and success 0.
import { randomBytes } from 'node:crypto';
import { chmod, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Gauge, Registry } from 'prom-client';
import type { CertificatesData } from './certificate-expiry.js';
import type { BackupsData } from './backup-age.js';
import type { CheckReport } from './check-report.js';
import type { HotPrefixesData } from './hot-prefixes.js';
import type { SpreadData } from './member-spread.js';
import type { InspectReport } from './run-inspect.js';
import { Severity } from './severity.js';

/** Where backup.yml writes its own textfile metrics (etcd_backup_metrics_dir's default). */
export const DEFAULT_TEXTFILE_DIR = '/var/lib/prometheus/node-exporter';

/** Pure except for the clock it is given: the metrics text of one run (`report` null when no check ran). */
export async function inspectMetricsText(report: InspectReport | null, finishedAt: Date): Promise<string> {
  const registry = new Registry();
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) => new Gauge<L>({ name, help, labelNames, registers: [registry] });

  gauge('etcdops_inspect_last_run_timestamp_seconds', 'When the last scheduled inspection finished (Unix time).').set(Math.floor(finishedAt.getTime() / 1000));
  const success = report !== null && Object.values(report.checks).every((c) => c!.severity !== Severity.ERROR);
  gauge('etcdops_inspect_success', 'Whether the last inspection reached the cluster and ran every check (1) or not (0).').set(success ? 1 : 0);
  if (report === null) return registry.metrics();

  const finding = gauge('etcdops_inspect_finding', 'A check found something (1): check name, the finding\'s severity, the member it is about ("" for the cluster).', ['check', 'severity', 'member']);
  for (const [check, result] of Object.entries(report.checks)) {
    for (const f of result!.findings) finding.set({ check, severity: f.severity, member: f.member ?? '' }, 1);
  }
  const spread = report.checks.spread as CheckReport<SpreadData> | undefined;
  if (spread?.data?.keyCountSpread != null) gauge('etcdops_inspect_key_count_spread', 'Largest minus smallest key count among members at one revision.').set(spread.data.keyCountSpread);
  if (spread?.data?.revisionSpread != null) gauge('etcdops_inspect_revision_spread', 'Largest minus smallest revision among voting members.').set(spread.data.revisionSpread);

  const hot = report.checks['hot-prefixes'] as CheckReport<HotPrefixesData> | undefined;
  if (hot?.data) {
    const rate = gauge('etcdops_inspect_hot_prefix_writes_per_second', 'Puts and deletes per second under a prefix, over the sampling window (the busiest prefixes).', ['prefix']);
    for (const p of hot.data.top) rate.set({ prefix: p.prefix }, p.perSecond);
  }
  const certs = report.checks.certificates as CheckReport<CertificatesData> | undefined;
  if (certs?.data) {
    const expiry = gauge('etcdops_inspect_certificate_expiry_seconds', 'Seconds until a certificate expires (negative once expired): server and peer per member, client for the admin certificate.', ['member', 'certificate']);
    for (const c of certs.data.certificates) if (c.expiresInSeconds !== null) expiry.set({ member: c.member, certificate: c.certificate }, c.expiresInSeconds);
  }
  const backups = report.checks.backups as CheckReport<BackupsData> | undefined;
  if (backups?.data?.ageSeconds != null) gauge('etcdops_inspect_backup_age_seconds', 'Seconds since the newest verified snapshot on any backup host.').set(backups.data.ageSeconds);
  return registry.metrics();
}

/** Writes `text` to `file` through a temporary file in the same folder; readable by node_exporter. */
export async function writeMetricsFile(file: string, text: string): Promise<void> {
  // node_exporter only reads *.prom files, so the temporary name must not end in .prom.
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text);
    await chmod(temp, 0o644);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
