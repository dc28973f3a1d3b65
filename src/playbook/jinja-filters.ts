// The filters conditions may use (`x | length`, `x | bool`), with Jinja's and Ansible's semantics,
// plus Python truthiness and equality that conditions rely on.
import { isDeepStrictEqual } from 'node:util';

/** Python truthiness: empty strings, lists and mappings are false, as Ansible users expect. */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value !== null && typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}

export function looseEqual(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(a, b);
}

/** Ansible's `bool` filter: yes/on/true/1 (any case) are true, everything else is false. */
export function toBool(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1;
  if (typeof value === 'string') return ['yes', 'on', 'true', '1', 'y'].includes(value.trim().toLowerCase());
  return false;
}

function toInt(value: unknown, fallback: unknown = 0): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  const n = typeof value === 'number' ? Math.trunc(value) : Number.parseInt(String(value), 10);
  return Number.isNaN(n) ? Number(fallback) : n;
}

function toFloat(value: unknown, fallback: unknown = 0): number {
  const n = typeof value === 'number' ? value : Number.parseFloat(String(value));
  return Number.isNaN(n) ? Number(fallback) : n;
}

function sizeOf(value: unknown): number {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  throw new Error(`length of a ${value === null ? 'null' : typeof value} is undefined`);
}

function asList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return [...value];
  if (value !== null && typeof value === 'object') return Object.keys(value);
  throw new Error(`expected a list but got ${typeof value}`);
}

/** `in` for strings (substring), lists (member) and mappings (key). */
export function contains(needle: unknown, haystack: unknown): boolean {
  if (typeof haystack === 'string') return haystack.includes(String(needle));
  if (Array.isArray(haystack)) return haystack.some((item) => looseEqual(item, needle));
  if (haystack !== null && typeof haystack === 'object') return Object.hasOwn(haystack, String(needle));
  throw new Error(`'in' needs a string, list or mapping on its right, not ${haystack === null ? 'null' : typeof haystack}`);
}

/**
 * Filters usable as `value | name(args)`: bool, int, float, string, length, count, lower, upper, trim,
 * first, last, join, list, unique, sort, min, max, abs, b64encode, b64decode, to_json, from_json.
 * `default`/`d` is handled by the expression translator because its input may be undefined.
 */
export const FILTERS: Readonly<Record<string, (value: unknown, ...args: unknown[]) => unknown>> = {
  bool: toBool,
  int: toInt,
  float: toFloat,
  string: (v) => (typeof v === 'string' ? v : JSON.stringify(v)),
  length: sizeOf,
  count: sizeOf,
  lower: (v) => String(v).toLowerCase(),
  upper: (v) => String(v).toUpperCase(),
  trim: (v) => String(v).trim(),
  first: (v) => asList(v)[0],
  last: (v) => asList(v).at(-1),
  join: (v, sep = '') => asList(v).map(String).join(String(sep)),
  list: (v) => [...asList(v)],
  unique: (v) => asList(v).filter((item, i, all) => all.findIndex((other) => looseEqual(other, item)) === i),
  sort: (v) => [...asList(v)].sort((a, b) => (a === b ? 0 : String(a) < String(b) ? -1 : 1)),
  min: (v) => Math.min(...asList(v).map(Number)),
  max: (v) => Math.max(...asList(v).map(Number)),
  abs: (v) => Math.abs(Number(v)),
  b64encode: (v) => Buffer.from(String(v), 'utf8').toString('base64'),
  b64decode: (v) => Buffer.from(String(v), 'base64').toString('utf8'),
  to_json: (v) => JSON.stringify(v),
  from_json: (v) => JSON.parse(String(v)) as unknown,
};
