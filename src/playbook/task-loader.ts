// Turns a YAML list of tasks into validated task trees: keywords, the one module and its arguments,
// `import_tasks` inlined at load time, `block`/`rescue`/`always` kept as blocks (what a block shares is
// passed down to its tasks), `include_tasks` loaded when it runs, `include_vars` read when it runs.
import { dirname, isAbsolute, join } from 'node:path';
import { ParseError, type SourceLocation } from '../errors/user-error.js';
import { booleanWord } from './ansible-boolean.js';
import { expressionSyntaxProblem } from './condition.js';
import { COMMAND_LIKE_MODULES, FreeFormProblem, parseFreeForm, type FreeFormArgs } from './free-form-args.js';
import { hasJinja } from './jinja-source.js';
import { checkShellQuoting, checkTemplates } from './template-checks.js';
import { KINDS, TASK_KEYWORDS } from './keywords.js';
import { checkModuleArgs, type ModuleSpec } from './module-args.js';
import type { Task, TaskBlock, TaskNode } from './playbook.js';
import { loadRole } from './role-loader.js';
import { closest, didYouMean, suggestModule } from './suggest.js';
import { UNSUPPORTED_META_ACTIONS, UNSUPPORTED_TASK_KEYWORDS, withLookupProblem } from './unsupported-ansible.js';
import { readYaml, type PathSegment, type YamlSource } from '../yaml/located-yaml.js';

/** What a task inherits from the play, role, import or block that contains it. */
export interface TaskScope {
  readonly when: readonly string[];
  readonly tags: readonly string[];
  readonly vars: Readonly<Record<string, unknown>>;
  readonly become?: boolean;
  readonly becomeUser?: string;
  readonly anyErrorsFatal?: boolean;
  readonly environment: Readonly<Record<string, unknown>>;
  readonly remoteUser?: string;
  /** The role the tasks belong to (listed as `ROLE : task`). */
  readonly role?: string;
  /** Defaults of a role included at run time (include_role): below inventory vars, for its tasks only. */
  readonly roleDefaults?: Readonly<Record<string, unknown>>;
  /** `vars:` of the includes that brought the tasks, outermost first: Ansible's include (and role) params. */
  readonly includeParams?: Readonly<Record<string, unknown>>;
  readonly baseDir: string;
  readonly searchPaths: readonly string[];
}

/** What import_role adds to the play: the imported roles' handlers, defaults and vars. */
export interface ImportedRoles {
  readonly handlers: TaskNode[];
  readonly defaults: Record<string, unknown>;
  readonly vars: Record<string, unknown>;
}

export interface TaskLoadOptions {
  readonly modules: ReadonlyMap<string, ModuleSpec>;
  /** Whether these are handlers (only handlers may `listen`). */
  readonly handlers: boolean;
  /** Files being imported, to report an import cycle instead of recursing forever. */
  readonly importing: readonly string[];
  /** The playbook's folder: roles are found in its `roles/`. */
  readonly playbookDir: string;
  readonly importedRoles: ImportedRoles;
}

/** Values `meta:` accepts. */
export const META_ACTIONS = ['flush_handlers', 'noop', 'end_play', 'end_host'] as const;
const BUILTIN_PREFIX = 'ansible.builtin.';
const SCOPE_KEYWORDS = ['name', 'when', 'tags', 'vars', 'become', 'become_user', 'any_errors_fatal', 'environment', 'remote_user'];
/** Actions the executor itself performs (no module file): they change what runs or what is known. */
export const EXECUTOR_ACTIONS = ['meta', 'include_tasks', 'include_vars', 'include_role'] as const;
/** Ansible actions and task keywords etcdops refuses, and what to write instead. */
const REFUSED_ACTIONS: Readonly<Record<string, string>> = {
  include: "'include' is deprecated in Ansible (removed in 2.16); use import_tasks (static) or include_tasks (at run time)",
  import_playbook: 'import_playbook is only valid as a whole entry of the playbook (- import_playbook: FILE)',
};

type Raw = Record<string, unknown>;

const toList = (value: unknown): string[] =>
  value === undefined || value === null ? [] : Array.isArray(value) ? value.map(String) : [String(value)];
const toTags = (value: unknown): string[] => toList(value).flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
const union = (a: readonly string[], b: readonly string[]): string[] => [...new Set([...a, ...b])];

function scopeFrom(raw: Raw, scope: TaskScope): TaskScope {
  return {
    ...scope,
    when: [...scope.when, ...toList(raw.when)],
    tags: union(scope.tags, toTags(raw.tags)),
    vars: { ...scope.vars, ...((raw.vars ?? {}) as Raw) },
    become: (raw.become as boolean | undefined) ?? scope.become,
    becomeUser: (raw.become_user as string | undefined) ?? scope.becomeUser,
    anyErrorsFatal: (raw.any_errors_fatal as boolean | undefined) ?? scope.anyErrorsFatal,
    environment: { ...scope.environment, ...((raw.environment ?? {}) as Raw) },
    remoteUser: (raw.remote_user as string | undefined) ?? scope.remoteUser,
  };
}

function checkKeywords(raw: Raw, source: YamlSource, path: readonly PathSegment[]): void {
  for (const [key, value] of Object.entries(raw)) {
    const keyword = Object.hasOwn(TASK_KEYWORDS, key) ? TASK_KEYWORDS[key] : undefined;
    if (!keyword) continue;
    const kind = KINDS[keyword.kind];
    if (!kind.check(value)) throw new ParseError(`${key} must be ${kind.expected}`, source.locate([...path, key]));
    if (keyword.kind === 'conditions' || key === 'until') {
      for (const [i, condition] of (Array.isArray(value) ? value : [value]).entries()) {
        if (typeof condition !== 'string') continue;
        const problem = expressionSyntaxProblem(condition);
        if (problem) {
          const at = source.locate(Array.isArray(value) ? [...path, key, i] : [...path, key]);
          throw new ParseError(`invalid condition "${condition}": ${problem}`, at);
        }
      }
    }
  }
  // Ansible runs such a task as a dry run inside a real run; etcdops would change the host: never accept it.
  if (raw.check_mode === true) {
    throw new ParseError('check_mode: true on a task is not supported (only check_mode: false is); run the whole playbook with --check (-C) for a dry run, or leave the task out', source.locate([...path, 'check_mode']));
  }
  // Ansible 2.14 makes one attempt and reports it ok whatever "until" says when retries is 0: never run it differently.
  if (raw.until !== undefined && raw.retries === 0) {
    throw new ParseError('retries: 0 with until: Ansible 2.14 then ignores until (one attempt, never failed by it); give retries: 1 or more, or drop until', source.locate([...path, 'retries']));
  }
}

function onlyKeys(raw: Raw, allowed: readonly string[], what: string, source: YamlSource, path: readonly PathSegment[]): void {
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key)) {
      throw new ParseError(`'${key}' cannot be used with ${what}; allowed: ${allowed.join(', ')}`, source.locate([...path, key], { key: true }));
    }
  }
}

/** Loads and validates a list of tasks (at `path` in `source`), inlining imports and keeping blocks. */
export async function loadTasks(
  list: unknown,
  source: YamlSource,
  path: readonly PathSegment[],
  scope: TaskScope,
  options: TaskLoadOptions,
): Promise<TaskNode[]> {
  if (list === null || list === undefined) return [];
  if (!Array.isArray(list)) throw new ParseError(`expected a list of tasks`, source.locate(path));
  const tasks: TaskNode[] = [];
  for (const [index, entry] of list.entries()) {
    const at = [...path, index];
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new ParseError('a task must be a mapping such as {name: ..., MODULE: {...}}', source.locate(at));
    }
    const raw = entry as Raw;
    checkKeywords(raw, source, at);
    if ('import_tasks' in raw) {
      onlyKeys(raw, ['import_tasks', ...SCOPE_KEYWORDS], 'import_tasks', source, at);
      tasks.push(...(await importTasks(raw, source, at, scopeFrom(raw, scope), options)));
    } else if ('import_role' in raw || `${BUILTIN_PREFIX}import_role` in raw) {
      tasks.push(...(await importRole(raw, source, at, scope, options)));
    } else if ('block' in raw) {
      tasks.push(await loadBlock(raw, source, at, scope, options));
    } else {
      for (const section of ['rescue', 'always']) {
        if (section in raw) throw new ParseError(`'${section}' belongs to a 'block:'; put the tasks it guards under 'block:'`, source.locate([...at, section], { key: true }));
      }
      const roleKey = ['include_role', `${BUILTIN_PREFIX}include_role`].find((key) => key in raw);
      tasks.push(buildTask(raw, source, at, scope, options, roleKey ? await roleIncluder(raw, roleKey, source, at, includedScope(raw, scope), options) : undefined));
    }
  }
  return tasks;
}

async function loadBlock(raw: Raw, source: YamlSource, at: readonly PathSegment[], scope: TaskScope, options: TaskLoadOptions): Promise<TaskBlock> {
  onlyKeys(raw, ['block', 'rescue', 'always', ...SCOPE_KEYWORDS], 'block', source, at);
  const own = scopeFrom(raw, scope);
  const section = (key: string) => loadTasks(raw[key], source, [...at, key], own, options);
  const block: TaskBlock = { block: await section('block'), rescue: await section('rescue'), always: await section('always'), source: source.locate(at) };
  if (options.handlers && (block.rescue.length > 0 || block.always.length > 0)) {
    throw new ParseError(`'rescue' and 'always' are not supported in handlers; give the handler's recovery its own task`, source.locate(at));
  }
  return block;
}

async function importTasks(raw: Raw, source: YamlSource, at: readonly PathSegment[], scope: TaskScope, options: TaskLoadOptions): Promise<TaskNode[]> {
  // An absolute path stays absolute, as in Ansible.
  const given = String(raw.import_tasks);
  const file = isAbsolute(given) ? given : join(dirname(source.file), given);
  const where = source.locate([...at, 'import_tasks']);
  if (options.importing.includes(file)) throw new ParseError(`import cycle: ${[...options.importing, file].join(' -> ')}`, where);
  const imported = await readYaml(file, 'tasks', where, 'imported task file');
  return loadTasks(imported.value, imported, [], scope, { ...options, importing: [...options.importing, file] });
}

/** The role name and tasks_from of an import_role/include_role entry, checked (a templated name is refused). */
function roleReference(raw: Raw, key: string, source: YamlSource, at: readonly PathSegment[]): { name: string; tasksFrom: string } {
  const value = raw[key];
  const where = source.locate([...at, key]);
  const args: Raw = typeof value === 'string' ? Object.fromEntries(value.trim().split(/\s+/).map((word) => [word.split('=')[0], word.split('=').slice(1).join('=')])) : (value as Raw) ?? {};
  if (typeof args !== 'object' || Array.isArray(args)) throw new ParseError(`${key} takes a mapping with name (and tasks_from)`, where);
  for (const option of Object.keys(args)) {
    if (!['name', 'tasks_from'].includes(option)) throw new ParseError(`${key} option '${option}' is not supported; it takes name and tasks_from`, source.locate([...at, key, option], { key: true }));
  }
  const name = args.name;
  if (typeof name !== 'string' || name === '') throw new ParseError(`${key} needs 'name: ROLE'`, where);
  if (hasJinja(name) || (typeof args.tasks_from === 'string' && hasJinja(args.tasks_from))) {
    throw new ParseError(`${key}: a templated role or tasks_from is not supported; name the role literally`, where);
  }
  return { name, tasksFrom: typeof args.tasks_from === 'string' ? args.tasks_from.replace(/\.ya?ml$/, '') : 'main' };
}

/** `import_role`: the role's tasks inline at load; its handlers, defaults and vars join the play (Ansible's import). */
async function importRole(raw: Raw, source: YamlSource, at: readonly PathSegment[], scope: TaskScope, options: TaskLoadOptions): Promise<TaskNode[]> {
  const key = 'import_role' in raw ? 'import_role' : `${BUILTIN_PREFIX}import_role`;
  onlyKeys(raw, [key, ...SCOPE_KEYWORDS], 'import_role', source, at);
  const { name, tasksFrom } = roleReference(raw, key, source, at);
  const role = await loadRole({ role: name }, source, [...at, key], scopeFrom(raw, scope), options, tasksFrom);
  options.importedRoles.handlers.push(...role.handlers);
  Object.assign(options.importedRoles.defaults, role.defaults);
  Object.assign(options.importedRoles.vars, role.vars);
  return role.tasks;
}

/**
 * What an include (include_tasks, include_role) hands its tasks: the enclosing scope, with the include's
 * own `vars:` as include params, which rank above set_fact (variable-precedence.ts), not as task vars.
 */
function includedScope(raw: Raw, scope: TaskScope): TaskScope {
  const own = scopeFrom({ ...raw, vars: undefined }, scope);
  return { ...own, when: scope.when, tags: scope.tags, includeParams: { ...scope.includeParams, ...((raw.vars ?? {}) as Raw) } };
}

/** Per play, the included roles whose handlers were already added. */
const rolesWithHandlersJoined = new WeakMap<ImportedRoles, Set<string>>();

/** Tasks of an included role, each carrying the role's defaults and vars (they stay with the role's own tasks). */
function withRoleVars(nodes: readonly TaskNode[], role: { readonly defaults: Raw; readonly vars: Raw }): TaskNode[] {
  return nodes.map((node) =>
    'block' in node
      ? { ...node, block: withRoleVars(node.block, role), rescue: withRoleVars(node.rescue, role), always: withRoleVars(node.always, role) }
      : { ...node, roleDefaults: role.defaults, vars: { ...role.vars, ...node.vars } },
  );
}

/**
 * `include_role`: the role is checked now and its tasks run when the include does, with its defaults and vars
 * for them only. Its handlers join the play's (with the role's defaults and vars), as Ansible adds them when
 * the include runs; the name is literal, so they are known at load.
 */
async function roleIncluder(raw: Raw, key: string, source: YamlSource, at: readonly PathSegment[], scope: TaskScope, options: TaskLoadOptions): Promise<(file: string, vars?: Raw) => Promise<TaskNode[]>> {
  const { name, tasksFrom } = roleReference(raw, key, source, at);
  const checked = await loadRole({ role: name }, source, [...at, key], scope, options, tasksFrom);
  const joined = rolesWithHandlersJoined.get(options.importedRoles) ?? new Set<string>();
  rolesWithHandlersJoined.set(options.importedRoles, joined);
  // A role included by several tasks adds its handlers once: a notification runs each handler once.
  if (!joined.has(name)) options.importedRoles.handlers.push(...withRoleVars(checked.handlers, checked));
  joined.add(name);
  return async (_file, vars = {}) => {
    const role = await loadRole({ role: name }, source, [...at, key], { ...scope, includeParams: { ...scope.includeParams, ...vars } }, options, tasksFrom);
    return withRoleVars(role.tasks, role);
  };
}

/** `include_tasks`: the file is named (and may be templated) per host, so it is read when the task runs. */
function includer(source: YamlSource, scope: TaskScope, options: TaskLoadOptions): (file: string, vars?: Raw) => Promise<TaskNode[]> {
  return async (given, vars = {}) => {
    const file = isAbsolute(given) ? given : join(dirname(source.file), given);
    if (options.importing.includes(file)) throw new ParseError(`include cycle: ${[...options.importing, file].join(' -> ')}`, { file: source.file });
    const included = await readYaml(file, 'tasks', { file: source.file }, 'included task file');
    return loadTasks(included.value, included, [], { ...scope, includeParams: { ...scope.includeParams, ...vars } }, { ...options, importing: [...options.importing, file] });
  };
}

function moduleKeyProblem(raw: Raw, source: YamlSource, at: readonly PathSegment[], options: TaskLoadOptions): string {
  const modules = [...options.modules.keys(), ...EXECUTOR_ACTIONS];
  const keywords = Object.keys(TASK_KEYWORDS);
  const candidates = Object.keys(raw).filter((key) => !Object.hasOwn(TASK_KEYWORDS, key));
  const known = candidates.filter((key) => modules.includes(key.startsWith(BUILTIN_PREFIX) ? key.slice(BUILTIN_PREFIX.length) : key));
  const unknown = candidates.find((key) => !known.includes(key));
  if (unknown !== undefined) {
    const where = source.locate([...at, unknown], { key: true });
    const bare = unknown.startsWith(BUILTIN_PREFIX) ? unknown.slice(BUILTIN_PREFIX.length) : unknown;
    if (Object.hasOwn(REFUSED_ACTIONS, bare)) throw new ParseError(REFUSED_ACTIONS[bare]!, where);
    const unsupported = Object.hasOwn(UNSUPPORTED_TASK_KEYWORDS, unknown) ? UNSUPPORTED_TASK_KEYWORDS[unknown] : undefined;
    if (unsupported) throw new ParseError(`task keyword '${unknown}' is not supported: ${unsupported}`, where);
    const withLookup = withLookupProblem(unknown);
    if (withLookup) throw new ParseError(withLookup, where);
    const looksLikeKeyword = closest(unknown, keywords) !== undefined && closest(unknown, modules) === undefined;
    if (known.length > 0 || looksLikeKeyword) {
      throw new ParseError(`unknown task keyword '${unknown}'${didYouMean(unknown, keywords)}`, where);
    }
    throw new ParseError(`unknown module '${unknown}'${suggestModule(unknown.replace(BUILTIN_PREFIX, ''), modules)}; 'etcdops doc' lists the modules`, where);
  }
  if (known.length === 0) throw new ParseError(`task has no module; give exactly one, e.g. 'command: ...'`, source.locate(at));
  if (known.length > 1) throw new ParseError(`task has more than one module (${known.join(', ')}); split it into one task per module`, source.locate([...at, known[1]!], { key: true }));
  return known[0]!;
}

/** A `key=value` word's text as the type its schema property wants (Ansible's module argument conversion). */
function typedOption(value: string, spec: ModuleSpec, key: string): unknown {
  const property = (spec.schema as { properties?: Record<string, { type?: string | string[] }> }).properties?.[key];
  const types = property?.type === undefined ? [] : [property.type].flat();
  if (hasJinja(value) || types.includes('string')) return value;
  if (types.includes('boolean') && booleanWord(value) !== undefined) return booleanWord(value);
  if ((types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return value;
}

/** The arguments of a module written as one string, read as Ansible reads them. */
function stringArgs(module: string, text: string, spec: ModuleSpec, where: SourceLocation): Raw {
  const commandLike = COMMAND_LIKE_MODULES.includes(module) && spec.freeForm !== undefined;
  let parsed: FreeFormArgs;
  try {
    parsed = parseFreeForm(text, commandLike);
  } catch (error) {
    if (error instanceof FreeFormProblem) throw new ParseError(`arguments of module ${module}: ${error.message}`, where);
    throw error;
  }
  const options = Object.fromEntries(Object.entries(parsed.options).map(([key, value]) => [key, typedOption(value, spec, key)]));
  if (commandLike) return parsed.rest === undefined ? options : { ...options, [spec.freeForm!]: parsed.rest };
  if (parsed.rest !== undefined) {
    throw new ParseError(
      `module ${module} takes key=value arguments, and '${parsed.rest}' is not one (Ansible refuses it too); write e.g. '${module}: {key: value}'`,
      where,
    );
  }
  return options;
}

function moduleArgs(module: string, key: string, raw: Raw, spec: ModuleSpec | undefined, source: YamlSource, at: readonly PathSegment[]): Raw {
  const value = raw[key];
  const where = source.locate([...at, key]);
  const given = (raw.args ?? {}) as Raw;
  let inline: Raw;
  if (value === null || value === undefined) inline = {};
  else if (typeof value === 'string' || typeof value === 'number') {
    const text = String(value);
    inline = spec ? stringArgs(module, text, spec, where) : { action: text };
    const freeForm = spec?.freeForm;
    if (freeForm !== undefined && freeForm in inline && freeForm in given) {
      throw new ParseError(`'${freeForm}' under args cannot be used when the command is also given after '${key}:'; put it in one place`, where);
    }
  } else if (typeof value === 'object' && !Array.isArray(value)) inline = value as Raw;
  else throw new ParseError(`arguments of module ${module} must be a mapping${spec?.freeForm ? ' or a string' : ''}`, where);
  return { ...given, ...inline };
}

/** The arguments with each alias given under the argument's own name (both given: refused, not one picked). */
function withoutAliases(module: string, args: Raw, aliases: Readonly<Record<string, string>>, locate: (name: string) => SourceLocation): Raw {
  const named: Raw = { ...args };
  for (const [alias, name] of Object.entries(aliases)) {
    if (!Object.hasOwn(named, alias)) continue;
    if (Object.hasOwn(named, name)) throw new ParseError(`${module}: '${alias}' is another name for '${name}'; give only one of them`, locate(alias));
    named[name] = named[alias];
    delete named[alias];
  }
  return named;
}

/** The task keywords an include takes (what it would do with others, such as register or delegate_to, differs from Ansible). */
const INCLUDE_KEYWORDS = [...SCOPE_KEYWORDS, 'loop', 'with_items', 'loop_control'];

/** What include_tasks and include_vars accept: the file as a string, or `file:` (include_vars also `dir:` and `name:`). */
const INCLUDE_OPTIONS: Readonly<Record<string, readonly string[]>> = { include_tasks: ['file'], include_vars: ['file', 'dir', 'name'], include_role: ['name', 'tasks_from'] };

function includeArgs(module: string, key: string, raw: Raw, source: YamlSource, at: readonly PathSegment[]): Raw {
  const value = raw[key];
  const where = source.locate([...at, key]);
  const args: Raw = typeof value === 'string' ? (module === 'include_role' ? { name: value } : { file: value }) : value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...(value as Raw) } : {};
  const allowed = INCLUDE_OPTIONS[module]!;
  for (const [name, given] of Object.entries(args)) {
    if (!allowed.includes(name)) {
      throw new ParseError(`${module} option '${name}' is not supported; it takes ${allowed.join(', ')}`, source.locate([...at, key, name], { key: true }));
    }
    if (typeof given !== 'string' || given === '') throw new ParseError(`${module} ${name} must be a non-empty string`, source.locate([...at, key, name]));
  }
  if (module === 'include_role') return args;
  const files = ['file', 'dir'].filter((name) => name in args);
  if (files.length !== 1) throw new ParseError(`${module} needs ${module === 'include_vars' ? "exactly one of 'file' or 'dir'" : 'a file name'}, e.g. '${module}: FILE.yml'`, where);
  return args;
}

function conditionsOrBoolean(value: unknown): readonly string[] | boolean | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'boolean' ? value : toList(value);
}

function buildTask(
  raw: Raw,
  source: YamlSource,
  at: readonly PathSegment[],
  scope: TaskScope,
  options: TaskLoadOptions,
  roleInclude?: (file: string, vars?: Raw) => Promise<TaskNode[]>,
): Task {
  const key = moduleKeyProblem(raw, source, at, options);
  const module = key.startsWith(BUILTIN_PREFIX) ? key.slice(BUILTIN_PREFIX.length) : key;
  const spec = options.modules.get(module);
  const executorAction = (EXECUTOR_ACTIONS as readonly string[]).includes(module);
  if (executorAction && module !== 'meta') {
    if (options.handlers) throw new ParseError(`${module} is not supported in handlers; list the handler's tasks themselves`, source.locate([...at, key], { key: true }));
    onlyKeys(raw, [key, ...INCLUDE_KEYWORDS], module, source, at);
  }
  if (!executorAction && !spec) throw new ParseError(`unknown module '${module}'`, source.locate([...at, key], { key: true }));
  if ('listen' in raw && !options.handlers) throw new ParseError(`'listen' is only valid on handlers`, source.locate([...at, 'listen'], { key: true }));
  if ('loop' in raw && 'with_items' in raw) throw new ParseError(`use either 'loop' or 'with_items', not both`, source.locate([...at, 'with_items'], { key: true }));
  if (typeof raw.register === 'string' && !/^[A-Za-z_]\w*$/.test(raw.register)) {
    throw new ParseError(`register must be a variable name (letters, digits, _)`, source.locate([...at, 'register']));
  }
  const given = executorAction && module !== 'meta' ? includeArgs(module, key, raw, source, at) : moduleArgs(module, key, raw, spec, source, at);
  const args = spec?.aliases ? withoutAliases(module, given, spec.aliases, (name) => source.locate([...at, key, name], { key: true })) : given;
  if (spec) {
    const problem = checkModuleArgs(module, spec, args);
    if (problem) {
      const first = problem.path[0];
      const inline = raw[key] !== null && typeof raw[key] === 'object';
      const base = first !== undefined && !(inline && Object.hasOwn(raw[key] as Raw, first)) && raw.args && Object.hasOwn(raw.args as Raw, first)
        ? [...at, 'args']
        : [...at, key];
      throw new ParseError(problem.message, source.locate([...base, ...problem.path], { key: problem.isKey }));
    }
  } else if (module === 'meta' && Object.hasOwn(UNSUPPORTED_META_ACTIONS, String(args.action))) {
    throw new ParseError(`meta: ${String(args.action)} is not supported: ${UNSUPPORTED_META_ACTIONS[String(args.action)]}`, source.locate([...at, key]));
  } else if (module === 'meta' && !(META_ACTIONS as readonly string[]).includes(String(args.action))) {
    throw new ParseError(`meta must be one of: ${META_ACTIONS.join(', ')}`, source.locate([...at, key]));
  }
  const argsAt = (path: readonly PathSegment[]) =>
    typeof raw[key] === 'string' ? source.locate([...at, key]) : source.locate([...at, raw[key] === null || typeof raw[key] !== 'object' || !Object.hasOwn(raw[key] as Raw, String(path[0])) ? 'args' : key, ...path]);
  checkTemplates(args, argsAt);
  checkTemplates({ loop: raw.loop, with_items: raw.with_items, vars: raw.vars, delegate_to: raw.delegate_to }, (path) => source.locate([...at, ...path]));
  checkShellQuoting(module, args, argsAt(['cmd']));
  checkTemplates({ environment: raw.environment, loop_control: raw.loop_control }, (path) => source.locate([...at, ...path]));
  // As Ansible lists them: an unnamed include is named after its action alone.
  const freeText = typeof raw[key] === 'string' && (!executorAction || module === 'meta') ? ` ${String(raw[key])}` : '';
  const own = scopeFrom(raw, scope);
  const loopControl = raw.loop_control as Raw | undefined;
  const loop = raw.with_items !== undefined && Array.isArray(raw.with_items)
    ? (raw.with_items as unknown[]).flatMap((item) => (Array.isArray(item) ? item : [item]))
    : raw.loop ?? raw.with_items;
  const until = raw.until === undefined ? undefined : toList(raw.until);
  const location: SourceLocation = source.locate(at);
  return {
    name: typeof raw.name === 'string' ? raw.name : `${module}${freeText}`,
    unnamed: typeof raw.name === 'string' ? undefined : true,
    module,
    args,
    when: own.when,
    loop,
    loopVar: typeof loopControl?.loop_var === 'string' ? loopControl.loop_var : 'item',
    indexVar: loopControl?.index_var as string | undefined,
    loopLabel: loopControl?.label as string | undefined,
    loopPause: loopControl?.pause as number | undefined,
    loopExtended: loopControl?.extended === true,
    anyErrorsFatal: own.anyErrorsFatal,
    environment: own.environment,
    remoteUser: own.remoteUser,
    // The included tasks get the include's vars as include params, not its own when and tags (Ansible's include_tasks).
    include: module === 'include_tasks' ? includer(source, includedScope(raw, scope), options) : roleInclude,
    role: scope.role,
    roleDefaults: scope.roleDefaults,
    register: raw.register as string | undefined,
    notify: toList(raw.notify),
    tags: own.tags,
    become: own.become,
    becomeUser: own.becomeUser,
    retries: raw.retries as number | undefined,
    delay: raw.delay as number | undefined,
    timeout: raw.timeout as number | undefined,
    until: until === undefined ? undefined : until.length === 1 ? until[0] : until.map((c) => `(${c})`).join(' and '),
    ignoreErrors: typeof raw.ignore_errors === 'string' ? raw.ignore_errors : raw.ignore_errors === true,
    changedWhen: conditionsOrBoolean(raw.changed_when),
    failedWhen: conditionsOrBoolean(raw.failed_when),
    delegateTo: raw.delegate_to as string | undefined,
    runOnce: raw.run_once === true,
    noLog: raw.no_log === true,
    alwaysApply: raw.check_mode === false,
    vars: own.vars,
    includeParams: scope.includeParams,
    listen: toList(raw.listen),
    source: { file: location.file, line: location.line, column: location.column },
    baseDir: scope.baseDir,
    searchPaths: scope.searchPaths,
  };
}
