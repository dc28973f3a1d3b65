// `etcdops play PLAYBOOK -i INVENTORY`: runs a playbook, with ansible-playbook's flags and exit codes.
import { Command, Option } from 'commander';
import type { HostKeyChecking } from '../connection/known-hosts.js';
import { ExitCode } from '../errors/exit-code.js';
import { UserError } from '../errors/user-error.js';
import { readPlanFile } from '../plan/plan-file.js';
import { planDrift, planFromRecord, type RunPlan } from '../plan/run-plan.js';
import type { TaskRecord } from '../plan/run-record.js';
import { RedactingReporter } from '../reporters/redacting-reporter.js';
import type { Reporter } from '../reporters/events.js';
import type { SecretValues } from '../reporters/secret-values.js';
import { requireLimitMatches, selectHosts } from '../inventory/select-hosts.js';
import { onRunLockLost, releaseRunLocks } from '../etcd/run-lock.js';
import { modules } from '../modules/registry.js';
import { flattenTasks } from '../playbook/playbook.js';
import { pyRepr } from '../playbook/python-values.js';
import { ConnectionPool } from '../executor/connection-pool.js';
import { runPlaybook, type RunOptions } from '../executor/run-playbook.js';
import { isSelectedByTags } from '../executor/tag-filter.js';
import { defaultOutputFormat, reporters, type OutputFormat } from '../reporters/reporter-registry.js';
import { checkKeyFiles, loadRun, withInterruptSignal, type LoadedRun } from './run-context.js';
import { parseExtraVars } from './extra-vars.js';
import { knownSecrets, readSecretSources } from './secret-vars.js';

export interface PlayOptions {
  /** Every `-i`, in order: later sources win where they define the same variable, as in Ansible. */
  inventory: string[];
  check?: boolean;
  diff?: boolean;
  limit?: string;
  tags: string[];
  skipTags: string[];
  extraVars: string[];
  forks: number;
  verbose: number;
  output?: OutputFormat;
  listHosts?: boolean;
  listTasks?: boolean;
  listTags?: boolean;
  /** ansible-playbook options etcdops refuses (see UNSUPPORTED_FLAGS): parsed only to say what to do instead. */
  forceHandlers?: boolean;
  step?: boolean;
  startAtTask?: string;
  syntaxCheck?: boolean;
  hostKeyChecking?: HostKeyChecking;
  plan?: string;
  factCache?: string;
}

/** A reporter that shows nothing: `plan` prints the finished plan, not the run that made it. */
const silent: Reporter = { handle: () => undefined, close: async () => undefined };

const collect = (value: string, previous: string[]) => [...previous, value];
const collectList = (value: string, previous: string[]) => [...previous, ...value.split(',').map((t) => t.trim()).filter(Boolean)];

/** The options `play` and `plan` share. */
export function addRunOptions(command: Command): Command {
  return command
    .option('-i, --inventory <path>', 'inventory: a YAML or INI file, a folder of them, or host1,host2, (repeatable; later ones win)', collect, [])
    .option('-l, --limit <pattern>', 'further limit the hosts with a pattern')
    .option('-t, --tags <tags>', 'only run tasks with these tags (comma-separated, repeatable)', collectList, [])
    .option('--skip-tags <tags>', 'skip tasks with these tags', collectList, [])
    .option('-e, --extra-vars <vars>', 'NAME=VALUE pairs, a JSON/YAML mapping, or @FILE (repeatable)', collect, [])
    .option('-f, --forks <n>', 'hosts worked on at once', (v) => Number.parseInt(v, 10), 10)
    .option('--fact-cache <dir>', "keep gathered facts in this folder (Ansible's jsonfile layout, a day), so hostvars shows facts of hosts not in the run")
    .option('-v, --verbose', 'more output (-vv, -vvv)', (_: string, previous: number) => previous + 1, 0)
    .addOption(new Option('--output <format>', 'output format').choices(Object.keys(reporters)))
    .addOption(new Option('--host-key-checking <mode>', 'override SSH host-key checking').choices(['strict', 'accept-new', 'off']))
    .addOption(new Option('--force-handlers').hideHelp())
    .addOption(new Option('--step').hideHelp())
    .addOption(new Option('--start-at-task <name>').hideHelp());
}

/**
 * Ansible's --list-hosts, --list-tasks and --list-tags, alone or together: per play its patterns, then its hosts
 * (selected with --limit), then its tasks (a block's own, not its rescue or always; task tags sorted), then the
 * tags of the tasks --tags/--skip-tags select, as ansible-playbook prints them.
 */
function listPlays(run: LoadedRun, playbookFile: string, options: PlayOptions, write: (t: string) => void): void {
  write(`\nplaybook: ${playbookFile}\n`);
  for (const [index, play] of run.playbook.plays.entries()) {
    write(`\n  play #${index + 1} (${play.patterns.join(',')}): ${play.name}\tTAGS: [${[...play.tags].sort().join(',')}]\n`);
    if (options.listHosts) {
      const hosts = selectHosts(run.inventory, play.hosts, { limit: options.limit });
      write(`    pattern: ${pyRepr(play.patterns)}\n    hosts (${hosts.length}):\n${hosts.map((h) => `      ${h}\n`).join('')}`);
    }
    if (options.listTasks) write('    tasks:\n');
    const selectedTags = new Set<string>(play.tags);
    for (const task of flattenTasks([...play.preTasks, ...play.tasks, ...play.postTasks], [])) {
      const tags = [...new Set([...play.tags, ...task.tags])].sort();
      if (!isSelectedByTags(tags, options.tags, options.skipTags)) continue;
      for (const tag of tags) selectedTags.add(tag);
      if (options.listTasks) write(`      ${task.role ? `${task.role} : ` : ''}${task.unnamed ? task.module : task.name}\tTAGS: [${tags.join(', ')}]\n`);
    }
    if (options.listTags) write(`      TASK TAGS: [${[...selectedTags].sort().join(', ')}]\n`);
  }
}

/** ansible-playbook options etcdops does not implement, and what to use instead (refused, never ignored). */
const UNSUPPORTED_FLAGS: ReadonlyArray<readonly [flag: string, key: keyof PlayOptions, instead: string]> = [
  ['--force-handlers', 'forceHandlers', "handlers run only on hosts that have not failed; put the work that must happen anyway in a block's always: section"],
  ['--step', 'step', 'etcdops never asks per task; run `etcdops plan` (or --check) first to see each change, then play'],
  ['--start-at-task', 'startAtTask', 'choose the tasks to run with --tags / --skip-tags'],
];

function refuseUnsupportedFlags(options: PlayOptions): void {
  for (const [flag, key, instead] of UNSUPPORTED_FLAGS) {
    if (options[key] !== undefined) throw new UserError(`${flag} is not supported: ${instead}`, ExitCode.BAD_OPTIONS);
  }
}

/** What consecutive runs of one command share: the secrets they learn, Ctrl-C, their connections, and the loading they follow. */
interface RunSession {
  readonly secrets: SecretValues;
  readonly signal: AbortSignal;
  readonly pool?: ConnectionPool;
  readonly loaded: RunOptions['loaded'];
}

/** Loads the run, timing the process's start (up to now) and the loading, for the recap's phases. */
async function timedLoadRun(playbookFile: string, options: PlayOptions): Promise<{ run: LoadedRun; loaded: RunOptions['loaded'] }> {
  const startMs = Math.round(performance.now());
  const run = await loadRun(playbookFile, options.inventory, options.extraVars);
  return { run, loaded: { startMs, loadMs: Math.round(performance.now()) - startMs } };
}

async function execute(run: LoadedRun, options: PlayOptions, check: boolean, output: Reporter, session: RunSession) {
  const hosts = run.playbook.plays.flatMap((p) => selectHosts(run.inventory, p.hosts, { limit: options.limit }));
  checkKeyFiles(run.inventory, hosts);
  const reporter = new RedactingReporter(output, session.secrets);
  let result: Awaited<ReturnType<typeof runPlaybook>>;
  const lockLost = new AbortController();
  const stopListening = onRunLockLost((reason) => {
    process.stderr.write(`\netcdops: ${reason}; finishing the running tasks, then stopping: no further task runs without the lock\n`);
    lockLost.abort();
  });
  try {
    result = await runPlaybook(run.playbook, run.inventory, {
      check,
      diff: options.diff === true,
      limit: options.limit,
      tags: options.tags,
      skipTags: options.skipTags,
      extraVars: run.extraVars,
      forks: options.forks,
      reporter,
      secrets: session.secrets,
      modules,
      hostKeyChecking: options.hostKeyChecking,
      factCache: options.factCache,
      signal: AbortSignal.any([session.signal, lockLost.signal]),
      pool: session.pool,
      loaded: session.loaded,
    });
  } finally {
    stopListening();
    // The run lock goes with the run, failed or not, rather than at the end of its TTL.
    await releaseRunLocks();
  }
  await reporter.close();
  // Stopped for want of the lock, not by the user: a failure, not Ctrl-C's code.
  return lockLost.signal.aborted ? { ...result, exitCode: ExitCode.ERROR } : result;
}

/** The plan of a check-mode run: its record, redacted, with what replaying it needs (secret -e values left out). */
function planOfRecord(run: LoadedRun, playbookFile: string, options: PlayOptions, record: readonly TaskRecord[], secrets: SecretValues): RunPlan {
  // Secrets learnt during the run (no_log results) are known only at its end: the record is redacted now.
  return planFromRecord(secrets.redact(record), {
    playbook: playbookFile,
    inventory: options.inventory.length === 1 ? options.inventory[0]! : options.inventory,
    extraVars: Object.fromEntries(Object.entries(run.extraVars).filter(([name]) => !run.secretNames.has(name))),
    secretExtraVars: [...run.secretNames].sort(),
    limit: options.limit,
  });
}

/** Runs the planning phase only: its plan is the run's record. */
export async function makePlan(playbookFile: string, options: PlayOptions): Promise<{ plan: RunPlan; exitCode: ExitCode }> {
  refuseUnsupportedFlags(options);
  const { run, loaded } = await timedLoadRun(playbookFile, options);
  requireLimitMatches(run.inventory, options.limit);
  const secrets = knownSecrets(run);
  const result = await withInterruptSignal((signal) => execute(run, options, true, silent, { secrets, signal, loaded }));
  return { plan: planOfRecord(run, playbookFile, options, result.record, secrets), exitCode: result.exitCode };
}

/**
 * `play --plan FILE`, before loading anything: its stored -e values are used again; its secret ones were
 * never stored and must be given again (-e, a 0600 @FILE, or their environment variable); an -e that
 * contradicts a stored value is refused.
 */
function savedPlanOptions(saved: RunPlan, file: string, options: PlayOptions): PlayOptions {
  const given = parseExtraVars(options.extraVars);
  const contradicted = Object.keys(given).filter((name) => name in saved.extraVars && JSON.stringify(given[name]) !== JSON.stringify(saved.extraVars[name]));
  if (contradicted.length) {
    throw new UserError(`--plan ${file}: -e ${contradicted.join(', ')} differs from the value the plan was made with; nothing was changed. Make a new plan.`, ExitCode.BAD_OPTIONS);
  }
  const environment = readSecretSources(options.extraVars, process.env).environment;
  const missing = (saved.secretExtraVars ?? []).filter((name) => !(name in given) && !(name in environment));
  if (missing.length) {
    throw new UserError(
      `--plan ${file}: the plan was made with the secret variable(s) ${missing.join(', ')}, which a plan never stores; give them again (-e @FILE readable only by you, or ETCDOPS_CA_PASSPHRASE for etcd_ca_passphrase). Nothing was changed.`,
      ExitCode.BAD_OPTIONS,
    );
  }
  return { ...options, extraVars: [JSON.stringify(saved.extraVars), ...options.extraVars], limit: saved.limit };
}

/** The saved plan must still be what planning says now, host by host; otherwise nothing is changed. */
function refuseDrift(saved: RunPlan, fresh: RunPlan, file: string): void {
  const drift = planDrift(saved, fresh);
  if (drift.length === 0) return;
  const lines = drift.map((d) => `  ${d.host}: task "${d.task}"${d.targets.length ? ` (${d.targets.join(', ')})` : ''}`);
  throw new UserError(`the hosts drifted since the plan in ${file} was made; nothing was changed. Make a new plan.\n${lines.join('\n')}`);
}

export async function play(playbookFile: string, given: PlayOptions): Promise<ExitCode> {
  refuseUnsupportedFlags(given);
  const write = (text: string) => process.stdout.write(text);
  const saved = given.plan === undefined ? undefined : readPlanFile(given.plan);
  const options = saved ? savedPlanOptions(saved, given.plan!, given) : given;
  const { run, loaded } = await timedLoadRun(playbookFile, options);
  requireLimitMatches(run.inventory, options.limit);
  if (options.syntaxCheck) {
    write(`\nplaybook: ${playbookFile}\n`);
    return ExitCode.OK;
  }
  if (options.listHosts || options.listTasks || options.listTags) {
    listPlays(run, playbookFile, options, write);
    return ExitCode.OK;
  }
  const reporter = reporters[options.output ?? defaultOutputFormat()]({ diff: options.diff === true, verbosity: options.verbose, write });
  return withInterruptSignal(async (signal) => {
    const session = { secrets: knownSecrets(run), signal, loaded };
    if (!saved) return (await execute(run, options, options.check === true, reporter, session)).exitCode;
    // Planning again and applying share the playbook as loaded, the connections and the facts read: a host
    // is connected to and read once, then read again only where a change made what was read stale.
    const pool = new ConnectionPool(run.inventory, options.hostKeyChecking);
    try {
      const planning = await execute(run, options, true, silent, { ...session, pool });
      if (planning.interrupted) return planning.exitCode;
      refuseDrift(saved, planOfRecord(run, playbookFile, options, planning.record, session.secrets), given.plan!);
      return (await execute(run, options, options.check === true, reporter, { ...session, pool })).exitCode;
    } finally {
      await pool.closeAll();
    }
  });
}

export function register(program: Command): void {
  addRunOptions(program.command('play').argument('<playbook>', 'playbook file'))
    .description('run a playbook against the hosts of an inventory')
    .option('-C, --check', 'plan only: show what would change, change nothing')
    .option('-D, --diff', 'show unified diffs of changed files')
    .option('--list-hosts', 'list the hosts each play would run on, and stop')
    .option('--list-tasks', 'list the tasks each play would run, and stop')
    .option('--list-tags', 'list the tags of the tasks each play would run, and stop')
    .option('--syntax-check', 'load and validate the playbook, and stop')
    .option('--plan <file>', 'apply a plan saved by `etcdops plan --out`, refusing if the hosts drifted since')
    .action(async (playbook: string, options: PlayOptions) => {
      process.exitCode = await play(playbook, options);
    });
}
