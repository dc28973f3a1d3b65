// The module contract (the heart of idempotence): a schema for the arguments, `gather` that only reads,
// `plan` that is pure, and `apply` that performs exactly the planned changes.
// Check mode is simply "plan, never apply": there is no second code path.
import type { JSONSchemaType } from 'ajv';
import type { Connection } from '../connection/connection.js';
import type { FactReader } from '../facts/fact.js';
import type { TaskPlan } from '../plan/change.js';

/** A change an earlier task of this run planned and did not apply (check mode and `plan` apply nothing). */
export interface UnappliedChange {
  readonly host: string;
  readonly task: string;
  /** The change's target, e.g. `member n4` or `/etc/etcd/etcd.conf.yml`. */
  readonly target: string;
}

/** What a module may read from the control node while gathering and planning. */
export interface ModuleContext {
  /** Inventory name of the host. */
  readonly host: string;
  /** Every variable visible to the task on this host (already templated arguments are passed separately). */
  readonly vars: Readonly<Record<string, unknown>>;
  /** Folder of the playbook (or role) the task comes from: relative `src` paths resolve against it. */
  readonly baseDir: string;
  /** Extra folders searched for `src` files (role `files/`, `templates/`), in order. */
  readonly searchPaths: readonly string[];
  /** Whether the task runs with `become`. */
  readonly become: boolean;
  /** Whom `become` runs as (default root); the task's connection already applies it. */
  readonly becomeUser?: string;
  /** Renders a template file's text with the task's variables and `extra` ones above them; the extension of `source` picks the engine. */
  render(text: string, source: string, extra?: Readonly<Record<string, unknown>>): string;
  /** Evaluates a condition expression (Ansible's `when` syntax) with the task's variables. */
  evaluate(expression: string): unknown;
  /**
   * Changes earlier tasks of this run (on any host) planned but did not apply: always empty in a real run.
   * What they would make does not exist yet, so a module that reads the result of one (a gate waiting for
   * a restarted cluster, a promotion of a member added earlier) plans `deferred` instead of judging today's state.
   */
  readonly unappliedChanges: readonly UnappliedChange[];
}

export interface GatherContext extends ModuleContext {
  readonly facts: FactReader;
  /** Direct access for modules whose gathering is not a simple fact (e.g. an etcd client over TLS). */
  readonly connection: Connection;
}

export interface ApplyContext extends ModuleContext {
  readonly connection: Connection;
}

export interface ApplyResult {
  readonly changed: boolean;
  /** Values registered with `register` (rc, stdout, ... for commands). */
  readonly result?: Readonly<Record<string, unknown>>;
  /** Set when the module failed; `msg` is shown to the user. */
  readonly failed?: boolean;
  readonly msg?: string;
  /** What apply found when it changed nothing, e.g. a gate's verdict after it waited (shown like a no-op's reason). */
  readonly reason?: string;
}

export interface ModuleDefinition<A = Record<string, unknown>, F = unknown> {
  readonly name: string;
  /** One line for `etcdops doc`. */
  readonly description: string;
  /** JSON Schema of the arguments; every property has a description. */
  readonly schema: JSONSchemaType<A> | Record<string, unknown>;
  /** A YAML task using this module, for `etcdops doc MODULE`. */
  readonly example: string;
  /** The argument used when the task gives a bare string (`command: ls` → `{cmd: "ls"}`). */
  readonly freeForm?: keyof A & string;
  /** Ansible's other names of arguments (alias → argument), read as the argument at load. */
  readonly aliases?: Readonly<Record<string, keyof A & string>>;
  /** False for modules whose effect cannot be predicted (command, shell): they honour creates/removes/changed_when. */
  readonly idempotent: boolean;
  /** Names of the facts the module sets on a host (through `ansible_facts`), so they count as defined. */
  readonly facts?: readonly string[];
  /** The `ansible_facts` it returns are host facts (setup): also visible without the prefix under `ansible_facts`. */
  readonly hostFacts?: boolean;
  /**
   * Its gather reads the host through `facts` only, and nothing else but the control node's files: the
   * reads of a task using it may be sent ahead with an earlier task's (see TaskRunner.readsOf).
   */
  readonly readsAhead?: boolean;
  /**
   * It waits in its gather (for a time, or for the operator) and changes nothing itself; the hosts may change
   * meanwhile, so nothing read before it is reused after it.
   */
  readonly waits?: boolean;
  /**
   * Its apply changes nothing any fact reads, on any host (the run lock: a key on a lease in etcd), so what
   * was read before it stays true after it.
   */
  readonly changesNoHost?: boolean;
  /** True for modules that run only on the control node (debug, set_fact, assert): no connection is used. */
  readonly controlOnly?: boolean;
  gather(args: A, ctx: GatherContext): Promise<F>;
  /** Pure: no connection here. */
  plan(args: A, facts: F, ctx: ModuleContext): TaskPlan;
  apply(args: A, plan: TaskPlan, ctx: ApplyContext): Promise<ApplyResult>;
}

export function defineModule<A, F>(definition: ModuleDefinition<A, F>): ModuleDefinition<A, F> {
  return definition;
}
