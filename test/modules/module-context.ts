// Test helper: a module context on this machine (LocalConnection, Handlebars with noEscape, a stub
// evaluator that looks variables up by dotted path), and a converge helper: gather, plan, apply, gather again.
import Handlebars from 'handlebars';
import { LocalConnection } from '../../src/connection/local.js';
import { FactReader } from '../../src/facts/fact.js';
import type { ApplyResult, GatherContext, ModuleContext, ModuleDefinition } from '../../src/modules/module.js';
import type { TaskPlan } from '../../src/plan/change.js';

export function lookup(vars: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v === null || v === undefined ? undefined : (v as Record<string, unknown>)[key]), vars);
}

export function moduleContext(vars: Record<string, unknown> = {}, baseDir = '/nonexistent', searchPaths: string[] = []): ModuleContext {
  return {
    host: 'localhost',
    vars,
    baseDir,
    searchPaths,
    become: false,
    render: (text) => Handlebars.compile(text, { noEscape: true, strict: true })(vars),
    evaluate: (expression) => lookup(vars, expression.trim()),
    unappliedChanges: [],
  };
}

export function gatherContext(base: ModuleContext, connection = new LocalConnection()): GatherContext & { connection: LocalConnection } {
  return { ...base, connection, facts: new FactReader(connection) };
}

export interface Convergence {
  readonly first: TaskPlan;
  readonly applied: ApplyResult;
  readonly second: TaskPlan;
  /** Commands run by the second gather (the no-op check). */
  readonly checkCommands: number;
}

/** Runs a module twice the way the executor will: the second plan must be empty. */
export async function converge<A, F>(module: ModuleDefinition<A, F>, args: NoInfer<A>, base: ModuleContext): Promise<Convergence> {
  const connection = new LocalConnection();
  const ctx = gatherContext(base, connection);
  const first = module.plan(args, await module.gather(args, ctx), base);
  const applied = await module.apply(args, first, ctx);
  const again = gatherContext(base, connection);
  const before = connection.stats.commands;
  const second = module.plan(args, await module.gather(args, again), base);
  return { first, applied, second, checkCommands: connection.stats.commands - before };
}
