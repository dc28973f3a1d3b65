// The run flow: plays → hosts (pattern ∩ --limit) → `serial` batches → tasks in lockstep across a batch's
// hosts (at most `forks` at once) → handlers at the end of each section; then the recap.
import { dirname } from 'node:path';
import pLimit from 'p-limit';
import { ExitCode } from '../errors/exit-code.js';
import type { HostKeyChecking } from '../connection/known-hosts.js';
import type { Inventory } from '../inventory/inventory.js';
import { selectHosts } from '../inventory/select-hosts.js';
import type { ModuleDefinition } from '../modules/module.js';
import { isBlock, type Play, type Playbook, type Task, type TaskBlock, type TaskNode } from '../playbook/playbook.js';
import type { ConnectionStats } from '../connection/connection.js';
import type { HostCounts, Reporter, RunEvent, RunPhases } from '../reporters/events.js';
import { HostStatus } from '../plan/host-status.js';
import { recordedChange } from '../plan/change.js';
import { RunRecord, type TaskRecord } from '../plan/run-record.js';
import type { SecretValues } from '../reporters/secret-values.js';
import { ConnectionPool } from './connection-pool.js';
import { FactCache, hostVariablesOf, prefixedFacts } from './fact-cache.js';
import { gatheringTask } from './gathering-task.js';
import { countOutcome } from './host-counts.js';
import { HostState } from './host-state.js';
import { serialBatches } from './serial-batches.js';
import { isSelectedByTags } from './tag-filter.js';
import { evaluateCondition } from '../playbook/condition.js';
import { TaskRunner, type AheadTask, type TaskOutcome, type TaskRunnerOptions } from './task-runner.js';
import { groupMembership, taskVariables, type RunScope } from './task-variables.js';

export interface RunOptions {
  readonly check: boolean;
  readonly diff: boolean;
  readonly limit?: string;
  readonly tags: readonly string[];
  readonly skipTags: readonly string[];
  readonly extraVars: Readonly<Record<string, unknown>>;
  readonly forks: number;
  readonly reporter: Reporter;
  /** Learns what no_log tasks returned, so a later `debug` of the registered result shows no secret. */
  readonly secrets?: SecretValues;
  readonly modules: ReadonlyMap<string, ModuleDefinition<any, any>>;
  readonly hostKeyChecking?: HostKeyChecking;
  /** `--fact-cache DIR`: facts of earlier runs are read from it, and gathered facts written to it. */
  readonly factCache?: string;
  /** Aborted by Ctrl-C: running tasks finish, nothing new starts. */
  readonly signal?: AbortSignal;
  /**
   * Connections (and their cached facts) of an earlier run to go on with, which the caller closes: the run
   * applying a plan reuses what planning read. Without it the run opens its own and closes them at the end.
   */
  readonly pool?: ConnectionPool;
  /** How long the process took to start and to load what this run runs, for the recap's phases. */
  readonly loaded?: Pick<RunPhases, 'startMs' | 'loadMs'>;
}

export interface RunResult {
  readonly exitCode: ExitCode;
  readonly recap: Readonly<Record<string, HostCounts>>;
  /** Connections and commands per host. */
  readonly stats: Readonly<Record<string, ConnectionStats>>;
  readonly interrupted: boolean;
  /** Per host and task, what the run did (in check mode: would do); a check run's record is its plan. */
  readonly record: readonly TaskRecord[];
}

/** How many of the tasks after a task may send their reads with its own: a no-op's command stays short. */
const READ_AHEAD_TASKS = 8;

const CENSORED = 'the output has been hidden due to no_log: true';

/** The failure policy stopped the run: no later batch or play starts. */
class PlayAborted extends Error {}

/** `meta: end_play`: this play ends for every host; later plays still run. */
class PlayEnded extends Error {}

export class PlaybookRun {
  private readonly states = new Map<string, HostState>();
  private readonly pool: ConnectionPool;
  private readonly groups: Record<string, string[]>;
  private readonly limit: ReturnType<typeof pLimit>;
  private connectionStats: RunResult['stats'] = {};
  private readonly factCache?: FactCache;
  private readonly cachedFacts = new Map<string, Record<string, unknown>>();
  /** Check mode: what earlier tasks planned and did not apply, across plays (see TaskRunnerOptions). */
  private readonly unapplied: TaskRunnerOptions['unapplied'] = [];
  private readonly record = new RunRecord();
  /** Milliseconds the reporters took so far. */
  private reportMs = 0;

  constructor(private readonly playbook: Playbook, private readonly inventory: Inventory, private readonly options: RunOptions) {
    this.pool = options.pool ?? new ConnectionPool(inventory, options.hostKeyChecking);
    this.groups = groupMembership(inventory);
    this.limit = pLimit(Math.max(1, options.forks));
    this.record.subscribe((entry) => this.report({ event: 'host_result', ...entry }));
    if (options.factCache) {
      this.factCache = new FactCache(options.factCache);
      for (const name of inventory.hosts.keys()) {
        const cached = this.factCache.read(name);
        if (cached) this.cachedFacts.set(name, hostVariablesOf(cached));
      }
    }
  }

  private report(event: RunEvent): void {
    const started = performance.now();
    this.options.reporter.handle(event);
    this.reportMs += performance.now() - started;
  }

  private get interrupted(): boolean {
    return this.options.signal?.aborted === true;
  }

  private state(name: string): HostState {
    let state = this.states.get(name);
    if (!state) {
      const host = this.inventory.hosts.get(name) ?? { name, vars: {}, groups: ['all'] };
      state = new HostState(host);
      Object.assign(state.hostFacts, this.cachedFacts.get(name));
      this.states.set(name, state);
    }
    return state;
  }

  async run(): Promise<RunResult> {
    const started = Date.now();
    const cpu = process.cpuUsage();
    // A pool carried over from planning (`play --plan`) already has time on it: the phases are this run's.
    const before = this.pool.stats();
    try {
      for (const play of this.playbook.plays) {
        if (this.interrupted) break;
        for (const state of this.states.values()) state.endedPlay = false;
        const hosts = selectHosts(this.inventory, play.hosts, { limit: this.options.limit })
          .map((h) => this.state(h))
          .filter((h) => h.active);
        if (hosts.length === 0) {
          this.report({ event: 'warning', message: `play "${play.name}": no hosts matched "${play.hosts}"` });
          continue;
        }
        try {
          await this.runPlay(play, hosts);
        } catch (error) {
          if (error instanceof PlayAborted) break;
          if (!(error instanceof PlayEnded)) throw error;
        }
      }
    } finally {
      this.connectionStats = this.pool.stats();
      if (!this.options.pool) await this.pool.closeAll();
    }
    // As ansible-playbook's recap: only hosts something was counted for (a host no task ran on is left out),
    // sorted by name.
    const recap = Object.fromEntries(
      [...this.states]
        .filter(([, s]) => Object.values(s.counts).some((n) => n > 0))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, s]) => [name, s.counts]),
    );
    const durationMs = Date.now() - started;
    const phases = this.phases(durationMs, process.cpuUsage(cpu), before);
    this.report({ event: 'recap', hosts: recap, durationMs, connections: this.connectionStats, phases });
    const states = [...this.states.values()];
    const exitCode = this.interrupted
      ? ExitCode.INTERRUPTED
      : states.some((s) => s.unreachable)
        ? ExitCode.HOST_UNREACHABLE
        : states.some((s) => s.failed)
          ? ExitCode.HOST_FAILED
          : ExitCode.OK;
    return { exitCode, recap, stats: this.connectionStats, interrupted: this.interrupted, record: this.record.entries };
  }

  private phases(runMs: number, cpu: NodeJS.CpuUsage, before: Readonly<Record<string, ConnectionStats>>): RunPhases {
    const slowest = (field: 'connectMs' | 'commandMs') =>
      Math.max(0, ...Object.entries(this.connectionStats).map(([host, s]) => s[field] - (before[host]?.[field] ?? 0)));
    return {
      ...this.options.loaded,
      runMs,
      connectMs: slowest('connectMs'),
      remoteMs: slowest('commandMs'),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      reportMs: Math.round(this.reportMs),
    };
  }

  private async runPlay(play: Play, hosts: HostState[]): Promise<void> {
    this.report({ event: 'play_start', play: play.name, hosts: hosts.map((h) => h.name), check: this.options.check });
    const runner = new TaskRunner({
      modules: this.options.modules,
      pool: this.pool,
      check: this.options.check,
      playBecome: play.become,
      playBecomeUser: play.becomeUser,
      unapplied: this.unapplied,
    });
    const batches = serialBatches(hosts, play.serial);
    for (const [index, batch] of batches.entries()) {
      if (this.interrupted) return;
      this.report({ event: 'batch_start', play: play.name, hosts: batch.map((h) => h.name), index, count: batches.length });
      const scope: RunScope = {
        inventory: this.inventory,
        play,
        playbookDir: dirname(this.playbook.file),
        extraVars: this.options.extraVars,
        check: this.options.check,
        diff: this.options.diff,
        hosts: this.states,
        playHosts: hosts.map((h) => h.name),
        batchHosts: batch.map((h) => h.name),
        runTags: this.options.tags,
        skipTags: this.options.skipTags,
        limit: this.options.limit,
        groups: this.groups,
        cachedFacts: this.cachedFacts,
      };
      if (play.gatherFacts) {
        const gathering = gatheringTask(play);
        await this.runTask(gathering, scope, batch, runner, false);
        this.enforceFailurePolicy(play, batch, gathering);
      }
      for (const section of [play.preTasks, play.tasks, play.postTasks]) {
        await this.runNodes(section, play, scope, batch, batch, runner);
        if (this.interrupted) return;
        await this.flushHandlers(play, scope, batch, runner);
      }
    }
  }

  /** Runs a task list on `hosts` (the active ones among them) in lockstep; `batch` is what the failure policy judges. */
  private async runNodes(nodes: readonly TaskNode[], play: Play, scope: RunScope, hosts: HostState[], batch: HostState[], runner: TaskRunner): Promise<void> {
    for (const [index, node] of nodes.entries()) {
      if (this.interrupted) return;
      if (isBlock(node)) {
        await this.runBlock(node, play, scope, hosts, batch, runner);
        this.enforceFailurePolicy(play, batch);
      } else if (node.module === 'meta') await this.meta(node, play, scope, hosts, runner);
      else if (isSelectedByTags([...play.tags, ...node.tags], this.options.tags, this.options.skipTags)) {
        if (node.module === 'include_tasks' || node.module === 'include_role') await this.includeTasks(node, play, scope, hosts, batch, runner);
        else await this.runTask(node, scope, hosts, runner, false, this.tasksAfter(nodes, index, play));
        this.enforceFailurePolicy(play, batch, node);
      }
    }
  }

  /**
   * Ansible's block: hosts a task of `block` failed on run `rescue` (counted as rescued, and no longer failed
   * when it succeeds); every host that entered runs `always`, after which a host still failed stays failed.
   */
  private async runBlock(block: TaskBlock, play: Play, scope: RunScope, hosts: HostState[], batch: HostState[], runner: TaskRunner): Promise<void> {
    const entered = hosts.filter((h) => h.active);
    if (entered.length === 0) return;
    const rescuable = block.rescue.length > 0;
    const guarded = block.always.length > 0;
    if (guarded) for (const host of entered) host.alwaysDepth++;
    try {
      if (rescuable) for (const host of entered) host.rescueDepth++;
      try {
        await this.runNodes(block.block, play, scope, entered, batch, runner);
      } finally {
        if (rescuable) for (const host of entered) host.rescueDepth--;
      }
      const failed = entered.filter((h) => h.failed && !h.unreachable);
      if (rescuable && failed.length > 0) {
        for (const host of failed) {
          host.failed = false;
          host.facts.ansible_failed_task = host.lastFailure?.task;
          host.facts.ansible_failed_result = host.lastFailure?.result;
        }
        await this.runNodes(block.rescue, play, scope, failed, batch, runner);
      }
    } finally {
      if (guarded) for (const host of entered) host.alwaysDepth--;
    }
    if (!guarded) return;
    // A failed host runs `always` too, and stays failed after it even when `always` succeeds.
    const stillFailed = entered.filter((h) => h.failed && !h.unreachable);
    for (const host of stillFailed) host.failed = false;
    try {
      await this.runNodes(block.always, play, scope, entered, batch, runner);
    } finally {
      for (const host of stillFailed) host.failed = true;
    }
  }

  /**
   * `include_tasks`: per host, its `when` and loop decide, and its file (a template) is read now; hosts that
   * include the same file with the same item run its tasks together. Each inclusion counts as ok, as in Ansible.
   */
  private async includeTasks(task: Task, play: Play, scope: RunScope, hosts: HostState[], batch: HostState[], runner: TaskRunner): Promise<void> {
    const inclusions = new Map<string, { file: string; vars: Record<string, unknown>; hosts: HostState[] }>();
    const active = hosts.filter((h) => h.active);
    this.report({ event: 'task_start', task: task.name, source: `${task.source.file}:${task.source.line ?? 0}`, handler: false, hosts: active.map((h) => h.name) });
    for (const host of active) {
      const outcomes = await runner.run(task, host, taskVariables(scope, host, task));
      const included = outcomes.filter((o) => o.status === HostStatus.OK);
      for (const outcome of included) {
        const { include, include_args } = outcome.result as { include: string; include_args: Record<string, unknown> };
        const key = JSON.stringify([include, include_args]);
        const entry = inclusions.get(key) ?? { file: include, vars: include_args, hosts: [] };
        entry.hosts.push(host);
        inclusions.set(key, entry);
      }
      // Each included file counts as ok on its own (a looped include once per item); an included role does not: as in Ansible.
      if (task.module === 'include_tasks') for (const outcome of included) this.settle(task, host, [outcome]);
      if (included.length < outcomes.length) this.settle(task, host, outcomes.filter((o) => o.status !== HostStatus.OK));
    }
    this.report({ event: 'task_end', task: task.name });
    for (const inclusion of inclusions.values()) {
      let nodes: readonly TaskNode[];
      try {
        nodes = await task.include!(inclusion.file, inclusion.vars);
      } catch (error) {
        // An included file that cannot be loaded fails the hosts that include it, as in Ansible.
        const msg = (error as Error).message;
        for (const host of inclusion.hosts) this.settle(task, host, [{ status: HostStatus.FAILED, msg, result: { failed: true, msg }, durationMs: 0 }]);
        continue;
      }
      await this.runNodes(nodes, play, scope, inclusion.hosts, batch, runner);
    }
  }

  private async meta(task: Task, play: Play, scope: RunScope, batch: HostState[], runner: TaskRunner): Promise<void> {
    const action = String(task.args.action);
    if (action === 'flush_handlers') return this.flushHandlers(play, scope, batch, runner);
    // end_play and end_host obey `when`, evaluated per host.
    const ending = batch.filter(
      (host) => host.active && task.when.every((c) => evaluateCondition(c, taskVariables(scope, host, task), { ...task.source, field: 'when' })),
    );
    if (action === 'end_play' && ending.length > 0) throw new PlayEnded();
    if (action === 'end_host') for (const host of ending) host.endedPlay = true;
  }

  /**
   * Ansible's failure policy: any_errors_fatal (of the task that just ran, else of the play), max_fail_percentage,
   * and a batch whose hosts all failed. A failed host with a block's `rescue` or `always` still to run is not
   * down yet: the policy judges it once they ran, as Ansible's iterator does; any_errors_fatal is judged only
   * right after the failing task, so a failure a block's `always` follows never makes it fire (ansible 2.14).
   */
  private enforceFailurePolicy(play: Play, batch: HostState[], task?: Task): void {
    const failedForGood = (h: HostState) => h.failed && h.rescueDepth === 0 && h.alwaysDepth === 0;
    const down = batch.filter((h) => h.unreachable || failedForGood(h)).length;
    if (down === 0) return;
    const fatal = task !== undefined && (task.anyErrorsFatal ?? play.anyErrorsFatal);
    const reason =
      fatal && batch.some((h) => failedForGood(h) && h.lastFailure?.failedTask === task)
        ? 'any_errors_fatal is set'
        : play.maxFailPercentage !== undefined && (down / batch.length) * 100 > play.maxFailPercentage
          ? `more than ${play.maxFailPercentage}% of the batch failed (max_fail_percentage)`
          : down === batch.length
            ? 'every host of the batch failed'
            : undefined;
    if (reason) {
      this.report({ event: 'warning', message: `stopping "${play.name}" before the next task or batch: ${reason}` });
      throw new PlayAborted();
    }
  }

  /**
   * The tasks that run right after `nodes[index]` whose reads may be sent ahead, up to the first that is not
   * one (a block, include, meta, a task the tags leave out, a module that does more than read before it
   * changes anything: a pause or a gate lets the world change while the run changes nothing).
   */
  private tasksAfter(nodes: readonly TaskNode[], index: number, play: Play): Task[] {
    const after: Task[] = [];
    for (const node of nodes.slice(index + 1, index + 1 + READ_AHEAD_TASKS)) {
      if (isBlock(node) || !this.options.modules.get(node.module)?.readsAhead) break;
      if (!isSelectedByTags([...play.tags, ...node.tags], this.options.tags, this.options.skipTags)) break;
      after.push(node);
    }
    return after;
  }

  /**
   * The tasks of `after` whose reads `host` has not sent ahead since the run last changed anything, with
   * their variables now; none unless the run changed nothing since the host's last task began: in a run
   * that changes hosts task after task, reads sent ahead would only be read again.
   */
  private aheadOf(scope: RunScope, host: HostState, after: readonly Task[]): (() => AheadTask[]) | undefined {
    const count = this.pool.changes.value;
    const quiet = host.changesSeen === undefined || host.changesSeen === count;
    host.changesSeen = count;
    if (!quiet) return undefined;
    return () => {
      const fresh = after.filter((task) => host.readAhead.get(task) !== count);
      for (const task of fresh) host.readAhead.set(task, count);
      return fresh.map((task) => ({ task, vars: taskVariables(scope, host, task) }));
    };
  }

  private async runTask(task: Task, scope: RunScope, batch: HostState[], runner: TaskRunner, handler: boolean, after: readonly Task[] = []): Promise<void> {
    const hosts = batch.filter((h) => h.active);
    if (hosts.length === 0) return;
    const targets = task.runOnce ? hosts.slice(0, 1) : hosts;
    this.report({
      event: 'task_start',
      task: task.name,
      source: `${task.source.file}:${task.source.line ?? 0}`,
      handler,
      hosts: targets.map((h) => h.name),
    });
    await Promise.all(
      targets.map((host) =>
        this.limit(async () => {
          const before = host.learnt.map((record) => new Map(Object.entries(record)));
          const outcomes = await runner.run(task, host, taskVariables(scope, host, task), this.aheadOf(scope, host, after));
          this.settle(task, host, outcomes);
          const gathered = host.hostFacts.ansible_facts;
          if (this.factCache && host.active && this.options.modules.get(task.module)?.hostFacts && gathered && typeof gathered === 'object') {
            this.factCache.write(host.name, prefixedFacts(gathered as Record<string, unknown>));
          }
          if (task.runOnce) {
            // As in Ansible, what a run_once task registers or sets holds for every host of the batch, and
            // its failure fails them all (uncounted): no host goes on past a gate that failed.
            const set = host.learnt.map((record, level) => Object.entries(record).filter(([k, v]) => before[level]!.get(k) !== v));
            for (const other of hosts) {
              set.forEach((entries, level) => entries.forEach(([k, v]) => (other.learnt[level]![k] = v)));
              for (const name of host.deferred) other.deferred.add(name);
              if (host.failed && other !== host) {
                other.failed = true;
                other.lastFailure = host.lastFailure;
              }
            }
          }
        }),
      ),
    );
    this.report({ event: 'task_end', task: task.name });
  }

  /** Reports a host's outcomes, updates its counters and state, and records notifications. */
  private settle(task: Task, host: HostState, outcomes: readonly TaskOutcome[]): void {
    for (const o of outcomes) {
      if (task.noLog) this.options.secrets?.addNoLogOutcome(o);
      // A secret-named variable set during the run (include_vars, set_fact) is as secret as one the inventory sets.
      this.options.secrets?.addSecretNamed(o.result.ansible_facts);
      this.record.add({
        host: host.name,
        task: task.name,
        status: o.status,
        item: task.noLog ? undefined : (o.label ?? o.item),
        msg: task.noLog && o.msg ? CENSORED : o.msg,
        changes: task.noLog ? [] : (o.changes ?? []).map(recordedChange),
        reason: o.reason,
        deferredUntil: o.deferredUntil,
        ignored: o.ignored,
        durationMs: o.durationMs,
        result: task.noLog ? { censored: CENSORED } : o.result,
      });
      // A module's `warnings`, shown as ansible-playbook shows them: [WARNING] lines.
      const warnings = task.noLog ? [] : o.result.warnings;
      if (Array.isArray(warnings)) for (const w of warnings) this.report({ event: 'warning', message: `${host.name}: ${String(w)}` });
    }
    const worst =
      outcomes.find((o) => o.status === HostStatus.UNREACHABLE) ??
      outcomes.find((o) => o.status === HostStatus.FAILED) ??
      outcomes.find((o) => o.status === HostStatus.CHANGED) ??
      outcomes.find((o) => o.status === HostStatus.OK) ??
      outcomes[0];
    if (!worst) return;
    countOutcome(host.counts, worst.status, worst.ignored === true, host.rescueDepth > 0, worst.result.changed === true);
    if (worst.status === HostStatus.UNREACHABLE) host.unreachable = true;
    else if (worst.status === HostStatus.FAILED && !worst.ignored) {
      host.failed = true;
      host.lastFailure = { task: { name: task.unnamed ? '' : task.name, action: task.module }, result: worst.result, failedTask: task };
    }
    else if (outcomes.some((o) => o.status === HostStatus.CHANGED)) for (const n of task.notify) host.notified.add(n);
  }

  /** Runs notified handlers in the order they are defined, on the hosts that notified them. */
  private async flushHandlers(play: Play, scope: RunScope, batch: HostState[], runner: TaskRunner): Promise<void> {
    let ran = true;
    while (ran && !this.interrupted) {
      ran = false;
      for (const handler of play.handlers) {
        const names = [handler.name, ...handler.listen];
        const hosts = batch.filter((h) => h.active && names.some((n) => h.notified.has(n)));
        if (hosts.length === 0) continue;
        for (const h of hosts) for (const n of names) h.notified.delete(n);
        ran = true;
        await this.runTask(handler, scope, hosts, runner, true);
        this.enforceFailurePolicy(play, batch, handler);
      }
    }
  }
}

export function runPlaybook(playbook: Playbook, inventory: Inventory, options: RunOptions): Promise<RunResult> {
  return new PlaybookRun(playbook, inventory, options).run();
}
