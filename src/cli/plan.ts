// `etcdops plan PLAYBOOK -i INV`: the planning phase only (check mode), printed per host and task.
// `--out` saves it for `play --plan`; `--detailed-exitcode` makes it a drift check (0 none, 2 pending).
import type { Command } from 'commander';
import { ExitCode } from '../errors/exit-code.js';
import { renderPlan } from '../plan/render-plan.js';
import { writePlanFile } from '../plan/plan-file.js';
import { summarisePlan } from '../plan/run-plan.js';
import { addRunOptions, makePlan, type PlayOptions } from './play.js';

/** Terraform's convention for `--detailed-exitcode`: the plan is not empty. */
const CHANGES_PENDING = 2;

interface PlanOptions extends PlayOptions {
  out?: string;
  detailedExitcode?: boolean;
}

export function register(program: Command): void {
  addRunOptions(program.command('plan').argument('<playbook>', 'playbook file'))
    .description('show every change a playbook would make, host by host, without changing anything')
    .option('--out <file>', 'save the plan as JSON (mode 0600, secret -e values left out), for `etcdops play --plan FILE`')
    .option('--no-diff', 'do not show file diffs')
    .option('--detailed-exitcode', 'exit 0 when nothing would change, 2 when changes are pending, 1 on error')
    .action(async (playbook: string, options: PlanOptions) => {
      const { plan, exitCode } = await makePlan(playbook, options);
      if (options.output === 'json') process.stdout.write(`${JSON.stringify(plan)}\n`);
      else process.stdout.write(renderPlan(plan, { diff: options.diff !== false }));
      if (options.out) writePlanFile(options.out, plan);
      const pending = summarisePlan(plan).toChange > 0;
      if (exitCode !== ExitCode.OK) process.exitCode = options.detailedExitcode ? ExitCode.ERROR : exitCode;
      else process.exitCode = options.detailedExitcode && pending ? CHANGES_PENDING : ExitCode.OK;
    });
}
