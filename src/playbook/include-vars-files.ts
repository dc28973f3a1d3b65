// `include_vars`: which files a `file:` or `dir:` names (searched as Ansible does: the role's or playbook's
// `vars/` first, then beside the including task file) and the variables they hold, read on the control node.
import { readdirSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join } from 'node:path';
import { ParseError, type SourceLocation } from '../errors/user-error.js';
import { MAX_YAML_BYTES } from '../yaml/input-limits.js';
import { readInputFile } from '../yaml/read-input-file.js';
import { parseYaml } from '../yaml/located-yaml.js';

/** What a task's folders are: where its role or playbook is, and the file it is written in. */
export interface IncludeVarsOrigin {
  readonly baseDir: string;
  readonly source: SourceLocation;
}

const VARS_EXTENSIONS = ['.yml', '.yaml', '.json'];
/** A bound on a `dir:` walk, so a mistaken `dir: /` ends with an error instead of reading the disk. */
const MAX_VARS_FILES = 1000;

const exists = (path: string, folder: boolean): boolean => {
  try {
    const info = statSync(path);
    return folder ? info.isDirectory() : info.isFile();
  } catch {
    return false;
  }
};

function candidates(given: string, origin: IncludeVarsOrigin): string[] {
  if (isAbsolute(given)) return [given];
  const taskDir = origin.source.file ? dirname(origin.source.file) : origin.baseDir;
  return [...new Set([join(origin.baseDir, 'vars', given), join(origin.baseDir, given), join(taskDir, 'vars', given), join(taskDir, given)])];
}

function walk(folder: string, out: string[], where: SourceLocation): string[] {
  for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) walk(path, out, where);
    else if (entry.isFile() && VARS_EXTENSIONS.includes(extname(entry.name))) out.push(path);
    if (out.length > MAX_VARS_FILES) throw new ParseError(`include_vars dir ${folder} holds more than ${MAX_VARS_FILES} vars files; name a narrower folder`, where);
  }
  return out;
}

/** The files `include_vars` reads for a rendered `file` or `dir`, in the order they are merged. */
export function includeVarsFiles(args: { readonly file?: string; readonly dir?: string }, origin: IncludeVarsOrigin): string[] {
  const where = { ...origin.source, field: 'include_vars' };
  const folder = args.dir !== undefined;
  const given = (folder ? args.dir : args.file)!;
  const found = candidates(given, origin).find((path) => exists(path, folder));
  if (!found) throw new ParseError(`include_vars: no ${folder ? 'folder' : 'file'} '${given}' (looked in ${candidates(given, origin).join(', ')})`, where);
  return folder ? walk(found, [], where) : [found];
}

/** The variables of the given files, later files overriding earlier ones; each file must hold a mapping. */
export function readIncludedVars(files: readonly string[], where: SourceLocation): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  for (const file of files) {
    const source = parseYaml(readInputFile(file, { what: 'vars file', maxBytes: MAX_YAML_BYTES, referencedFrom: where }), file, '');
    const value = source.value;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw new ParseError('a vars file must hold a mapping of variables', source.locate([]));
    Object.assign(vars, value);
  }
  return vars;
}
