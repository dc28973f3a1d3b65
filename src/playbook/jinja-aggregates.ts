// Jinja2's sum, min, max and unique with the arguments the engine's own do not take (`sum(start=[])`,
// `max(attribute='a')`, `unique(case_sensitive=true)`): `x | sum(...)` with arguments is read as
// `x | __py_sum(...)` (jinja-source.ts). Called without arguments the engine's own run, which keep a float's type.
import { listOf } from './ansible-filters.js';
import { signature } from './content-memory.js';
import { isMapping, pyTypeName } from './python-values.js';

/** The options given by name (the engine passes them as a last mapping) and the positional ones. */
function split(args: unknown[], names: readonly string[]): Record<string, unknown> {
  const named = args.length > 0 && isMapping(args.at(-1)) && Object.keys(args.at(-1) as object).every((k) => names.includes(k)) ? (args.pop() as Record<string, unknown>) : {};
  const options: Record<string, unknown> = {};
  args.forEach((value, i) => {
    if (i >= names.length) throw new Error(`takes at most ${names.length} arguments`);
    options[names[i]!] = value;
  });
  return { ...options, ...named };
}

/** Jinja2's attribute getter: `a.b` or `0` (an index) walked through mappings and lists. */
function attributeOf(item: unknown, attribute: unknown): unknown {
  if (attribute === undefined || attribute === null) return item;
  let value = item;
  for (const part of String(attribute).split('.')) {
    const key = /^\d+$/.test(part) ? Number(part) : part;
    const next = Array.isArray(value) && typeof key === 'number' ? value[key] : isMapping(value) ? value[String(key)] : undefined;
    if (next === undefined) throw new Error(`'${pyTypeName(value)} object' has no attribute '${part}'`);
    value = next;
  }
  return value;
}

/**
 * Whether `item` has every attribute `sort(attribute='a,b')` sorts by: Jinja2 fails on one it has not,
 * where the engine's sort takes it as none. Always true, or an error.
 */
export function hasSortAttributes(item: unknown, attribute: unknown): true {
  for (const name of String(attribute).split(',')) attributeOf(item, name);
  return true;
}

/** The key Jinja2 compares by: the attribute, lower-cased text unless case-sensitive. */
function keyOf(item: unknown, options: Record<string, unknown>): unknown {
  const value = attributeOf(item, options.attribute);
  return typeof value === 'string' && options.case_sensitive !== true ? value.toLowerCase() : value;
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new Error(`'<' not supported between ${typeof a} and ${typeof b}`);
}

/** Python's sum(iterable, start): numbers add, lists join. */
export function pySum(value: unknown, ...args: unknown[]): unknown {
  const options = split(args, ['attribute', 'start']);
  return listOf(value, 'sum').reduce<unknown>((total, item) => {
    const next = attributeOf(item, options.attribute);
    if (Array.isArray(total) && Array.isArray(next)) return [...total, ...next];
    if (typeof total === 'number' && typeof next === 'number') return total + next;
    throw new Error(`unsupported operand type(s) for +: ${Array.isArray(total) ? 'list' : typeof total} and ${Array.isArray(next) ? 'list' : typeof next}`);
  }, options.start ?? 0);
}

function extreme(which: 'min' | 'max') {
  return (value: unknown, ...args: unknown[]): unknown => {
    const options = split(args, ['case_sensitive', 'attribute']);
    const items = listOf(value, which);
    if (items.length === 0) throw new Error('No aggregated item, sequence was empty.');
    // Python's min/max keep the first of equal items.
    return items.reduce((best, item) => {
      const order = compare(keyOf(item, options), keyOf(best, options));
      return (which === 'min' ? order < 0 : order > 0) ? item : best;
    });
  };
}

export const pyMin = extreme('min');
export const pyMax = extreme('max');

/** Jinja2's unique: the first of the items with the same key, in order. */
export function pyUnique(value: unknown, ...args: unknown[]): unknown[] {
  const options = split(args, ['case_sensitive', 'attribute']);
  const seen = new Set<string>();
  return listOf(value, 'unique').filter((item) => {
    const key = signature(keyOf(item, options));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Python's dict(): from mappings, from lists of pairs, and from keyword arguments, in that order. */
export function pyDict(...args: unknown[]): Record<string, unknown> {
  const dict: Record<string, unknown> = {};
  for (const arg of args) {
    if (isMapping(arg)) Object.assign(dict, arg);
    else if (Array.isArray(arg)) {
      for (const pair of arg) {
        if (!Array.isArray(pair) || pair.length !== 2) throw new Error(`dictionary update sequence element has length ${Array.isArray(pair) ? pair.length : 1}; 2 is required`);
        dict[String(pair[0])] = pair[1];
      }
    } else throw new Error(`cannot convert ${arg === null ? 'None' : typeof arg} to a dictionary`);
  }
  return dict;
}
