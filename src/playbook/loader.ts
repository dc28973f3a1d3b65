// Loads a playbook file into the validated Play model: plays, vars_files, roles from `roles/NAME/`
// beside the playbook, and their tasks and handlers. Everything is checked before anything runs.
import { dirname, isAbsolute, join } from 'node:path';
import { ParseError, type SourceLocation } from '../errors/user-error.js';
import { parseHostPattern } from '../inventory/host-pattern.js';
import { chooseSubsets } from '../modules/setup.js';
import { KINDS, PLAY_KEYWORDS } from './keywords.js';
import type { ModuleSpec } from './module-args.js';
import { flattenTasks, type Play, type Playbook, type Task, type TaskNode } from './playbook.js';
import { didYouMean } from './suggest.js';
import { UNSUPPORTED_PLAY_KEYWORDS } from './unsupported-ansible.js';
import { loadRole } from './role-loader.js';
import { loadTasks, type ImportedRoles, type TaskLoadOptions, type TaskScope } from './task-loader.js';
import { readVarsFile } from './vars-file.js';
import { checkTemplates } from './template-checks.js';
import { renderValue } from './templating.js';
import { readYaml, type PathSegment, type YamlSource } from '../yaml/located-yaml.js';
import { mergeByPrecedence } from '../variables/variable-precedence.js';

export interface LoadOptions {
  /** Known modules by name: their argument schema and free-form argument. */
  readonly modules: ReadonlyMap<string, ModuleSpec>;
  /** `-e` variables: usable in `hosts` and `vars_files` paths at load time. */
  readonly extraVars?: Readonly<Record<string, unknown>>;
}

type Raw = Record<string, unknown>;
const isMapping = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);
const toList = (value: unknown): string[] =>
  value === undefined || value === null ? [] : Array.isArray(value) ? value.map(String) : [String(value)];

function checkPlayKeywords(raw: Raw, source: YamlSource, at: readonly PathSegment[], modules: ReadonlyMap<string, ModuleSpec>): void {
  for (const [key, value] of Object.entries(raw)) {
    const keyword = Object.hasOwn(PLAY_KEYWORDS, key) ? PLAY_KEYWORDS[key] : undefined;
    if (!keyword) {
      const unsupported = Object.hasOwn(UNSUPPORTED_PLAY_KEYWORDS, key) ? UNSUPPORTED_PLAY_KEYWORDS[key] : undefined;
      if (unsupported) throw new ParseError(`play keyword '${key}' is not supported: ${unsupported}`, source.locate([...at, key], { key: true }));
      const hint = modules.has(key) ? `; tasks go under 'tasks:'` : key === 'import_playbook' ? '; import_playbook must be an entry of its own (- import_playbook: FILE)' : didYouMean(key, Object.keys(PLAY_KEYWORDS));
      throw new ParseError(`unknown play keyword '${key}'${hint}`, source.locate([...at, key], { key: true }));
    }
    const kind = KINDS[keyword.kind];
    if (!kind.check(value)) throw new ParseError(`${key} must be ${kind.expected}`, source.locate([...at, key]));
  }
  if (!('hosts' in raw)) throw new ParseError(`a play needs 'hosts:' (a host pattern such as 'all' or a group name)`, source.locate(at));
}

/** Every `notify` must name a handler or a `listen` topic (templated names are only known at run time). */
function checkNotify(tasks: readonly Task[], handlers: readonly Task[]): void {
  const topics = new Set(handlers.flatMap((h) => [h.name, ...h.listen]));
  for (const task of tasks) {
    for (const name of task.notify) {
      if (!name.includes('{{') && !topics.has(name)) {
        throw new ParseError(`notify: no handler named or listening to '${name}'${didYouMean(name, topics)}`, { ...task.source, field: undefined });
      }
    }
  }
}

async function loadPlay(raw: unknown, source: YamlSource, index: number, options: LoadOptions): Promise<Play> {
  const at = [index];
  if (!isMapping(raw)) throw new ParseError(`a play must be a mapping with 'hosts:' and 'tasks:'`, source.locate(at));
  checkPlayKeywords(raw, source, at, options.modules);
  const baseDir = dirname(source.file);
  const extraVars = options.extraVars ?? {};
  const playVars = (raw.vars ?? {}) as Raw;
  checkTemplates(playVars, (path) => source.locate([...at, 'vars', ...path]));
  const fileVars: Raw = {};
  for (const [i, entry] of toList(raw.vars_files).entries()) {
    const where = source.locate(Array.isArray(raw.vars_files) ? [...at, 'vars_files', i] : [...at, 'vars_files']);
    const path = String(renderValue(entry, mergeByPrecedence({ play_vars: playVars, extra_vars: extraVars }), where));
    // An absolute path stays absolute, as in Ansible.
    Object.assign(fileVars, await readVarsFile(isAbsolute(path) ? path : join(baseDir, path), where, 'vars file'));
  }
  const tags = toList(raw.tags).flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
  const scope: TaskScope = {
    when: [],
    tags,
    vars: {},
    become: undefined,
    becomeUser: undefined,
    environment: (raw.environment ?? {}) as Raw,
    remoteUser: raw.remote_user as string | undefined,
    baseDir,
    searchPaths: [join(baseDir, 'templates'), join(baseDir, 'files')],
  };
  const imported: ImportedRoles = { handlers: [], defaults: {}, vars: {} };
  const taskOptions: TaskLoadOptions = { modules: options.modules, handlers: false, importing: [source.file], playbookDir: baseDir, importedRoles: imported };
  const section = (key: string, handlers = false) =>
    loadTasks(raw[key], source, [...at, key], scope, { ...taskOptions, handlers });
  const preTasks = await section('pre_tasks');
  const roleTasks: TaskNode[] = [];
  const roleHandlers: TaskNode[] = [];
  const roleDefaults: Raw = {};
  const roleVars: Raw = {};
  for (const [i, entry] of ((raw.roles ?? []) as unknown[]).entries()) {
    const role = await loadRole(entry, source, [...at, 'roles', i], scope, taskOptions);
    checkTemplates({ defaults: role.defaults, vars: role.vars }, (path) => ({ ...source.locate([...at, 'roles', i]), field: `role ${path.join('.')}` }));
    roleTasks.push(...role.tasks);
    roleHandlers.push(...role.handlers);
    Object.assign(roleDefaults, role.defaults);
    Object.assign(roleVars, role.vars);
  }
  const tasks = [...roleTasks, ...(await section('tasks'))];
  const postTasks = await section('post_tasks');
  // Roles imported by import_role add their handlers, defaults and vars to the play, as in Ansible.
  roleHandlers.push(...imported.handlers);
  Object.assign(roleDefaults, imported.defaults);
  Object.assign(roleVars, imported.vars);
  const handlers = flattenTasks([...(await section('handlers', true)), ...roleHandlers]);
  checkNotify(flattenTasks([...preTasks, ...tasks, ...postTasks, ...handlers]), handlers);
  const hostsWhere = source.locate([...at, 'hosts']);
  const loadVars = mergeByPrecedence({ play_vars: playVars, vars_files: fileVars, extra_vars: extraVars });
  const patterns = toList(raw.hosts).map((pattern) => String(renderValue(pattern, loadVars, hostsWhere)));
  const hosts = patterns.join(':');
  try {
    parseHostPattern(hosts);
  } catch (error) {
    throw new ParseError((error as Error).message, hostsWhere);
  }
  const gatherSubset = toList(raw.gather_subset).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  try {
    chooseSubsets(gatherSubset);
  } catch (error) {
    throw new ParseError((error as Error).message, source.locate([...at, 'gather_subset']));
  }
  const serial = raw.serial === undefined || raw.serial === null ? [] : Array.isArray(raw.serial) ? raw.serial : [raw.serial];
  return {
    // Ansible names an unnamed play after its host patterns joined by commas.
    name: typeof raw.name === 'string' ? raw.name : patterns.join(','),
    hosts,
    patterns,
    serial: serial.map((s) => (typeof s === 'string' ? s.replace(/\s+/g, '') : (s as number))),
    maxFailPercentage: raw.max_fail_percentage as number | undefined,
    anyErrorsFatal: raw.any_errors_fatal === true,
    gatherFacts: raw.gather_facts !== false,
    gatherSubset,
    become: raw.become === true,
    becomeUser: raw.become_user as string | undefined,
    remoteUser: raw.remote_user as string | undefined,
    vars: mergeByPrecedence({ play_vars: playVars, vars_files: fileVars, role_vars: roleVars }),
    roleDefaults,
    tags,
    preTasks,
    tasks,
    postTasks,
    handlers,
    source: { file: source.file, line: source.locate(at).line, column: source.locate(at).column },
  };
}

/** The plays of a playbook file, with `- import_playbook: FILE` entries replaced by that file's plays. */
async function loadPlays(file: string, options: LoadOptions, importing: readonly string[], referencedFrom?: SourceLocation): Promise<Play[]> {
  const source = await readYaml(file, 'plays', referencedFrom, importing.length > 0 ? 'imported playbook' : 'playbook');
  if (source.value === null || source.value === undefined) throw new ParseError('the playbook is empty; it should be a list of plays', { file });
  if (!Array.isArray(source.value)) throw new ParseError('a playbook is a list of plays (each starting with "- hosts: ...")', source.locate([]));
  const plays: Play[] = [];
  for (const [index, raw] of source.value.entries()) {
    if (isMapping(raw) && 'import_playbook' in raw) {
      const where = source.locate([index, 'import_playbook']);
      const extra = Object.keys(raw).find((key) => key !== 'import_playbook' && key !== 'name');
      if (extra) throw new ParseError(`'${extra}' cannot be used with import_playbook (only name); set it in the imported plays`, source.locate([index, extra], { key: true }));
      if (typeof raw.import_playbook !== 'string' || raw.import_playbook === '') throw new ParseError('import_playbook must name a playbook file', where);
      const given = String(renderValue(raw.import_playbook, mergeByPrecedence({ extra_vars: options.extraVars ?? {} }), where));
      // An absolute path stays absolute; a relative one is relative to the importing playbook, as in Ansible.
      const imported = isAbsolute(given) ? given : join(dirname(file), given);
      if ([...importing, file].includes(imported)) throw new ParseError(`import cycle: ${[...importing, file, imported].join(' -> ')}`, where);
      plays.push(...(await loadPlays(imported, options, [...importing, file], where)));
    } else plays.push(await loadPlay(raw, source, index, options));
  }
  return plays;
}

/** Loads, resolves and validates a playbook; every problem is a ParseError with file:line and field. */
export async function loadPlaybook(file: string, options: LoadOptions): Promise<Playbook> {
  return { file, plays: await loadPlays(file, options, []) };
}
