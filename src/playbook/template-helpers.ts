// The Handlebars helpers templates may use. Each reads other hosts' variables through the render
// context (`hostvars`, `groups`), so templates stay pure functions of the variables.
import type { HelperDelegate, HelperOptions } from 'handlebars';
import { stringify as toYaml } from 'yaml';
import { isDeepStrictEqual as looseEqual } from 'node:util';
import { truthy } from './python-values.js';
import { decimal, iniName, iniValue, safeName, systemdPath, systemdText, systemdWord } from './template-escaping.js';

/** Handlebars passes its options object last; helpers only want the values before it. */
function valuesOf(args: unknown[]): { values: unknown[]; options: HelperOptions } {
  return { values: args.slice(0, -1), options: args.at(-1) as HelperOptions };
}

function rootOf(options: HelperOptions): Record<string, unknown> {
  return (options.data?.root ?? {}) as Record<string, unknown>;
}

function listOf(value: unknown, helper: string): unknown[] {
  if (Array.isArray(value)) return value;
  throw new Error(`helper '${helper}' needs a list, not ${value === undefined ? 'an undefined value' : typeof value}`);
}

/** Quotes a value for a POSIX shell: single quotes, with embedded single quotes closed and escaped. */
export function shellQuote(value: unknown): string {
  return `'${String(value).replaceAll("'", `'\\''`)}'`;
}

/**
 * Helpers available in every template:
 * - `default value fallback`: the fallback when value is undefined or null (never trips strict mode).
 * - `join list sep`: list items joined by sep (default ",").
 * - `json value [indent]`: JSON text of a value.
 * - `yaml value`: YAML text of a value, without the trailing newline.
 * - `indent text width [first]`: indents every line but the first by width spaces (all lines if first is true).
 * - `lookup object key`: a field of an object (Handlebars' own helper).
 * - `hostvar host name`: another host's variable, read from `hostvars`.
 * - `groupHosts group`: the host names of an inventory group, read from `groups`.
 * - `eq a b`, `ne a b`: deep equality; `and a b ...`, `or a b ...`, `not a`: with Python truthiness.
 * - `upper text`, `lower text`, `b64encode text`, `quote text` (POSIX shell quoting).
 * - `systemdText`, `systemdPath`, `systemdWord`, `iniName`, `iniValue`, `safeName`, `decimal`: a value for that place in a
 *   config file, or an error when it cannot be written there safely (template-escaping.ts).
 */
export const TEMPLATE_HELPERS: Readonly<Record<string, HelperDelegate>> = {
  default: (...args: unknown[]) => {
    const { values } = valuesOf(args);
    return values[0] === undefined || values[0] === null ? values[1] : values[0];
  },
  join: (...args: unknown[]) => {
    const { values } = valuesOf(args);
    return listOf(values[0], 'join').map(String).join(values[1] === undefined ? ',' : String(values[1]));
  },
  json: (...args: unknown[]) => {
    const { values } = valuesOf(args);
    // Escaped, as YAML 1.1 readers (Prometheus') take these for line breaks even inside a JSON string.
    const text = JSON.stringify(values[0], null, typeof values[1] === 'number' ? values[1] : undefined) as string | undefined;
    return text?.replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  },
  yaml: (...args: unknown[]) => toYaml(valuesOf(args).values[0]).trimEnd(),
  indent: (...args: unknown[]) => {
    const { values } = valuesOf(args);
    const pad = ' '.repeat(typeof values[1] === 'number' ? values[1] : 4);
    return String(values[0] ?? '')
      .split('\n')
      .map((line, i) => ((i > 0 || truthy(values[2])) && line !== '' ? pad + line : line))
      .join('\n');
  },
  hostvar: (...args: unknown[]) => {
    const { values, options } = valuesOf(args);
    const [host, name] = values.map(String);
    const hostvars = (rootOf(options).hostvars ?? {}) as Record<string, Record<string, unknown> | undefined>;
    const vars = Object.hasOwn(hostvars, host!) ? hostvars[host!] : undefined;
    if (!vars) throw new Error(`hostvar: unknown host '${host}'`);
    if (!Object.hasOwn(vars, name!)) throw new Error(`hostvar: host '${host}' has no variable '${name}'`);
    return vars[name!];
  },
  groupHosts: (...args: unknown[]) => {
    const { values, options } = valuesOf(args);
    const group = String(values[0]);
    const groups = (rootOf(options).groups ?? {}) as Record<string, unknown>;
    if (!Object.hasOwn(groups, group)) throw new Error(`groupHosts: unknown group '${group}'`);
    return groups[group];
  },
  eq: (...args: unknown[]) => looseEqual(valuesOf(args).values[0], valuesOf(args).values[1]),
  ne: (...args: unknown[]) => !looseEqual(valuesOf(args).values[0], valuesOf(args).values[1]),
  and: (...args: unknown[]) => valuesOf(args).values.every(truthy),
  or: (...args: unknown[]) => valuesOf(args).values.some(truthy),
  not: (...args: unknown[]) => !truthy(valuesOf(args).values[0]),
  upper: (...args: unknown[]) => String(valuesOf(args).values[0] ?? '').toUpperCase(),
  lower: (...args: unknown[]) => String(valuesOf(args).values[0] ?? '').toLowerCase(),
  b64encode: (...args: unknown[]) => Buffer.from(String(valuesOf(args).values[0] ?? ''), 'utf8').toString('base64'),
  quote: (...args: unknown[]) => shellQuote(valuesOf(args).values[0] ?? ''),
  systemdText: (...args: unknown[]) => systemdText(valuesOf(args).values[0]),
  systemdPath: (...args: unknown[]) => systemdPath(valuesOf(args).values[0]),
  systemdWord: (...args: unknown[]) => systemdWord(valuesOf(args).values[0]),
  iniName: (...args: unknown[]) => iniName(valuesOf(args).values[0]),
  iniValue: (...args: unknown[]) => iniValue(valuesOf(args).values[0]),
  safeName: (...args: unknown[]) => safeName(valuesOf(args).values[0]),
  decimal: (...args: unknown[]) => decimal(valuesOf(args).values[0]),
};
