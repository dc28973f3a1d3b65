// Runs one task on one host: conditions, loop, templating, then the module's gather → plan → apply
// (apply only outside check mode), retries/until, changed_when/failed_when and register. In check mode it
// records what was planned and not applied, so later tasks that depend on it plan `deferred`.
import { UnreachableError, type Connection } from '../connection/connection.js';
import { UserError } from '../errors/user-error.js';
import { TaskFailure } from '../modules/task-failure.js';
import type { FactRequest } from '../facts/fact.js';
import { FactRecorder, NO_HOST } from '../facts/fact-recorder.js';
import type { ModuleContext, ModuleDefinition, UnappliedChange } from '../modules/module.js';
import { ChangeAction, isNoop, type Change } from '../plan/change.js';
import { keywordBoolean } from '../playbook/ansible-boolean.js';
import { evaluateCondition, evaluateExpression } from '../playbook/condition.js';
import type { Task } from '../playbook/playbook.js';
import { includeVarsFiles, readIncludedVars } from '../playbook/include-vars-files.js';
import { renderTemplateFile, renderValue } from '../playbook/templating.js';
import { HostStatus } from '../plan/host-status.js';
import type { ConnectionPool } from './connection-pool.js';
import type { HostState } from './host-state.js';
import { asBecomeUser } from './become-user-connection.js';
import { ENVIRONMENT_MODULES, withEnvironment } from './environment-connection.js';
import { taskBecome } from './task-become.js';
import { checkModuleArguments } from './module-arguments.js';
import { withLocals } from '../variables/variable-precedence.js';
import { withTaskTimeout } from './task-timeout.js';

export interface TaskOutcome {
  readonly status: HostStatus;
  readonly item?: unknown;
  /** `loop_control.label` rendered for this item: shown instead of the item. */
  readonly label?: unknown;
  readonly msg?: string;
  readonly changes?: readonly Change[];
  readonly reason?: string;
  /** DEFERRED only: what must be applied before the task can be judged. */
  readonly deferredUntil?: string;
  readonly ignored?: boolean;
  /** The value `register` stores. */
  readonly result: Record<string, unknown>;
  readonly durationMs: number;
}

/** A task that follows the one running, with its variables on the host as they are now. */
export interface AheadTask {
  readonly task: Task;
  readonly vars: Record<string, unknown>;
  /** One item of the task's loop, whose variables `vars` holds (otherwise a looping task stands for all its items). */
  readonly item?: boolean;
}

/** How many reads may travel with one task's own: a loop over many items still sends a short command. */
const READS_AHEAD = 64;

export interface TaskRunnerOptions {
  readonly modules: ReadonlyMap<string, ModuleDefinition<any, any>>;
  readonly pool: ConnectionPool;
  readonly check: boolean;
  readonly playBecome: boolean;
  readonly playBecomeUser?: string;
  /** The run's changes planned and not applied so far, shared by every play; each task sees those of earlier tasks. */
  readonly unapplied: Array<UnappliedChange & { readonly by: Task }>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The variables one loop item adds: the item, and with loop_control its index and `ansible_loop`. */
function loopVariables(task: Task, items: readonly unknown[], index: number): Record<string, unknown> {
  const vars: Record<string, unknown> = { [task.loopVar]: items[index], ansible_loop_var: task.loopVar };
  if (task.indexVar) {
    vars[task.indexVar] = index;
    vars.ansible_index_var = task.indexVar;
  }
  if (task.loopExtended) {
    const length = items.length;
    vars.ansible_loop = {
      allitems: items,
      index: index + 1,
      index0: index,
      revindex: length - index,
      revindex0: length - index - 1,
      first: index === 0,
      last: index === length - 1,
      length,
      ...(index > 0 ? { previtem: items[index - 1] } : {}),
      ...(index < length - 1 ? { nextitem: items[index + 1] } : {}),
    };
  }
  return vars;
}

/** A loop item's variables: the task's, and the item's own. */
function itemScope(task: Task, vars: Record<string, unknown>, items: readonly unknown[], index: number): Record<string, unknown> {
  return withLocals(vars, loopVariables(task, items, index), task.source);
}

/** Whether `name` appears as a variable name in `text` (a task's arguments or conditions, as JSON). */
function mentions(text: string, name: string): boolean {
  return new RegExp(`\\b${name}\\b`).test(text);
}

/** The variables a task sets besides `register`: a module's declared facts, or set_fact's keys. */
function factsSetBy(task: Task, module: ModuleDefinition<any, any> | undefined): string[] {
  if (task.module === 'set_fact') return Object.keys(task.args).filter((key) => key !== 'cacheable');
  return [...(module?.facts ?? [])];
}

function conditionsHold(conditions: readonly string[], vars: Record<string, unknown>, task: Task, field: string): boolean {
  return conditions.every((c) => evaluateCondition(c, vars, { ...task.source, field }));
}

export class TaskRunner {
  constructor(private readonly options: TaskRunnerOptions) {}

  /**
   * Runs `task` on `host` with `vars`; returns one outcome per loop item (one when the task does not loop).
   * `ahead` gives the tasks that follow, whose reads may go with this task's own (see readsOf).
   */
  async run(task: Task, host: HostState, vars: Record<string, unknown>, ahead?: () => readonly AheadTask[]): Promise<TaskOutcome[]> {
    const outcomes = await this.runItems(task, host, vars, ahead);
    if (typeof task.ignoreErrors !== 'string' || !outcomes.some((o) => o.status === HostStatus.FAILED)) return outcomes;
    // A templated ignore_errors is rendered for the host, as Ansible renders it, and read with its boolean().
    const field = { ...task.source, field: 'ignore_errors' };
    let ignore: boolean;
    try {
      ignore = keywordBoolean(renderValue(task.ignoreErrors, vars, field), 'ignore_errors', field);
    } catch (error) {
      return [this.failure(task, error, Date.now(), undefined)];
    }
    return outcomes.map((o) => (o.status === HostStatus.FAILED ? { ...o, ignored: ignore } : o));
  }

  private async runItems(task: Task, host: HostState, vars: Record<string, unknown>, ahead?: () => readonly AheadTask[]): Promise<TaskOutcome[]> {
    const started = Date.now();
    try {
      if (task.loop === undefined) {
        const outcome = await this.runOnce(task, host, vars, undefined, ahead);
        this.register(task, host, outcome.result);
        return [outcome];
      }
      const items = this.loopItems(task, vars);
      if (items.length === 0) {
        // As Ansible: a loop over nothing skips the host, and registers why under skipped_reason.
        const result = { changed: false, skipped: true, skipped_reason: 'No items in the list', results: [] };
        this.register(task, host, result);
        return [{ status: HostStatus.SKIPPED, item: undefined, reason: result.skipped_reason, result, durationMs: Date.now() - started }];
      }
      const outcomes: TaskOutcome[] = [];
      for (const [index, item] of items.entries()) {
        if (index > 0 && task.loopPause) await sleep(task.loopPause * 1000);
        const itemVars = itemScope(task, vars, items, index);
        // The first item carries the reads of the others, unless the loop pauses between them (the world may change meanwhile).
        const itemsAhead =
          index === 0 && ahead && task.loopPause === undefined
            ? () => [...items.slice(1).map((_, at) => ({ task, vars: itemScope(task, vars, items, at + 1), item: true })), ...ahead()]
            : undefined;
        const outcome = await this.runOnce(task, host, itemVars, item, itemsAhead);
        // As in Ansible, what an item sets (set_fact in a loop) is there for the next item and after the loop.
        this.learn(task, host, outcome.result);
        const label = task.loopLabel === undefined ? undefined : renderValue(task.loopLabel, itemVars, { ...task.source, field: 'loop_control.label' });
        outcomes.push(label === undefined ? outcome : { ...outcome, label });
        if (outcome.status === HostStatus.UNREACHABLE) break;
      }
      // Each result carries its loop variables, and the whole its summary message, as Ansible registers them.
      const results = outcomes.map((o, index) => ({ ...o.result, ...loopVariables(task, items, index) }));
      // ignore_errors changes what the play does next, not what is registered (Ansible: "d is failed" holds).
      // As Ansible, "failed" is there only when an item failed (r.failed is undefined otherwise).
      const failed = outcomes.some((o) => o.status === HostStatus.FAILED);
      const skipped = outcomes.every((o) => o.status === HostStatus.SKIPPED);
      this.register(task, host, {
        results,
        msg: failed ? 'One or more items failed' : skipped ? 'All items skipped' : 'All items completed',
        changed: outcomes.some((o) => o.status === HostStatus.CHANGED),
        ...(failed ? { failed } : {}),
        skipped,
      });
      return outcomes;
    } catch (error) {
      return [this.failure(task, error, started, undefined)];
    }
  }

  /**
   * include_tasks names the file (the executor loads and runs it) with the loop item's variables;
   * include_vars reads its files on the control node now, and returns their variables as facts.
   */
  private include(task: Task, vars: Record<string, unknown>): Record<string, unknown> {
    const args = renderValue(task.args, vars, task.source) as { file?: string; dir?: string; name?: string };
    if (task.module === 'include_tasks' || task.module === 'include_role') {
      const names = task.loop === undefined ? [] : [task.loopVar, ...(task.indexVar ? [task.indexVar] : []), ...(task.loopExtended ? ['ansible_loop'] : [])];
      return { include: String(args.file ?? args.name), include_args: Object.fromEntries(names.map((name) => [name, vars[name]])), changed: false };
    }
    const files = includeVarsFiles({ file: args.file === undefined ? undefined : String(args.file), dir: args.dir === undefined ? undefined : String(args.dir) }, task);
    const included = readIncludedVars(files, { ...task.source, field: 'include_vars' });
    return { ansible_facts: args.name ? { [String(args.name)]: included } : included, ansible_included_var_files: files, changed: false };
  }

  private register(task: Task, host: HostState, result: Record<string, unknown>): void {
    this.learn(task, host, result);
    if (task.register) host.facts[task.register] = result;
  }

  /** Keeps the facts a result carries, at the level Ansible gives the module that returned them. */
  private learn(task: Task, host: HostState, result: Record<string, unknown>): void {
    const facts = result.ansible_facts;
    if (facts && typeof facts === 'object') {
      // Ansible's levels: set_fact's values rank with registered results, include_vars' just below them,
      // and what any other module returns (gathered facts) below the play's own variables.
      const into = task.module === 'set_fact' ? host.facts : task.module === 'include_vars' ? host.includedVars : host.hostFacts;
      Object.assign(into, facts);
      // As in Ansible, gathered facts are also `ansible_facts.NAME`; set_fact values are variables only.
      if (this.options.modules.get(task.module)?.hostFacts) {
        const bare = Object.entries(facts).map(([name, value]) => [name.replace(/^ansible_/, ''), value]);
        host.hostFacts.ansible_facts = { ...(host.hostFacts.ansible_facts as object | undefined), ...Object.fromEntries(bare) };
      }
    }
  }

  /** A change is counted as it begins and as it ends: no fact read before or during it is reused after it. */
  private async applying<T>(module: ModuleDefinition<any, any>, change: () => Promise<T>): Promise<T> {
    if (module.changesNoHost) return change();
    this.options.pool.changes.bump();
    try {
      return await change();
    } finally {
      this.options.pool.changes.bump();
    }
  }

  private failure(task: Task, error: unknown, started: number, item: unknown): TaskOutcome {
    const unreachable = error instanceof UnreachableError;
    const msg = error instanceof Error ? error.message : String(error);
    return {
      status: unreachable ? HostStatus.UNREACHABLE : HostStatus.FAILED,
      item,
      msg,
      ignored: !unreachable && task.ignoreErrors === true,
      result: { ...(error instanceof TaskFailure ? error.result : {}), failed: true, unreachable, msg },
      durationMs: Date.now() - started,
    };
  }

  /** In check mode a task that reads a result only a real run would produce cannot be planned honestly. */
  private deferredOn(task: Task, host: HostState): string | undefined {
    if (!this.options.check || host.deferred.size === 0) return undefined;
    const text = JSON.stringify([task.args, task.when, task.loop, task.changedWhen, task.failedWhen]);
    return [...host.deferred].find((name) => mentions(text, name));
  }

  /** What a deferred task would have registered or set is unknown too: tasks reading it are deferred in turn. */
  private markDeferred(task: Task, host: HostState): void {
    if (task.register) host.deferred.add(task.register);
    for (const name of factsSetBy(task, this.options.modules.get(task.module))) host.deferred.add(name);
  }

  /** The module's arguments on this host: templated, marked `sensitive` under no_log, checked against its schema. */
  private argumentsOf(task: Task, module: ModuleDefinition<any, any>, vars: Record<string, unknown>): Record<string, unknown> {
    const rendered = { ...(renderValue(task.args, vars, task.source) as Record<string, unknown>) };
    const properties = (module.schema as { properties?: Record<string, unknown> }).properties ?? {};
    if (task.noLog && 'sensitive' in properties) rendered.sensitive = true;
    return checkModuleArguments(module, rendered, task.source);
  }

  private becomeOf(task: Task, vars: Record<string, unknown>): { become: boolean; becomeUser: string } {
    return taskBecome(task, vars, { become: this.options.playBecome, becomeUser: this.options.playBecomeUser });
  }

  private contextOf(task: Task, host: HostState, vars: Record<string, unknown>, become: boolean, becomeUser: string): ModuleContext {
    return {
      host: host.name,
      vars,
      baseDir: task.baseDir,
      searchPaths: task.searchPaths,
      become,
      becomeUser,
      render: (text, source, extra) => renderTemplateFile(text, extra ? withLocals(vars, extra, task.source) : vars, source) as string,
      evaluate: (expression) => evaluateExpression(expression, vars, task.source),
      unappliedChanges: this.options.unapplied.filter((c) => c.by !== task).map(({ host: on, task: name, target }) => ({ host: on, task: name, target })),
    };
  }

  /**
   * The fact reads the tasks `ahead` will make on `host` in their turn, as far as they are known now: each
   * one's gather (each loop item's), run with a recorder in place of the host, up to its first read. A task
   * is left out when its reads cannot be known now or would not go the same way: until, delegate_to,
   * remote_user, a time limit, a loop that pauses, another privilege, a loop or condition not yet computable
   * (it reads what an earlier task registers) or a false condition. Working them out changes nothing: a
   * template's lookups only read on the control node.
   */
  private async readsOf(ahead: readonly AheadTask[], host: HostState, become: boolean, becomeUser: string): Promise<FactRequest[]> {
    const requests: FactRequest[] = [];
    for (const { task, vars, item } of ahead) {
      const module = this.options.modules.get(task.module);
      if (!module?.readsAhead || task.until !== undefined || task.timeout !== undefined || task.loopPause !== undefined) continue;
      if (task.delegateTo !== undefined || task.remoteUser !== undefined || this.deferredOn(task, host)) continue;
      try {
        for (const itemVars of item || task.loop === undefined ? [vars] : this.itemVariables(task, vars)) {
          if (requests.length >= READS_AHEAD) return requests;
          if (!conditionsHold(task.when, itemVars, task, 'when')) continue;
          const args = this.argumentsOf(task, module, itemVars);
          const privilege = this.becomeOf(task, itemVars);
          if (privilege.become !== become || privilege.becomeUser !== becomeUser) continue;
          const recorder = new FactRecorder();
          await module.gather(args, { ...this.contextOf(task, host, itemVars, become, becomeUser), facts: recorder, connection: NO_HOST }).catch(() => undefined);
          requests.push(...recorder.requests);
        }
      } catch {
        // Not known yet: the task reads in its turn.
      }
    }
    return requests;
  }

  /** Each item's variables for the task's loop. */
  private itemVariables(task: Task, vars: Record<string, unknown>): Record<string, unknown>[] {
    const items = this.loopItems(task, vars);
    return items.map((_, index) => itemScope(task, vars, items, index));
  }

  private loopItems(task: Task, vars: Record<string, unknown>): unknown[] {
    const items = renderValue(task.loop, vars, { ...task.source, field: 'loop' });
    if (!Array.isArray(items)) throw new UserError(`loop must be a list, got ${typeof items}`, undefined, { ...task.source, field: 'loop' });
    return items;
  }

  private async runOnce(task: Task, host: HostState, vars: Record<string, unknown>, item: unknown, ahead?: () => readonly AheadTask[]): Promise<TaskOutcome> {
    const started = Date.now();
    const skipped = (reason: string): TaskOutcome => ({
      status: HostStatus.SKIPPED,
      item,
      reason,
      result: { skipped: true, changed: false, skip_reason: reason },
      durationMs: Date.now() - started,
    });
    try {
      const dependsOn = this.deferredOn(task, host);
      if (dependsOn) {
        this.markDeferred(task, host);
        return {
          status: HostStatus.DEFERRED,
          item,
          deferredUntil: `depends on "${dependsOn}", known only after a real run`,
          result: { skipped: true, changed: false, skip_reason: `depends on "${dependsOn}"` },
          durationMs: Date.now() - started,
        };
      }
      if (!conditionsHold(task.when, vars, task, 'when')) return skipped('Conditional result was False');
      if (task.module === 'include_tasks' || task.module === 'include_role' || task.module === 'include_vars') {
        const result = this.include(task, vars);
        return { status: HostStatus.OK, item, result, durationMs: Date.now() - started };
      }

      const module = this.options.modules.get(task.module);
      if (!module) throw new UserError(`unknown module "${task.module}"`, undefined, task.source);
      const args = this.argumentsOf(task, module, vars);
      const { become, becomeUser } = this.becomeOf(task, vars);
      const delegate = task.delegateTo === undefined ? undefined : String(renderValue(task.delegateTo, vars, task.source));
      const remoteUser = task.remoteUser === undefined ? undefined : String(renderValue(task.remoteUser, vars, { ...task.source, field: 'remote_user' }));
      const connection = this.options.pool.get(module.controlOnly ? 'localhost' : (delegate ?? host.name), remoteUser);
      const environment = ENVIRONMENT_MODULES.includes(task.module)
        ? (renderValue(task.environment, vars, { ...task.source, field: 'environment' }) as Record<string, unknown>)
        : {};
      const context = this.contextOf(task, host, vars, become, becomeUser);
      if (ahead && module.readsAhead && connection === this.options.pool.get(host.name) && task.until === undefined && task.timeout === undefined) {
        this.options.pool.factReader(connection, become, becomeUser).readAhead(await this.readsOf(ahead(), host, become, becomeUser));
      }

      const attempts = task.until ? (task.retries ?? 3) + 1 : 1;
      let outcome: TaskOutcome | undefined;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        outcome = await withTaskTimeout(task, host.name, connection, (bounded) => this.attempt(task, module, args, context, connection, asBecomeUser(withEnvironment(bounded, environment), becomeUser), host, item, started));
        if (!task.until || outcome.status === HostStatus.UNREACHABLE) break;
        // A command planned and not run (check mode) has no output for "until" to judge.
        if (task.register && host.deferred.has(task.register)) break;
        // Ansible records how many attempts an "until" loop took in the registered result.
        outcome = { ...outcome, result: { ...outcome.result, attempts: attempt } };
        const scope = withLocals(vars, task.register ? { [task.register]: outcome.result } : {}, task.source);
        if (evaluateCondition(task.until, scope, { ...task.source, field: 'until' })) break;
        if (attempt === attempts) {
          // Ansible then registers one attempt fewer than it made (its retries); a playbook reading it must see the same.
          const result = { ...outcome.result, attempts: attempts - 1, failed: true };
          outcome = { ...outcome, result, status: HostStatus.FAILED, msg: `"until" was still false after ${attempts} attempts`, ignored: task.ignoreErrors === true };
          break;
        }
        await sleep((task.delay ?? 5) * 1000);
      }
      return outcome!;
    } catch (error) {
      return this.failure(task, error, started, item);
    }
  }

  private async attempt(
    task: Task,
    module: ModuleDefinition<any, any>,
    args: Record<string, unknown>,
    context: ModuleContext,
    shared: Connection,
    connection: Connection,
    host: HostState,
    item: unknown,
    started: number,
  ): Promise<TaskOutcome> {
    // Facts are cached per host connection for the whole run; `connection` may be this task's bounded view of it.
    const facts = this.options.pool.factReader(shared, context.become, context.becomeUser);
    const gathered = await module.gather(args, { ...context, facts, connection });
    if (module.waits) this.options.pool.changes.bump();
    const plan = module.plan(args, gathered, context);
    let result: Record<string, unknown>;
    let changed = !isNoop(plan);
    let failed = false;
    let msg: string | undefined;
    let reason = plan.reason ?? plan.deferred;
    const planOnly = this.options.check && !task.alwaysApply;
    // A command planned and not run has no output: conditions reading its registered result cannot be judged.
    const outputUnknown = planOnly && changed && !module.idempotent;
    if (planOnly && plan.deferred !== undefined) {
      this.markDeferred(task, host);
      return { status: HostStatus.DEFERRED, item, deferredUntil: plan.deferred, result: { ...(plan.result ?? {}), changed: false }, durationMs: Date.now() - started };
    }
    if (planOnly || !changed) {
      result = { ...(plan.result ?? {}), changed };
      if (outputUnknown && task.register) host.deferred.add(task.register);
      if (planOnly && changed) {
        for (const c of plan.changes) if (c.action !== ChangeAction.NOOP) this.options.unapplied.push({ host: host.name, task: task.name, target: c.target, by: task });
      }
    } else {
      const applied = await this.applying(module, () => module.apply(args, plan, { ...context, connection }));
      changed = applied.changed;
      failed = applied.failed === true;
      msg = applied.msg;
      reason = applied.reason ?? reason;
      result = { ...(applied.result ?? {}), changed, failed, ...(msg ? { msg } : {}) };
    }

    const scope = withLocals(context.vars, task.register ? { [task.register]: result } : {}, task.source);
    const judged = (conditions: readonly string[]) => !(outputUnknown && task.register && mentions(JSON.stringify(conditions), task.register));
    if (typeof task.changedWhen === 'boolean') changed = task.changedWhen;
    else if (task.changedWhen && judged(task.changedWhen)) changed = conditionsHold(task.changedWhen, scope, task, 'changed_when');
    if (typeof task.failedWhen === 'boolean') failed = task.failedWhen;
    else if (task.failedWhen && judged(task.failedWhen)) failed = conditionsHold(task.failedWhen, scope, task, 'failed_when');
    result = { ...result, changed, failed };

    const status = failed ? HostStatus.FAILED : changed ? HostStatus.CHANGED : HostStatus.OK;
    return {
      status,
      item,
      // A list or mapping (debug's msg) is shown as JSON, as Ansible shows it, rather than not at all.
      msg: msg ?? plan.shown ?? (typeof result.msg === 'string' || result.msg === undefined ? result.msg : JSON.stringify(result.msg)),
      changes: plan.changes,
      reason,
      ignored: failed && task.ignoreErrors === true,
      result,
      durationMs: Date.now() - started,
    };
  }
}
