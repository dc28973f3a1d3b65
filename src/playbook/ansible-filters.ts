// Ansible's filters and tests that real playbooks use, on top of the Jinja engine's own: each behaves
// as Ansible 2.14 does (`'y' | bool` is false, `'12abc' | int` is 0, `to_json` uses Python's
// separators). Arguments arrive as plain values; keyword arguments as a trailing options object.
import { basename, dirname } from 'node:path';
import { parseYamlDocument, yamlValue } from '../yaml/parse-yaml-document.js';
import { boolFilter } from './ansible-boolean.js';
import { commentFilter } from './comment-filter.js';
import { isMapping, pyJsonDumps, pyRepr, pyStr, pyTypeName, truthy, WholeFloat } from './python-values.js';
import { percentFormat } from './python-percent-format.js';
import { pyyamlDump } from './pyyaml-dump.js';
import { versionTest } from './version-test.js';
import { signature } from './content-memory.js';
import { holdsWholeFloat } from './engine-json.js';
import { pythonRegex } from './python-regex.js';
import { pyTuple } from './python-tuples.js';
import type { UserRegex } from './user-regex.js';

type Fn = (value: unknown, ...args: unknown[]) => unknown;

/** A filter or test; keyword arguments reach it as a trailing mapping. */
export interface Callable {
  readonly fn: Fn;
}

/** Text, for the filters Python runs only on text (a path, lines to indent or comment). */
function textOnly(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`${what} needs text, not ${pyTypeName(value)}`);
  return value;
}

export function listOf(value: unknown, what: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (isMapping(value)) return Object.keys(value);
  if (typeof value === 'string') return [...value];
  throw new Error(`${what} needs a list, not ${pyTypeName(value)}`);
}


/**
 * An int as the engine takes it: past 2**53 a JavaScript number is not exact, so it goes over as a BigInt,
 * which the engine takes up to 64 bits; Python's ints have no bound, and a larger one is refused.
 */
function exactInt(value: bigint): number | bigint {
  if (value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(value);
  if (value >= -(2n ** 63n) && value < 2n ** 64n) return value;
  throw new Error(`the integer ${value} is larger than etcdops computes with (64 bits)`);
}

/** Jinja's `int`: Python's int(), then int(float()), then the default. */
function toInt(value: unknown, fallback: unknown = 0, base: unknown = 10): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Number.isFinite(value) ? exactInt(BigInt(Math.trunc(value))) : fallback;
  if (typeof value === 'string') {
    const text = value.trim().replaceAll('_', '');
    const radix = Number(base);
    const digits = radix === 16 ? /^[+-]?(?:0x)?[0-9a-f]+$/i : radix === 8 ? /^[+-]?(?:0o)?[0-7]+$/i : radix === 2 ? /^[+-]?(?:0b)?[01]+$/i : /^[+-]?\d+$/;
    if (digits.test(text)) {
      const negative = text.startsWith('-');
      const body = text.replace(/^[+-]?(?:0[xob])?/i, '');
      const prefix = radix === 16 ? '0x' : radix === 8 ? '0o' : radix === 2 ? '0b' : '';
      const magnitude = radix === 10 || prefix ? BigInt(`${prefix}${body}`) : BigInt(Number.parseInt(body, radix));
      return exactInt(negative ? -magnitude : magnitude);
    }
    if (/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(text)) return exactInt(BigInt(Math.trunc(Number(text))));
  }
  return fallback;
}

/** A filter's or test's pattern with the flags its keyword arguments ask for (ignorecase, multiline). */
function pyRegex(pattern: unknown, options: unknown): UserRegex {
  const o = isMapping(options) ? options : {};
  return pythonRegex(String(pattern), 'pattern', `${truthy(o.ignorecase) ? 'i' : ''}${truthy(o.multiline) ? 'm' : ''}`);
}

/** Python's escapes in a re.sub template (an unknown one stays as written). */
const REPLACEMENT_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b' };

/**
 * A Python re.sub template (`\1`, `\g<1>`, `\g<name>`, escapes) as a JavaScript replacement (`$1`, `$<name>`),
 * read left to right as Python reads it: `\\1` is a backslash and a 1, not a group.
 */
function pyReplacement(replacement: unknown): string {
  const text = String(replacement ?? '');
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '$') out += '$$';
    else if (c !== '\\' || i + 1 === text.length) out += c;
    else {
      const rest = text.slice(i + 1);
      const group = /^g<(\w+)>/.exec(rest) ?? /^(\d{1,2})/.exec(rest);
      if (group) {
        out += /^\d+$/.test(group[1]!) ? `$${group[1]}` : `$<${group[1]}>`;
        i += group[0].length;
      } else {
        const escape = REPLACEMENT_ESCAPES[rest[0]!];
        out += escape ?? `\\${rest[0]}`;
        i += 1;
      }
    }
  }
  return out;
}

function regexSearch(value: unknown, pattern: unknown, ...rest: unknown[]): unknown {
  const options = isMapping(rest.at(-1)) ? rest.pop() : undefined;
  // Ansible's regex_search takes `\N` and `\g<name>` only, and refuses any other argument before searching.
  const groups = rest.map((group) => {
    const reference = /^\\g<(\S+)>|^\\(\d+)/.exec(String(group));
    if (!reference) throw new Error(`Unknown argument ${JSON.stringify(String(group))} (use '\\1' or '\\g<name>')`);
    return reference[2] !== undefined ? Number(reference[2]) : reference[1]!;
  });
  const match = pyRegex(pattern, options).search(pyStr(value));
  if (!match) return null;
  if (groups.length === 0) return match[0];
  return groups.map((group) => (typeof group === 'number' ? match[group] : match.groups?.[group]) ?? null);
}

/** Ansible's `extract`: `container[item]`, then each of `morekeys` (one key or a list) in turn; a missing one is an error. */
function extract(item: unknown, container: unknown, morekeys?: unknown): unknown {
  const keys = [item, ...(morekeys === undefined || morekeys === null ? [] : Array.isArray(morekeys) ? morekeys : [morekeys])];
  let value = container;
  for (const key of keys) {
    const found = Array.isArray(value) ? (typeof key === 'number' && Number.isInteger(key) ? value.at(key) : undefined) : isMapping(value) && Object.hasOwn(value, String(key)) ? value[String(key)] : undefined;
    if (found === undefined) throw new Error(`extract: ${pyRepr(key)} is not a key of ${value === null ? 'None' : Array.isArray(value) ? 'the list' : isMapping(value) ? 'the mapping' : pyTypeName(value)}`);
    value = found;
  }
  return value;
}

const LIST_MERGES = ['replace', 'keep', 'append', 'prepend', 'append_rp', 'prepend_rp'];

/** Ansible's combine (its merge_hash): later dicts win; `recursive` merges nested dicts, `list_merge` lists. */
function combine(...args: unknown[]): unknown {
  const options = args.length > 1 && isMapping(args.at(-1)) && Object.keys(args.at(-1) as object).every((k) => k === 'recursive' || k === 'list_merge') && Object.keys(args.at(-1) as object).length > 0 ? (args.pop() as Record<string, unknown>) : {};
  const recursive = truthy(options.recursive);
  const listMerge = String(options.list_merge ?? 'replace');
  if (!LIST_MERGES.includes(listMerge)) throw new Error(`merge_hash: 'list_merge' argument can only be equal to ${LIST_MERGES.map((m) => `'${m}'`).join(', ')}`);
  const lists = (a: unknown[], b: unknown[]): unknown[] => {
    const notInB = () => a.filter((item) => !b.some((other) => signature(other) === signature(item)));
    return { replace: b, keep: a, append: [...a, ...b], prepend: [...b, ...a], append_rp: [...notInB(), ...b], prepend_rp: [...b, ...notInB()] }[listMerge]!;
  };
  const merge = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) {
      const before = out[k];
      if (!Object.hasOwn(out, k)) out[k] = v;
      else if (isMapping(before) && isMapping(v)) out[k] = recursive ? merge(before, v) : v;
      else if (Array.isArray(before) && Array.isArray(v)) out[k] = lists(before, v);
      else out[k] = v;
    }
    return out;
  };
  return args.flatMap((a) => (Array.isArray(a) ? a : [a])).reduce<Record<string, unknown>>((acc, d) => {
    if (!isMapping(d)) throw new Error(`combine needs mappings, not ${d === null ? 'None' : typeof d}`);
    return merge(acc, d);
  }, {});
}

function flatten(value: unknown, levels: unknown = null): unknown[] {
  const given = isMapping(levels) ? levels.levels : levels;
  const depth = given === null || given === undefined ? Infinity : Number(given);
  const walk = (list: unknown[], level: number): unknown[] =>
    list.flatMap((item) => (Array.isArray(item) && level < depth ? walk(item, level + 1) : item === null ? [] : [item]));
  return walk(listOf(value, 'flatten'), 0);
}

/** Python's `==`, as union, intersect and difference compare: 2.0 and True equal 2 and 1, a dict's order does not count. */
function sameValue(a: unknown, b: unknown): boolean {
  const scalar = (v: unknown) => (v instanceof WholeFloat ? v.value : typeof v === 'boolean' ? Number(v) : v);
  const [x, y] = [scalar(a), scalar(b)];
  if (Array.isArray(x) || Array.isArray(y)) return Array.isArray(x) && Array.isArray(y) && x.length === y.length && x.every((item, i) => sameValue(item, y[i]));
  if (isMapping(x) || isMapping(y)) {
    return isMapping(x) && isMapping(y) && Object.keys(x).length === Object.keys(y).length && Object.keys(x).every((k) => Object.hasOwn(y, k) && sameValue(x[k], y[k]));
  }
  return x === y;
}

function uniqueList(list: unknown[]): unknown[] {
  return list.filter((item, i) => list.findIndex((other) => sameValue(other, item)) === i);
}

function registered(value: unknown, test: string): Record<string, unknown> {
  if (!isMapping(value)) throw new Error(`'is ${test}' needs a registered task result, not ${value === null ? 'None' : typeof value}`);
  return value;
}

function hasFailed(result: Record<string, unknown>): boolean {
  if (result.failed !== undefined) return truthy(result.failed);
  return typeof result.rc === 'number' && result.rc !== 0;
}

/** POSIX shell quoting, as Ansible's `quote` filter: safe words stay bare, others get single quotes. */
export function shellQuote(value: unknown): string {
  const text = pyStr(value ?? '');
  if (text === '') return "''";
  if (/^[\w@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replaceAll("'", `'"'"'`)}'`;
}

const call = (fn: Fn): Callable => ({ fn });

/** Float input as Ansible's `float` filter accepts it: anything that is not a number becomes the default (0.0). */
function floatInput(value: unknown, fallback: unknown = 0): unknown {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const text = typeof value === 'string' ? value.trim() : '';
  return /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(text) || /^[+-]?(?:inf|nan)$/i.test(text) ? text : fallback;
}

/** Python's zip as Ansible gives it (made a list): tuples of the n-th items, as many as the shortest has. */
function zipFilter(...values: unknown[]): unknown[] {
  const lists = values.map((v) => listOf(v, 'zip'));
  const length = Math.min(...lists.map((l) => l.length));
  return Array.from({ length }, (_, i) => pyTuple(lists.map((l) => l[i])));
}

/** itertools.zip_longest: as many tuples as the longest has, the missing items `fillvalue` (None). */
function zipLongestFilter(...values: unknown[]): unknown[] {
  const last = values.at(-1);
  const options = values.length > 1 && isMapping(last) && Object.keys(last).join() === 'fillvalue' ? last : undefined;
  const lists = (options ? values.slice(0, -1) : values).map((v) => listOf(v, 'zip_longest'));
  const length = Math.max(0, ...lists.map((l) => l.length));
  const fill = options?.fillvalue ?? null;
  return Array.from({ length }, (_, i) => pyTuple(lists.map((l) => (i < l.length ? l[i] : fill))));
}

function mappingOf(value: unknown, what: string): Record<string, unknown> {
  if (isMapping(value)) return value;
  throw new Error(`${what} needs a dict, not ${pyTypeName(value)}`);
}

/** Jinja's dictsort: (key, value) tuples sorted by key or value, text compared without case unless asked. */
function dictsort(value: unknown, ...args: unknown[]): unknown[] {
  const options = isMapping(args.at(-1)) ? (args.pop() as Record<string, unknown>) : {};
  const [caseSensitive = options.case_sensitive ?? false, by = options.by ?? 'key', reverse = options.reverse ?? false] = args;
  if (by !== 'key' && by !== 'value') throw new Error("You can only sort by either 'key' or 'value'");
  const at = by === 'key' ? 0 : 1;
  const sortKey = (v: unknown) => (typeof v === 'string' && !truthy(caseSensitive) ? v.toLowerCase() : v);
  const pairs = Object.entries(mappingOf(value, 'dictsort')).map((pair) => pyTuple(pair));
  pairs.sort((a, b) => {
    const x = sortKey(a[at]) as string | number;
    const y = sortKey(b[at]) as string | number;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return truthy(reverse) ? pairs.reverse() : pairs;
}

/**
 * `value`, parsed from the JSON `text`, unless the text holds a float with no fraction (`1.0`), which would
 * come back into the template as the int 1: refused, as in YAML (parse-yaml-document.ts).
 */
function withoutWholeFloats(value: unknown, text: string): unknown {
  if (holdsWholeFloat(text)) {
    throw new Error("the JSON holds a float with nothing after its point (such as 1.0), which etcdops would hand to the template as the int 1 where Ansible keeps 1.0: read the field with regex_search instead, or have the JSON written with ints");
  }
  return value;
}

export const FILTERS: Readonly<Record<string, Callable>> = {
  bool: call(boolFilter),
  int: call((v, ...args) => {
    const options = isMapping(args.at(-1)) ? (args.pop() as Record<string, unknown>) : {};
    const [fallback = options.default ?? 0, base = options.base ?? 10] = args;
    return toInt(v, fallback, base);
  }),
  string: call((v) => pyStr(v)),
  title: call(jinjaTitle),
  indent: call(jinjaIndent),
  __float_input: call(floatInput),
  __dict_get: call((v, key, fallback = null) => (isMapping(v) && Object.hasOwn(v, pyStr(key)) ? v[pyStr(key)] : fallback)),
  format: call(percentFormat),
  zip: call(zipFilter),
  dictsort: call(dictsort),
  // Jinja's items: the (key, value) tuples of a dict in its own order (None gives none).
  items: call((v) => (v === null ? [] : Object.entries(mappingOf(v, 'items')).map((pair) => pyTuple(pair)))),
  zip_longest: call(zipLongestFilter),
  comment: call((v, ...args) => commentFilter(textOnly(v, 'comment'), ...args)),
  replace: call((v, old, replacement, count) => {
    const parts = pyStr(v).split(pyStr(old));
    const limit = count === undefined || count === null ? parts.length : Number(count) + 1;
    return parts.slice(0, limit).join(pyStr(replacement)) + (limit < parts.length ? pyStr(old) + parts.slice(limit).join(pyStr(old)) : '');
  }),
  join: call((v, sep = '') => listOf(v, 'join').map(pyStr).join(pyStr(sep))),
  quote: call((v) => shellQuote(v === null ? '' : pyStr(v))),
  to_json: call((v, o) => pyJsonDumps(v, { indent: isMapping(o) && o.indent !== undefined ? Number(o.indent) : undefined, sortKeys: isMapping(o) && truthy(o.sort_keys), asciiOnly: !isMapping(o) || o.ensure_ascii === undefined || truthy(o.ensure_ascii) })),
  to_nice_json: call((v, o) => pyJsonDumps(v, { indent: isMapping(o) && o.indent !== undefined ? Number(o.indent) : 4, sortKeys: true, asciiOnly: !isMapping(o) || o.ensure_ascii === undefined || truthy(o.ensure_ascii) })),
  from_json: call((v) => withoutWholeFloats(JSON.parse(String(v)) as unknown, String(v))),
  to_yaml: call((v) => pyyamlDump(v, { flowStyle: 'scalars-inline' })),
  to_nice_yaml: call((v, o) => pyyamlDump(v, { indent: isMapping(o) && o.indent !== undefined ? Number(o.indent) : 4, flowStyle: 'block' })),
  from_yaml: call((v) => yamlValue(parseYamlDocument('from_yaml', String(v)))),
  b64encode: call((v) => Buffer.from(pyStr(v), 'utf8').toString('base64')),
  b64decode: call((v) => Buffer.from(String(v), 'base64').toString('utf8')),
  regex_replace: call((v, pattern = '', replacement = '', o) => pyRegex(pattern, o).replaceAll(pyStr(v), pyReplacement(replacement))),
  regex_search: call(regexSearch),
  regex_findall: call((v, pattern, o) => pyRegex(pattern, o).findAll(pyStr(v)).map((m) => (m.length > 2 ? m.slice(1) : (m[1] ?? m[0])))),
  regex_escape: call((v) => pyStr(v).replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')),
  combine: call(combine),
  extract: call(extract),
  dict2items: call((v, o) => {
    if (!isMapping(v)) throw new Error('dict2items needs a mapping');
    const keyName = isMapping(o) && o.key_name !== undefined ? String(o.key_name) : 'key';
    const valueName = isMapping(o) && o.value_name !== undefined ? String(o.value_name) : 'value';
    return Object.entries(v).map(([k, val]) => ({ [keyName]: k, [valueName]: val }));
  }),
  items2dict: call((v, o) => {
    const keyName = isMapping(o) && o.key_name !== undefined ? String(o.key_name) : 'key';
    const valueName = isMapping(o) && o.value_name !== undefined ? String(o.value_name) : 'value';
    return Object.fromEntries(listOf(v, 'items2dict').map((item) => {
      if (!isMapping(item) || !Object.hasOwn(item, keyName)) throw new Error(`items2dict needs mappings with '${keyName}' and '${valueName}'`);
      return [pyStr(item[keyName]), item[valueName]];
    }));
  }),
  ternary: call((v, yes, no, none) => (v === null && none !== undefined ? none : truthy(v) ? yes : no)),
  basename: call((v) => basename(textOnly(v, 'basename'))),
  dirname: call((v) => dirname(textOnly(v, 'dirname'))),
  flatten: call(flatten),
  union: call((a, b) => uniqueList([...listOf(a, 'union'), ...listOf(b, 'union')])),
  intersect: call((a, b) => uniqueList(listOf(a, 'intersect').filter((x) => listOf(b, 'intersect').some((y) => sameValue(x, y))))),
  difference: call((a, b) => uniqueList(listOf(a, 'difference').filter((x) => !listOf(b, 'difference').some((y) => sameValue(x, y))))),
  type_debug: call(pyTypeName),
};

export const TESTS: Readonly<Record<string, Callable>> = {
  succeeded: call((v) => !hasFailed(registered(v, 'succeeded'))),
  success: call((v) => !hasFailed(registered(v, 'success'))),
  failed: call((v) => hasFailed(registered(v, 'failed'))),
  failure: call((v) => hasFailed(registered(v, 'failure'))),
  changed: call((v) => truthy(registered(v, 'changed').changed)),
  change: call((v) => truthy(registered(v, 'change').changed)),
  skipped: call((v) => truthy(registered(v, 'skipped').skipped)),
  skip: call((v) => truthy(registered(v, 'skip').skipped)),
  match: call((v, pattern, o) => pyRegex(pattern, o).matchStart(pyStr(v)) !== null),
  search: call((v, pattern, o) => pyRegex(pattern, o).search(pyStr(v)) !== null),
  regex: call((v, pattern, o) => pyRegex(pattern, o).search(pyStr(v)) !== null),
  version: call(versionTest),
  version_compare: call(versionTest),
  subset: call((a, b) => listOf(a, 'subset').every((x) => listOf(b, 'subset').some((y) => sameValue(x, y)))),
  superset: call((a, b) => listOf(b, 'superset').every((x) => listOf(a, 'superset').some((y) => sameValue(x, y)))),
  contains: call((a, b) => listOf(a, 'contains').some((x) => sameValue(x, b))),
  truthy: call((v) => truthy(v)),
  falsy: call((v) => !truthy(v)),
  sequence: call((v) => Array.isArray(v) || typeof v === 'string' || isMapping(v)),
  iterable: call((v) => Array.isArray(v) || typeof v === 'string' || isMapping(v)),
};

/** Jinja2's `tojson`: json.dumps with sorted keys and Python's separators, `<>&'` escaped for HTML. */
function jinjaToJson(value: unknown, indent?: unknown): string {
  const options = isMapping(indent) ? indent.indent : indent;
  const text = pyJsonDumps(value, { sortKeys: true, ...(options === undefined || options === null ? {} : { indent: Number(options) }) });
  return text.replace(/[<>&']/g, (ch) => `\\u00${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Python's pprint.pformat as Jinja2's `pprint` gives it, for what fits its 80 columns (its repr). */
function jinjaPprint(value: unknown): string {
  const text = pyRepr(value);
  if (text.length > 80) throw new Error(`a value longer than 80 characters, which Python's pprint breaks over lines as etcdops does not: use to_nice_yaml or to_nice_json`);
  return text;
}

/** Jinja2's `title`: each word's first letter upper-cased, the rest lower; words begin after spaces, `-` and opening brackets. */
function jinjaTitle(value: unknown): string {
  return pyStr(value)
    .split(/([-\s({[<]+)/)
    .filter((part) => part !== '')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase())
    .join('');
}

/** Jinja2's `indent(width=4, first=False, blank=False)`: lines split as Python's splitlines() splits them. */
function jinjaIndent(value: unknown, ...rest: unknown[]): string {
  const options = isMapping(rest.at(-1)) ? (rest.pop() as Record<string, unknown>) : {};
  const [width = options.width ?? 4, first = options.first ?? false, blank = options.blank ?? false] = rest;
  const indention = typeof width === 'string' ? width : ' '.repeat(Number(width));
  const lines = `${textOnly(value, 'indent')}\n`.split(/\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/).slice(0, -1);
  const text = truthy(blank)
    ? lines.join(`\n${indention}`)
    : [lines[0] ?? '', ...lines.slice(1).map((line) => (line ? indention + line : line))].join('\n');
  return truthy(first) ? indention + text : text;
}

/**
 * The engine's filters that print a value's text, in Jinja2's way; registered under their own names they
 * would replace the engine's, which etcdops reads values through (engine-json.ts, python-round.ts).
 */
export const PRINTING_NAMESAKES: Readonly<Record<string, Callable>> = {
  tojson: call(jinjaToJson),
  pprint: call(jinjaPprint),
};

/** The engine's own filters and tests, so the loader can name an unknown one before the run. */
export const ENGINE_FILTERS = new Set([
  'abs', 'attr', 'batch', 'capitalize', 'count', 'd', 'default', 'dictsort', 'escape', 'e', 'first', 'float', 'groupby',
  'indent', 'items', 'join', 'last', 'length', 'list', 'lower', 'map', 'max', 'min', 'pprint', 'reject', 'rejectattr',
  'replace', 'reverse', 'round', 'safe', 'select', 'selectattr', 'slice', 'sort', 'split', 'sum', 'title', 'tojson',
  'trim', 'unique', 'upper',
]);

export const ENGINE_TESTS = new Set([
  'boolean', 'defined', 'divisibleby', 'endingwith', 'eq', 'equalto', 'even', 'false', 'filter', 'float', 'ge', 'gt',
  'in', 'integer', 'iterable', 'le', 'lower', 'lt', 'mapping', 'ne', 'none', 'number', 'odd', 'escaped',
  'sameas', 'sequence', 'string', 'test', 'true', 'undefined', 'upper', 'greaterthan', 'lessthan',
]);
