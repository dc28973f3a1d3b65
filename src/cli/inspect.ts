// `etcdops inspect -i INV`: routine inspection of the inventory's cluster with the admin certificate —
// consistency and spread across members, big values, prefixes and their growth, hot prefixes, quota, alarms,
// certificates, backups, versions, learners, zones. Exit 0 when all is fine, 2 on a finding at warning level
// or worse (for cron), 1 when a check could not run; `--metrics-file` also writes the result for Prometheus.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ExitCode } from '../errors/exit-code.js';
import { UserError } from '../errors/user-error.js';
import { UnreachableClusterError } from '../etcd/cluster-access.js';
import { ConnectionPool } from '../executor/connection-pool.js';
import { DEFAULT_BACKUP_MAX_AGE_HOURS } from '../inspect/backup-age.js';
import { backupHosts, plainValue } from '../inspect/backup-hosts.js';
import { readBaseline, makeBaseline, writeBaseline } from '../inspect/baseline.js';
import { DEFAULT_BIG_VALUE_BYTES } from '../inspect/big-values.js';
import { selectChecks } from '../inspect/check-selection.js';
import { DEFAULT_CERT_WARN_DAYS } from '../inspect/certificate-expiry.js';
import { DEFAULT_HOT_WINDOW_SECONDS, DEFAULT_HOT_WRITES_PER_SECOND } from '../inspect/hot-prefixes.js';
import { DEFAULT_TEXTFILE_DIR, inspectMetricsText, writeMetricsFile } from '../inspect/inspect-metrics.js';
import { DEFAULT_PAGE_KEYS } from '../inspect/key-scan.js';
import { DEFAULT_LEARNER_LAG } from '../inspect/learner-lag.js';
import { DEFAULT_SPREAD_LIMITS } from '../inspect/member-spread.js';
import { DEFAULT_PREFIX_DEPTH, DEFAULT_TOP } from '../inspect/prefixes.js';
import { DEFAULT_QUOTA_WARN_PERCENT, quotaFromVars } from '../inspect/quota.js';
import { renderText } from '../inspect/render-text.js';
import { CHECK_NAMES, runInspect, type BackupSource, type InspectResult } from '../inspect/run-inspect.js';
import { exitCodeFor, Severity } from '../inspect/severity.js';
import { ALLOWED_SKEWS, type AllowedSkew } from '../inspect/version-skew.js';
import type { Inventory } from '../inventory/inventory.js';
import { loadInventory } from '../inventory/load-inventory.js';
import { adminFiles, inventoryClusterSpec } from '../etcd/cluster-spec.js';

interface InspectCliOptions {
  readonly inventory: string;
  readonly check?: string;
  readonly output: string;
  readonly bigValueBytes: string;
  readonly prefixDepth: string;
  readonly top: string;
  readonly quotaWarnPercent: string;
  readonly baseline?: string;
  readonly saveBaseline?: string;
  readonly pageKeys: string;
  readonly maxKeyCountSpread: string;
  readonly maxRevisionSpread: string;
  readonly maxRaftIndexSpread: string;
  readonly allowedVersionSkew: string;
  readonly maxLearnerLag: string;
  readonly certWarnDays: string;
  readonly backupMaxAgeHours: string;
  readonly hotWindow: string;
  readonly hotDepth?: string;
  readonly hotWritesPerSecond: string;
  readonly metricsFile?: string;
  readonly pkiDir?: string;
  readonly client?: string;
  readonly localHost?: string;
}

function wholeNumber(option: string, text: string): number {
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(Number(text))) throw new UserError(`${option} must be a whole number from 0 up, not "${text}"`, ExitCode.ERROR);
  return Number(text);
}

/** The inventory with `host` reached without SSH: the machine running the inspection is that host. */
function reachedLocally(inventory: Inventory, host: string): Inventory {
  const hosts = new Map(inventory.hosts);
  const entry = hosts.get(host)!;
  hosts.set(host, { ...entry, vars: { ...entry.vars, ansible_connection: 'local' } });
  return { ...inventory, hosts };
}

/** The peer URL beside a client URL: same address, the host's etcd_peer_port (2380 by default). */
function peerEndpointOf(endpoint: string, vars: Readonly<Record<string, unknown>>): string {
  const host = new URL(endpoint).host.replace(/:\d+$/, '');
  return `https://${host}:${plainValue(vars.etcd_peer_port) ?? '2380'}`;
}

function positiveInteger(option: string, text: string, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < 1 || value > max) throw new UserError(`${option} must be a whole number from 1 to ${max}, not "${text}"`, ExitCode.ERROR);
  return value;
}

async function readPem(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read ${file}: ${(error as Error).message} (has site.yml deployed this inventory's cluster?)`, ExitCode.ERROR);
  }
}

export function register(program: Command): void {
  program
    .command('inspect')
    .description('inspect the cluster of an inventory: consistency, big values, prefixes and their growth, quota (exit 2 on a finding)')
    .requiredOption('-i, --inventory <file>', 'inventory file (Ansible YAML format)')
    .option('--check <names>', `comma-separated checks to run (${CHECK_NAMES.join(', ')}); all by default`)
    .option('--output <format>', 'text or json', 'text')
    .option('--big-value-bytes <n>', 'a value larger than this is a finding', String(DEFAULT_BIG_VALUE_BYTES))
    .option('--prefix-depth <n>', 'how many /-separated segments make a prefix', String(DEFAULT_PREFIX_DEPTH))
    .option('--top <n>', 'how many prefixes and big values to list', String(DEFAULT_TOP))
    .option('--quota-warn-percent <n>', 'warn when a member uses more of its quota than this', String(DEFAULT_QUOTA_WARN_PERCENT))
    .option('--baseline <file>', 'show the growth of each prefix since this baseline')
    .option('--save-baseline <file>', 'save the figures of every prefix to this file, for a later --baseline')
    .option('--page-keys <n>', 'keys read per request while scanning the keyspace', String(DEFAULT_PAGE_KEYS))
    .option('--max-key-count-spread <n>', 'largest difference in key count between members at one revision that is not a finding', String(DEFAULT_SPREAD_LIMITS.keyCount))
    .option('--max-revision-spread <n>', "largest difference between voters in the revisions made from the same raft log (applied index minus revision) that is not a finding", String(DEFAULT_SPREAD_LIMITS.revision))
    .option('--max-raft-index-spread <n>', "largest distance of a voting member's raft index from the others' that is not a finding", String(DEFAULT_SPREAD_LIMITS.raftIndex))
    .option('--allowed-version-skew <skew>', `version differences between members that are not a finding (${ALLOWED_SKEWS.join(' or ')})`, 'none')
    .option('--max-learner-lag <n>', 'raft entries a learner may be behind the leader', String(DEFAULT_LEARNER_LAG))
    .option('--cert-warn-days <n>', 'warn when a certificate expires within this many days (critical within 7)', String(DEFAULT_CERT_WARN_DAYS))
    .option('--backup-max-age-hours <n>', 'warn when the newest verified snapshot is older than this', String(DEFAULT_BACKUP_MAX_AGE_HOURS))
    .option('--hot-window <seconds>', 'how long to watch the writes for the hot prefixes', String(DEFAULT_HOT_WINDOW_SECONDS))
    .option('--hot-depth <n>', 'how many /-separated segments make a hot prefix (default: --prefix-depth)')
    .option('--hot-writes-per-second <n>', 'a prefix written faster than this is a finding', String(DEFAULT_HOT_WRITES_PER_SECOND))
    .option('--pki-dir <dir>', "folder holding ca.crt, admin.crt and admin.key (default: the inventory's etcd_local_pki_dir, else .etcdops/pki beside it)")
    .option('--client <name>', 'the client certificate to connect with, NAME.crt and NAME.key in --pki-dir (default admin; the scheduled inspection uses its member\'s backup certificate)')
    .option('--local-host <name>', 'this machine is that inventory host: its backups are read here, and other backup hosts are left out (the scheduled inspection)')
    .option('--metrics-file <file>', `also write the result as Prometheus textfile metrics (node_exporter's textfile collector, e.g. ${DEFAULT_TEXTFILE_DIR}/etcdops_inspect.prom)`)
    .action(async (options: InspectCliOptions) => {
      if (!['text', 'json'].includes(options.output)) throw new UserError(`--output must be text or json, not "${options.output}"`, ExitCode.ERROR);
      const bigValueBytes = positiveInteger('--big-value-bytes', options.bigValueBytes);
      const prefixDepth = positiveInteger('--prefix-depth', options.prefixDepth, 1000);
      const top = positiveInteger('--top', options.top, 100_000);
      const pageKeys = positiveInteger('--page-keys', options.pageKeys, 100_000);
      const quotaWarnPercent = positiveInteger('--quota-warn-percent', options.quotaWarnPercent, 100);
      const spreadLimits = {
        keyCount: wholeNumber('--max-key-count-spread', options.maxKeyCountSpread),
        revision: wholeNumber('--max-revision-spread', options.maxRevisionSpread),
        raftIndex: wholeNumber('--max-raft-index-spread', options.maxRaftIndexSpread),
      };
      if (!(ALLOWED_SKEWS as readonly string[]).includes(options.allowedVersionSkew)) throw new UserError(`--allowed-version-skew must be ${ALLOWED_SKEWS.join(' or ')}, not "${options.allowedVersionSkew}"`, ExitCode.ERROR);
      const learnerMaxLag = wholeNumber('--max-learner-lag', options.maxLearnerLag);
      const certWarnDays = wholeNumber('--cert-warn-days', options.certWarnDays);
      const backupMaxAgeHours = positiveInteger('--backup-max-age-hours', options.backupMaxAgeHours);
      const hotWindowSeconds = positiveInteger('--hot-window', options.hotWindow, 600);
      const hotDepth = options.hotDepth === undefined ? prefixDepth : positiveInteger('--hot-depth', options.hotDepth, 1000);
      const hotWritesPerSecond = wholeNumber('--hot-writes-per-second', options.hotWritesPerSecond);
      let checks = selectChecks(options.check);
      // Growth needs the prefix figures, so a baseline brings the prefixes check along.
      if ((options.baseline || options.saveBaseline) && !checks.includes('prefixes')) checks = CHECK_NAMES.filter((n) => checks.includes(n) || n === 'prefixes');
      const baseline = options.baseline ? await readBaseline(options.baseline) : null;
      if (baseline && baseline.depth !== prefixDepth) {
        throw new UserError(`the baseline ${options.baseline} counts prefixes at depth ${baseline.depth}: run with --prefix-depth ${baseline.depth}`, ExitCode.ERROR);
      }

      const inventory = await loadInventory(options.inventory);
      const cluster = inventoryClusterSpec(inventory);
      const admin = options.pkiDir ? adminFiles(options.pkiDir, options.client) : cluster.admin;
      const [ca, cert, key] = await Promise.all([admin.ca, admin.cert, admin.key].map(readPem));
      const access = { endpoints: cluster.clientUrls, ca: ca!, cert: cert!, key: key! };
      const members = cluster.members.map((name, i) => {
        const vars = inventory.hosts.get(name)!.vars;
        return {
          name,
          endpoint: cluster.clientUrls[i]!,
          peerEndpoint: peerEndpointOf(cluster.clientUrls[i]!, vars),
          quota: quotaFromVars(vars),
          zone: plainValue(vars.etcd_zone),
          voter: !(vars.etcd_learner === true || vars.etcd_learner === 'true'),
        };
      });
      if (options.localHost !== undefined && !inventory.hosts.has(options.localHost)) throw new UserError(`--local-host: the inventory ${options.inventory} has no host "${options.localHost}"`, ExitCode.ERROR);
      const pool = checks.includes('backups') ? new ConnectionPool(options.localHost ? reachedLocally(inventory, options.localHost) : inventory) : null;
      const backups: BackupSource | null = pool && {
        hosts: backupHosts(inventory, cluster.members).filter((h) => options.localHost === undefined || h.name === options.localHost),
        run: async (host, command) => {
          const answer = await pool.get(host).exec(command, { become: true });
          return answer.stdout;
        },
      };

      let result: InspectResult;
      try {
        result = await runInspect(access, members, {
          checks, bigValueBytes, prefixDepth, top, quotaWarnPercent, baseline, pageKeys, spreadLimits, allowedVersionSkew: options.allowedVersionSkew as AllowedSkew,
          learnerMaxLag, certWarnDays, backupMaxAgeHours, backups, hotWindowSeconds, hotDepth, hotWritesPerSecond,
        });
      } catch (error) {
        // The schedule must see a run that failed as much as one that found something.
        if (options.metricsFile) await writeMetricsFile(options.metricsFile, await inspectMetricsText(null, new Date()));
        if (error instanceof UnreachableClusterError) throw new UserError(error.message, ExitCode.ERROR);
        throw error;
      } finally {
        await pool?.closeAll();
      }
      const { report, prefixStats } = result;
      if (options.metricsFile) await writeMetricsFile(options.metricsFile, await inspectMetricsText(report, new Date()));
      if (options.saveBaseline && prefixStats) await writeBaseline(options.saveBaseline, makeBaseline(report.revision, prefixDepth, prefixStats, new Date(report.checkedAt)));
      process.stdout.write(options.output === 'json' ? `${JSON.stringify(report)}\n` : renderText(report));
      if (options.saveBaseline && !prefixStats) process.stderr.write(`baseline not saved: the keyspace could not be read\n`);
      process.exitCode = exitCodeFor(options.saveBaseline && !prefixStats ? Severity.ERROR : report.severity);
    });
}
