// Checks made before any host is contacted, so a typo fails the run at once instead of half-way through
// a rolling change: every variable a task's arguments use is defined somewhere (inventory, play, extra
// vars, an earlier register or set_fact, a loop), and every `src` file a task names exists and, for
// templates, parses with its engine.
import { readFileSync } from 'node:fs';
import { ParseError } from '../errors/user-error.js';
import type { Inventory } from '../inventory/inventory.js';
import type { ModuleDefinition } from '../modules/module.js';
import { resolveSource } from '../playbook/source-path.js';
import { KNOWN_FILTERS, KNOWN_TESTS } from '../playbook/condition.js';
import { jinjaSyntaxProblem } from '../playbook/jinja-engine.js';
import { hasJinja, inspectTemplate } from '../playbook/jinja-source.js';
import { flattenTasks, type Playbook, type Task } from '../playbook/playbook.js';
import { includeVarsFiles, readIncludedVars } from '../playbook/include-vars-files.js';
import { MAGIC_VARIABLES } from '../variables/variable-precedence.js';
import { UnsafeText } from '../yaml/pyyaml-compat.js';


/** Root names of the variables a Jinja text must find (reads under `default` or `is defined` may be missing). */
function variablesRead(text: string): string[] {
  try {
    return inspectTemplate(text).references.filter((r) => !r.tolerant).map((r) => r.path[0]!);
  } catch {
    // Syntax errors are reported by the loader with their own message.
    return [];
  }
}

/** A template file's syntax, filters and tests, by its engine (a `{%` in a `.hbs` file is an error, never text). */
function checkTemplateFile(path: string): void {
  const text = readFileSync(path, 'utf8');
  if (path.endsWith('.hbs')) {
    const at = text.indexOf('{%');
    if (at >= 0) {
      throw new ParseError(`'{%' is Jinja syntax, but a .hbs file is a Handlebars template: rename it to .j2 to use Jinja`, { file: path, line: text.slice(0, at).split('\n').length });
    }
    return;
  }
  const problem = jinjaSyntaxProblem(text, KNOWN_FILTERS, KNOWN_TESTS);
  if (problem) throw new ParseError(`invalid Jinja: ${problem.message}`, { file: path, line: problem.line });
}

function strings(value: unknown, path: string, out: [string, string][]): [string, string][] {
  if (value instanceof UnsafeText) return out;
  if (typeof value === 'string') {
    if (hasJinja(value)) out.push([path, value]);
  } else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) strings(v, path ? `${path}.${k}` : k, out);
  return out;
}

function definedBy(task: Task, modules: ReadonlyMap<string, ModuleDefinition<any, any>>): string[] {
  const names = [...Object.keys(task.vars), ...Object.keys(task.includeParams ?? {}), task.loopVar, ...(task.indexVar ? [task.indexVar] : [])];
  if (task.register) names.push(task.register);
  if (task.module === 'set_fact') names.push(...Object.keys(task.args));
  if (task.module === 'include_vars' && typeof task.args.name === 'string') names.push(task.args.name);
  else if (task.module === 'include_vars' && !hasJinja(JSON.stringify(task.args))) names.push(...Object.keys(readIncludedVars(includeVarsFiles(task.args, task), task.source)));
  names.push(...(modules.get(task.module)?.facts ?? []));
  return names;
}

export function preflight(
  playbook: Playbook,
  inventory: Inventory,
  extraVars: Readonly<Record<string, unknown>>,
  modules: ReadonlyMap<string, ModuleDefinition<any, any>>,
): void {
  const known = new Set<string>([...Object.keys(MAGIC_VARIABLES), ...Object.keys(extraVars)]);
  for (const host of inventory.hosts.values()) for (const name of Object.keys(host.vars)) known.add(name);
  for (const group of inventory.groups.values()) for (const name of Object.keys(group.vars)) known.add(name);
  const plays = playbook.plays;
  const allTasks = (p: (typeof plays)[number]) => flattenTasks([...p.preTasks, ...p.tasks, ...p.postTasks, ...p.handlers]);
  // Facts persist from play to play, and handlers may read what any task registered: collect first.
  for (const play of plays) {
    for (const name of [...Object.keys(play.vars), ...Object.keys(play.roleDefaults)]) known.add(name);
    if (play.gatherFacts) for (const name of modules.get('setup')?.facts ?? []) known.add(name);
    for (const task of allTasks(play)) for (const name of definedBy(task, modules)) known.add(name);
  }
  // Tasks included at run time, and vars files named by templates, may define any name: no check can be sure.
  const dynamic = plays.some((play) => allTasks(play).some((task) => task.module === 'include_tasks' || task.module === 'include_role' || (task.module === 'include_vars' && hasJinja(JSON.stringify(task.args)))));
  for (const play of plays) {
    for (const task of allTasks(play)) {
      for (const [field, text] of strings(task.args, task.module, [])) {
        const missing = dynamic ? undefined : variablesRead(text).find((name) => !known.has(name));
        if (missing) {
          throw new ParseError(
            `undefined variable "${missing}": not set in the inventory, the play, -e, or by any register/set_fact`,
            { ...task.source, field },
          );
        }
      }
      const src = task.args.src;
      if ((task.module === 'template' || task.module === 'copy') && typeof src === 'string' && !hasJinja(src) && task.args.remote_src !== true) {
        let path: string;
        try {
          path = resolveSource(src, task, task.module === 'template' ? 'templates' : 'files');
        } catch (error) {
          throw new ParseError((error as Error).message, { ...task.source, field: `${task.module}.src` });
        }
        if (task.module === 'template') checkTemplateFile(path);
      }
    }
  }
}
