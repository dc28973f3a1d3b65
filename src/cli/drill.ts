// `etcdops drill FILE -i INV`: runs a failure drill (src/drill/) against the inventory's cluster and
// prints its report (timeline, figures, checks); the same report goes to a JSON file. Exit 0 when every
// check holds, 2 when one fails (the report names it), 1 when the drill could not run.
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { ExitCode } from '../errors/exit-code.js';
import { UserError } from '../errors/user-error.js';
import { parseDrill } from '../drill/drill-spec.js';
import { renderDrillReport } from '../drill/render-drill-report.js';
import { runDrill } from '../drill/run-drill.js';
import { loadInventory } from '../inventory/load-inventory.js';
import { MAX_YAML_BYTES } from '../yaml/input-limits.js';
import { readInputFile } from '../yaml/read-input-file.js';
import { inventoryClusterSpec } from '../etcd/cluster-spec.js';

interface DrillCliOptions {
  readonly inventory: string;
  readonly json?: string;
}

async function readPem(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read ${file}: ${(error as Error).message} (has site.yml deployed this inventory's cluster?)`, ExitCode.ERROR);
  }
}

async function writeReport(file: string, text: string): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw new UserError(`cannot write the drill report ${file}: ${(error as Error).message}`, ExitCode.ERROR);
  }
}

export function register(program: Command): void {
  program
    .command('drill')
    .description('run a failure drill: client load, faults, checks; report with a timeline (exit 2 when a check fails)')
    .argument('<file>', 'drill file (YAML), e.g. playbooks/drills/leader-killed.yml')
    .requiredOption('-i, --inventory <file>', 'inventory file of the cluster')
    .option('--json <file>', 'where the JSON report goes (default: DRILL-NAME.drill.json in the current folder)')
    .action(async (file: string, options: DrillCliOptions) => {
      const spec = parseDrill(readInputFile(file, { maxBytes: MAX_YAML_BYTES, what: 'drill file' }), file);
      const inventory = await loadInventory(options.inventory);
      const cluster = inventoryClusterSpec(inventory);
      const [ca, cert, key] = await Promise.all([cluster.admin.ca, cluster.admin.cert, cluster.admin.key].map(readPem));
      const access = { endpoints: cluster.clientUrls, ca: ca!, cert: cert!, key: key! };
      const report = await runDrill(spec, { inventory: options.inventory, access, members: cluster.members, log: (line) => process.stderr.write(`${line}\n`) });
      const jsonFile = options.json ?? `${spec.name}.drill.json`;
      await writeReport(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
      process.stdout.write(renderDrillReport(report));
      process.stdout.write(`report: ${jsonFile}\n`);
      process.exitCode = report.passed ? ExitCode.OK : ExitCode.HOST_FAILED;
    });
}
