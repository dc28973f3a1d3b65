// The run flow: plays → hosts (pattern ∩ --limit) → `serial` batches → tasks in lockstep across a batch's
// hosts (at most `forks` at once) → handlers at the end of each section; then the recap.
import { dirname } from 'node:path';
import pLimit from 'p-limit';
import { ExitCode } from '../errors/exit-code.js';
import type { HostKeyChecking } from '../connection/known-hosts.js';
import type { Inventory } from '../inventory/inventory.js';
import { selectHosts } from '../inventory/select-hosts.js';
import type { ModuleDefinition } from '../modules/module.js';
import type { Play, Playbook, Task } from '../playbook/playbook.js';
import { HostStatus, type HostCounts, type Reporter } from '../reporters/events.js';
import type { SecretValues } from '../reporters/secret-values.js';
import { ConnectionPool } from './connection-pool.js';
import { FactCache, hostVariablesOf, prefixedFacts } from './fact-cache.js';
import { gatheringTask } from './gathering-task.js';
import { countOutcome } from './host-counts.js';
import { HostState } from './host-state.js';
import { serialBatches } from './serial-batches.js';
import { isSelectedByTags } from './tag-filter.js';
import { evaluateCondition } from '../playbook/condition.js';
import { TaskRunner, type TaskOutcome, type TaskRunnerOptions } from './task-runner.js';
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
}

export interface RunResult {
  readonly exitCode: ExitCode;
  readonly recap: Readonly<Record<string, HostCounts>>;
  /** Connections and commands per host. */
  readonly stats: Readonly<Record<string, { connections: number; commands: number }>>;
  readonly interrupted: boolean;
}

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

  constructor(private readonly playbook: Playbook, private readonly inventory: Inventory, private readonly options: RunOptions) {
    this.pool = new ConnectionPool(inventory, options.hostKeyChecking);
    this.groups = groupMembership(inventory);
    this.limit = pLimit(Math.max(1, options.forks));
    if (options.factCache) {
      this.factCache = new FactCache(options.factCache);
      for (const name of inventory.hosts.keys()) {
        const cached = this.factCache.read(name);
        if (cached) this.cachedFacts.set(name, hostVariablesOf(cached));
      }
    }
  }

  private get interrupted(): boolean {
    return this.options.signal?.aborted === true;
  }

  private state(name: string): HostState {
    let state = this.states.get(name);
    if (!state) {
      const host = this.inventory.hosts.get(name) ?? { name, vars: {}, groups: ['all'] };
      state = new HostState(host);
      Object.assign(state.facts, this.cachedFacts.get(name));
      this.states.set(name, state);
    }
    return state;
  }

  async run(): Promise<RunResult> {
    const started = Date.now();
    try {
      for (const play of this.playbook.plays) {
        if (this.interrupted) break;
        for (const state of this.states.values()) state.endedPlay = false;
        const hosts = selectHosts(this.inventory, play.hosts, { limit: this.options.limit })
          .map((h) => this.state(h))
          .filter((h) => h.active);
        if (hosts.length === 0) {
          this.options.reporter.handle({ event: 'warning', message: `play "${play.name}": no hosts matched "${play.hosts}"` });
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
      await this.pool.closeAll();
    }
    const recap = Object.fromEntries([...this.states].map(([name, s]) => [name, s.counts]));
    this.options.reporter.handle({ event: 'recap', hosts: recap, durationMs: Date.now() - started, connections: this.connectionStats });
    const states = [...this.states.values()];
    const exitCode = this.interrupted
      ? ExitCode.INTERRUPTED
      : states.some((s) => s.unreachable)
        ? ExitCode.HOST_UNREACHABLE
        : states.some((s) => s.failed)
          ? ExitCode.HOST_FAILED
          : ExitCode.OK;
    return { exitCode, recap, stats: this.connectionStats, interrupted: this.interrupted };
  }

  private async runPlay(play: Play, hosts: HostState[]): Promise<void> {
    const reporter = this.options.reporter;
    reporter.handle({ event: 'play_start', play: play.name, hosts: hosts.map((h) => h.name), check: this.options.check });
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
      reporter.handle({ event: 'batch_start', play: play.name, hosts: batch.map((h) => h.name), index, count: batches.length });
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
        groups: this.groups,
        cachedFacts: this.cachedFacts,
      };
      if (play.gatherFacts) {
        await this.runTask(gatheringTask(play), scope, batch, runner, false);
        this.enforceFailurePolicy(play, batch);
      }
      for (const section of [play.preTasks, play.tasks, play.postTasks]) {
        for (const task of section) {
          if (this.interrupted) return;
          if (task.module === 'meta') await this.meta(task, play, scope, batch, runner);
          else if (isSelectedByTags([...play.tags, ...task.tags], this.options.tags, this.options.skipTags)) {
            await this.runTask(task, scope, batch, runner, false);
            this.enforceFailurePolicy(play, batch);
          }
        }
        await this.flushHandlers(play, scope, batch, runner);
      }
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

  /** Ansible's failure policy: any_errors_fatal, max_fail_percentage, and a batch whose hosts all failed. */
  private enforceFailurePolicy(play: Play, batch: HostState[]): void {
    const down = batch.filter((h) => h.failed || h.unreachable).length;
    if (down === 0) return;
    const reason =
      play.anyErrorsFatal && batch.some((h) => h.failed)
        ? 'any_errors_fatal is set'
        : play.maxFailPercentage !== undefined && (down / batch.length) * 100 > play.maxFailPercentage
          ? `more than ${play.maxFailPercentage}% of the batch failed (max_fail_percentage)`
          : down === batch.length
            ? 'every host of the batch failed'
            : undefined;
    if (reason) {
      this.options.reporter.handle({ event: 'warning', message: `stopping "${play.name}" before the next task or batch: ${reason}` });
      throw new PlayAborted();
    }
  }

  private async runTask(task: Task, scope: RunScope, batch: HostState[], runner: TaskRunner, handler: boolean): Promise<void> {
    const hosts = batch.filter((h) => h.active);
    if (hosts.length === 0) return;
    const targets = task.runOnce ? hosts.slice(0, 1) : hosts;
    this.options.reporter.handle({
      event: 'task_start',
      task: task.name,
      source: `${task.source.file}:${task.source.line ?? 0}`,
      handler,
      hosts: targets.map((h) => h.name),
    });
    await Promise.all(
      targets.map((host) =>
        this.limit(async () => {
          const before = new Map(Object.entries(host.facts));
          const outcomes = await runner.run(task, host, taskVariables(scope, host, task));
          this.settle(task, host, outcomes);
          const gathered = host.facts.ansible_facts;
          if (this.factCache && host.active && this.options.modules.get(task.module)?.hostFacts && gathered && typeof gathered === 'object') {
            this.factCache.write(host.name, prefixedFacts(gathered as Record<string, unknown>));
          }
          if (task.runOnce) {
            // As in Ansible, what a run_once task registers or sets holds for every host of the batch.
            const set = Object.entries(host.facts).filter(([k, v]) => before.get(k) !== v);
            for (const other of hosts) {
              for (const [k, v] of set) other.facts[k] = v;
              for (const name of host.deferred) other.deferred.add(name);
            }
          }
        }),
      ),
    );
    this.options.reporter.handle({ event: 'task_end', task: task.name });
  }

  /** Reports a host's outcomes, updates its counters and state, and records notifications. */
  private settle(task: Task, host: HostState, outcomes: readonly TaskOutcome[]): void {
    for (const o of outcomes) {
      if (task.noLog) this.options.secrets?.addNoLogOutcome(o);
      this.options.reporter.handle({
        event: 'host_result',
        task: task.name,
        host: host.name,
        status: o.status,
        item: task.noLog ? undefined : o.item,
        msg: task.noLog && o.msg ? CENSORED : o.msg,
        changes: task.noLog ? undefined : o.changes,
        reason: o.reason,
        ignored: o.ignored,
        durationMs: o.durationMs,
        result: task.noLog ? { censored: CENSORED } : o.result,
      });
    }
    const worst =
      outcomes.find((o) => o.status === HostStatus.UNREACHABLE) ??
      outcomes.find((o) => o.status === HostStatus.FAILED) ??
      outcomes.find((o) => o.status === HostStatus.CHANGED) ??
      outcomes.find((o) => o.status === HostStatus.OK) ??
      outcomes[0];
    if (!worst) return;
    countOutcome(host.counts, worst.status, worst.ignored === true);
    if (worst.status === HostStatus.UNREACHABLE) host.unreachable = true;
    else if (worst.status === HostStatus.FAILED && !worst.ignored) host.failed = true;
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
        this.enforceFailurePolicy(play, batch);
      }
    }
  }
}

export function runPlaybook(playbook: Playbook, inventory: Inventory, options: RunOptions): Promise<RunResult> {
  return new PlaybookRun(playbook, inventory, options).run();
}
