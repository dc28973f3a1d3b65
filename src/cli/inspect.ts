// `etcdops inspect -i INV`: routine inspection of the inventory's cluster with the admin certificate —
// consistency across members, big values, keys and bytes per prefix (and their growth), quota and alarms.
// Exit 0 when all is fine, 2 on a finding at warning level or worse (for cron), 1 when a check could not run.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ExitCode } from '../errors/exit-code.js';
import { UserError } from '../errors/user-error.js';
import { UnreachableClusterError } from '../etcd/cluster-access.js';
import { readBaseline, makeBaseline, writeBaseline } from '../inspect/baseline.js';
import { DEFAULT_BIG_VALUE_BYTES } from '../inspect/big-values.js';
import { selectChecks } from '../inspect/check-selection.js';
import { DEFAULT_PAGE_KEYS } from '../inspect/key-scan.js';
import { DEFAULT_PREFIX_DEPTH, DEFAULT_TOP } from '../inspect/prefixes.js';
import { DEFAULT_QUOTA_WARN_PERCENT, quotaFromVars } from '../inspect/quota.js';
import { renderText } from '../inspect/render-text.js';
import { CHECK_NAMES, runInspect } from '../inspect/run-inspect.js';
import { exitCodeFor, Severity } from '../inspect/severity.js';
import { loadInventory } from '../inventory/load-inventory.js';
import { inventoryClusterSpec } from '../etcd/cluster-spec.js';

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
    .action(async (options: InspectCliOptions) => {
      if (!['text', 'json'].includes(options.output)) throw new UserError(`--output must be text or json, not "${options.output}"`, ExitCode.ERROR);
      const bigValueBytes = positiveInteger('--big-value-bytes', options.bigValueBytes);
      const prefixDepth = positiveInteger('--prefix-depth', options.prefixDepth, 1000);
      const top = positiveInteger('--top', options.top, 100_000);
      const pageKeys = positiveInteger('--page-keys', options.pageKeys, 100_000);
      const quotaWarnPercent = positiveInteger('--quota-warn-percent', options.quotaWarnPercent, 100);
      let checks = selectChecks(options.check);
      // Growth needs the prefix figures, so a baseline brings the prefixes check along.
      if ((options.baseline || options.saveBaseline) && !checks.includes('prefixes')) checks = CHECK_NAMES.filter((n) => checks.includes(n) || n === 'prefixes');
      const baseline = options.baseline ? await readBaseline(options.baseline) : null;
      if (baseline && baseline.depth !== prefixDepth) {
        throw new UserError(`the baseline ${options.baseline} counts prefixes at depth ${baseline.depth}: run with --prefix-depth ${baseline.depth}`, ExitCode.ERROR);
      }

      const inventory = await loadInventory(options.inventory);
      const cluster = inventoryClusterSpec(inventory);
      const [ca, cert, key] = await Promise.all([cluster.admin.ca, cluster.admin.cert, cluster.admin.key].map(readPem));
      const access = { endpoints: cluster.clientUrls, ca: ca!, cert: cert!, key: key! };
      const members = cluster.members.map((name, i) => ({ name, endpoint: cluster.clientUrls[i]!, quota: quotaFromVars(inventory.hosts.get(name)!.vars) }));

      let result;
      try {
        result = await runInspect(access, members, { checks, bigValueBytes, prefixDepth, top, quotaWarnPercent, baseline, pageKeys });
      } catch (error) {
        if (error instanceof UnreachableClusterError) throw new UserError(error.message, ExitCode.ERROR);
        throw error;
      }
      const { report, prefixStats } = result;
      if (options.saveBaseline && prefixStats) await writeBaseline(options.saveBaseline, makeBaseline(report.revision, prefixDepth, prefixStats, new Date(report.checkedAt)));
      process.stdout.write(options.output === 'json' ? `${JSON.stringify(report)}\n` : renderText(report));
      if (options.saveBaseline && !prefixStats) process.stderr.write(`baseline not saved: the keyspace could not be read\n`);
      process.exitCode = exitCodeFor(options.saveBaseline && !prefixStats ? Severity.ERROR : report.severity);
    });
}
