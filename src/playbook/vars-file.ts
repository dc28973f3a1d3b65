// Reads a file of variables (vars_files, a role's defaults and vars): it must hold a mapping.
import { ParseError, type SourceLocation } from '../errors/user-error.js';
import { readYaml } from '../yaml/located-yaml.js';

type Raw = Record<string, unknown>;
const isMapping = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A `vars` mapping file: its content must be a mapping (an empty file is no variables). */
export async function readVarsFile(file: string, referencedFrom: SourceLocation, what: string): Promise<Raw> {
  const source = await readYaml(file, '', referencedFrom, what);
  if (source.value === null || source.value === undefined) return {};
  if (!isMapping(source.value)) throw new ParseError(`${what} must hold a mapping of variables`, source.locate([]));
  return source.value;
}

