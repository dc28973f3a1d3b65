// Loads a role from `roles/NAME/` beside the playbook: its tasks (`tasks/main.yml`, or another file with
// `tasks_from`), handlers, defaults and vars, for the play's `roles:` and for import_role/include_role.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ParseError } from '../errors/user-error.js';
import { KINDS } from './keywords.js';
import type { TaskNode } from './playbook.js';
import { loadTasks, type TaskLoadOptions, type TaskScope } from './task-loader.js';
import { readVarsFile } from './vars-file.js';
import { readYaml, type PathSegment, type YamlSource } from '../yaml/located-yaml.js';

type Raw = Record<string, unknown>;
const toList = (value: unknown): string[] =>
  value === undefined || value === null ? [] : Array.isArray(value) ? value.map(String) : [String(value)];

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}

async function firstExisting(paths: readonly string[]): Promise<string | undefined> {
  for (const path of paths) {
    if (await stat(path).then((s) => s.isFile(), () => false)) return path;
  }
  return undefined;
}

export interface LoadedRole {
  readonly name: string;
  readonly tasks: TaskNode[];
  readonly handlers: TaskNode[];
  readonly defaults: Raw;
  readonly vars: Raw;
}

const ROLE_ENTRY_KEYWORDS = ['role', 'name', 'when', 'tags', 'vars', 'become', 'become_user'];

/** Loads the role an entry names; `tasksFrom` picks `tasks/NAME.yml` instead of `tasks/main.yml`. */
export async function loadRole(
  entry: unknown,
  source: YamlSource,
  at: readonly PathSegment[],
  scope: TaskScope,
  options: TaskLoadOptions,
  tasksFrom = 'main',
): Promise<LoadedRole> {
  const raw: Raw = typeof entry === 'string' ? { role: entry } : (entry as Raw);
  const name = raw.role ?? raw.name;
  const where = source.locate(at);
  if (typeof name !== 'string' || name === '') throw new ParseError(`a role entry needs 'role: NAME'`, where);
  for (const key of ['when', 'tags', 'vars'] as const) {
    const kind = KINDS[key === 'vars' ? 'mapping' : key === 'when' ? 'conditions' : 'names'];
    if (key in raw && !kind.check(raw[key])) throw new ParseError(`${key} must be ${kind.expected}`, source.locate([...at, key]));
  }
  const roleDir = join(options.playbookDir, 'roles', name);
  if (!(await isFolder(roleDir))) {
    throw new ParseError(`role '${name}' not found: expected the folder ${roleDir}`, source.locate(typeof entry === 'string' ? at : [...at, raw.role ? 'role' : 'name']));
  }
  // Keys other than the role keywords are role parameters: variables scoped to the role's tasks.
  const params = Object.fromEntries(Object.entries(raw).filter(([key]) => !ROLE_ENTRY_KEYWORDS.includes(key)));
  const roleScope: TaskScope = {
    when: [...scope.when, ...toList(raw.when)],
    tags: [...new Set([...scope.tags, ...toList(raw.tags)])],
    vars: { ...scope.vars, ...((raw.vars ?? {}) as Raw), ...params },
    become: (raw.become as boolean | undefined) ?? scope.become,
    becomeUser: (raw.become_user as string | undefined) ?? scope.becomeUser,
    environment: scope.environment,
    remoteUser: scope.remoteUser,
    role: name,
    roleDefaults: undefined,
    baseDir: roleDir,
    searchPaths: [join(roleDir, 'templates'), join(roleDir, 'files')],
  };
  const part = (folder: string, base = 'main') => firstExisting([join(roleDir, folder, `${base}.yml`), join(roleDir, folder, `${base}.yaml`)]);
  const load = async (folder: string, handlers: boolean, base = 'main'): Promise<TaskNode[]> => {
    const file = await part(folder, base);
    if (!file && base !== 'main') throw new ParseError(`role '${name}' has no ${folder}/${base}.yml (tasks_from)`, where);
    if (!file) return [];
    const tasks = await readYaml(file, folder, where);
    return loadTasks(tasks.value, tasks, [], roleScope, { ...options, handlers, importing: [file] });
  };
  const vars = async (folder: string): Promise<Raw> => {
    const file = await part(folder);
    return file ? readVarsFile(file, where, `role ${folder} file`) : {};
  };
  return { name, tasks: await load('tasks', false, tasksFrom), handlers: await load('handlers', true), defaults: await vars('defaults'), vars: await vars('vars') };
}

