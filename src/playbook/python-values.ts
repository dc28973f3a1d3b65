// Python's view of the values templates handle: truthiness, `str()` and `repr()` (how Ansible prints
// `True`, `None`, `['a', 1]`, `('a', 1)`, `{'k': 'v'}` inside text), and `json.dumps` with Python's separators.
import { isPyTuple, isUnclearSequence } from './python-tuples.js';

/**
 * A float with no fraction (Python's `2.0`), as read from the engine's own text (engine-json.ts): a
 * JavaScript number would print as the int `2`. Its content is its number (signature, JSON).
 */
export class WholeFloat {
  constructor(readonly value: number) {}

  toJSON(): number {
    return this.value;
  }
}

/** A Python dict among template values (a WholeFloat is a number, not a mapping). */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof WholeFloat);
}

/** The name of a value's Python type, as `type_debug` and Python's TypeError messages give it. */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'bigint') return 'int';
  if (value instanceof WholeFloat) return 'float';
  if (typeof value === 'string') return 'str';
  if (isPyTuple(value)) return 'tuple';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

/** Python truthiness: empty strings, lists and mappings are false, as Ansible users expect. */
export function truthy(value: unknown): boolean {
  if (value instanceof WholeFloat) return value.value !== 0;
  if (Array.isArray(value)) return value.length > 0;
  if (isMapping(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

/**
 * Python's `repr()` of a float: the shortest digits that read back the same (as JavaScript's), written in
 * positional form for exponents -4 to 15 (`0.0001`, `1e+16`, `1e-05`) and always with a dot (`2.0`).
 */
export function pyFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const [mantissa, exponentText] = Math.abs(value).toExponential().split('e') as [string, string];
  const sign = value < 0 ? '-' : '';
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  const digits = mantissa.replace('.', '');
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  return `${sign}${whole}.${digits.slice(exponent + 1) || '0'}`;
}

/**
 * A number back from the engine, as Python shows it. The engine hands integers and floats over alike; an
 * integral value is taken for an int unless no int could arrive so (-0, or beyond 2**53, where the engine
 * refuses to hand an int over). What prints values reads the engine's JSON instead (engine-json.ts),
 * where `1.0` is a WholeFloat.
 */
export function reprNumber(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 2 ** 53 && !Object.is(value, -0) ? String(value) : pyFloatRepr(value);
}

/** Python's `repr()` of a string: single quotes unless the text holds a single quote and no double one. */
function reprString(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/** Python's `repr()`: how a value appears inside a printed list or dict. */
export function pyRepr(value: unknown): string {
  if (typeof value === 'string') return reprString(value);
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'number') return reprNumber(value);
  if (typeof value === 'bigint') return String(value);
  if (value instanceof WholeFloat) return pyFloatRepr(value.value);
  if (isPyTuple(value)) return value.length === 1 ? `(${pyRepr(value[0])},)` : `(${value.map(pyRepr).join(', ')})`;
  if (isUnclearSequence(value)) {
    throw new Error(`cannot tell whether ${`[${value.map(pyRepr).join(', ')}]`} is a list or a tuple (the template makes both with this content, which Python prints differently); print its items instead (e.g. with | join), or keep the list and the tuple apart`);
  }
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (isMapping(value)) return `{${Object.entries(value).map(([k, v]) => `${reprString(k)}: ${pyRepr(v)}`).join(', ')}}`;
  return reprString(String(value));
}

/** Python's `str()`: a string as itself, everything else as its repr. */
export function pyStr(value: unknown): string {
  return typeof value === 'string' ? value : pyRepr(value);
}

function jsonString(value: string, asciiOnly: boolean): string {
  const json = JSON.stringify(value);
  return asciiOnly ? json.replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}

export interface JsonOptions {
  readonly indent?: number;
  readonly sortKeys?: boolean;
  readonly asciiOnly?: boolean;
}

/** Python's `json.dumps`: `", "` and `": "` separators, `NaN`/`Infinity` as Python writes them. */
export function pyJsonDumps(value: unknown, options: JsonOptions = {}, depth = 0): string {
  const { indent, sortKeys = false, asciiOnly = true } = options;
  const pad = (level: number) => (indent === undefined ? '' : `\n${' '.repeat(indent * level)}`);
  const itemSep = indent === undefined ? ', ' : ',';
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return reprNumber(value);
  }
  if (typeof value === 'bigint') return String(value);
  if (value instanceof WholeFloat) return pyFloatRepr(value.value);
  if (typeof value === 'string') return jsonString(value, asciiOnly);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${value.map((v) => pad(depth + 1) + pyJsonDumps(v, options, depth + 1)).join(itemSep)}${pad(depth)}]`;
  }
  if (isMapping(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    if (sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const body = entries.map(([k, v]) => `${pad(depth + 1)}${jsonString(k, asciiOnly)}: ${pyJsonDumps(v, options, depth + 1)}`);
    return `{${body.join(itemSep)}${pad(depth)}}`;
  }
  return jsonString(String(value), asciiOnly);
}
