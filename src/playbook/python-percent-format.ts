// Python's `%` string formatting, which the `format` filter is (`'%05.1f' | format(x)`): the conversions
// s r a d i u f F e E x X o c, flags - + space 0 #, width, precision and `%(name)s` keys. What Python
// would refuse (too few or too many values, a number conversion of text) is refused, and a conversion
// etcdops does not do (%g) is an error, never left in the text as written.
import { divideHalfEven, exactFraction } from './python-round.js';
import { isMapping, pyRepr, pyStr, WholeFloat } from './python-values.js';

const SPEC = /%(?:\(([^)]*)\))?([-+ 0#]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])?/g;
const NUMERIC = 'diufFeExXoc';

function numberOf(value: unknown, kind: string): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (value instanceof WholeFloat) return value.value;
  throw new Error(`%${kind} format: a real number is required, not ${value === null ? 'NoneType' : Array.isArray(value) ? 'list' : typeof value === 'string' ? 'str' : 'dict'}`);
}

/** `units` (an int) shown with `precision` decimals. */
function withDecimals(units: bigint, precision: number): string {
  const text = units.toString().padStart(precision + 1, '0');
  return precision === 0 ? text : `${text.slice(0, -precision)}.${text.slice(-precision)}`;
}

/** `size / 10**shift` rounded to an int, halves to even, from the float's exact value as Python's dtoa does. */
function scaledUnits(size: number, shift: number): bigint {
  const [numerator, denominator] = exactFraction(size);
  const scale = 10n ** BigInt(Math.abs(shift));
  return shift <= 0 ? divideHalfEven(numerator * scale, denominator) : divideHalfEven(numerator, denominator * scale);
}

/** Python's `%.Nf` of a finite non-negative float. */
function fixed(size: number, precision: number): string {
  return withDecimals(scaledUnits(size, -precision), precision);
}

/** Python's `%.Ne` of a finite non-negative float: at least two exponent digits (`1.5e+03`). */
function exponential(size: number, precision: number): string {
  let exponent = size === 0 ? 0 : Math.floor(Math.log10(size));
  let units = scaledUnits(size, exponent - precision);
  // log10 may be one off near a power of ten, and rounding may carry into a new digit.
  if (units >= 10n ** BigInt(precision + 1)) units = scaledUnits(size, ++exponent - precision);
  else if (size !== 0 && units < 10n ** BigInt(precision)) units = scaledUnits(size, --exponent - precision);
  return `${withDecimals(units, precision)}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

function converted(kind: string, value: unknown, flags: string, precision: number | undefined): string {
  if (kind === 's') return precision === undefined ? pyStr(value) : pyStr(value).slice(0, precision);
  if (kind === 'r' || kind === 'a') return precision === undefined ? pyRepr(value) : pyRepr(value).slice(0, precision);
  if (kind === 'c') {
    if (typeof value === 'string' && [...value].length === 1) return value;
    return String.fromCodePoint(Math.trunc(numberOf(value, kind)));
  }
  const number = numberOf(value, kind);
  if (!Number.isFinite(number) && 'diuxXoc'.includes(kind)) throw new Error(`cannot convert float ${number} to integer`);
  const sign = number < 0 || Object.is(number, -0) ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
  const size = Math.abs(number);
  const whole = BigInt(Math.trunc(size));
  let digits: string;
  if (kind === 'd' || kind === 'i' || kind === 'u') digits = String(whole);
  else if (kind === 'x' || kind === 'X') digits = (flags.includes('#') ? '0x' : '') + whole.toString(16);
  else if (kind === 'o') digits = (flags.includes('#') ? '0o' : '') + whole.toString(8);
  else if (kind === 'e' || kind === 'E') digits = Number.isFinite(size) ? exponential(size, precision ?? 6) : 'inf';
  else digits = Number.isFinite(size) ? fixed(size, precision ?? 6) : Number.isNaN(size) ? 'nan' : 'inf';
  if (kind === 'X' || kind === 'E' || kind === 'F') digits = digits.toUpperCase();
  return `${sign}${digits}`;
}

function padded(text: string, kind: string, flags: string, width: number | undefined): string {
  if (width === undefined || text.length >= width) return text;
  if (flags.includes('-')) return text.padEnd(width);
  if (flags.includes('0') && NUMERIC.includes(kind) && kind !== 'c') {
    const prefix = /^[-+ ]?(?:0[xXo])?/.exec(text)![0];
    return prefix + text.slice(prefix.length).padStart(width - prefix.length, '0');
  }
  return text.padStart(width);
}

/** `format % args`, as Python computes it; a single mapping argument serves `%(name)s` keys. */
export function percentFormat(format: unknown, ...args: unknown[]): string {
  const text = pyStr(format);
  const mapping = args.length === 1 && isMapping(args[0]) ? args[0] : undefined;
  let next = 0;
  let keyed = false;
  const out = text.replace(SPEC, (spec, key: string | undefined, flags: string, width: string | undefined, precision: string | undefined, kind: string | undefined) => {
    if (kind === undefined) throw new Error(`incomplete format in ${JSON.stringify(spec)}`);
    if (kind === '%') return '%';
    if (!'srasdiufFeExXoc'.includes(kind)) throw new Error(`unsupported format character '${kind}' in ${JSON.stringify(spec)} (etcdops formats %s %r %a %d %i %u %f %F %e %E %x %X %o %c)`);
    let value: unknown;
    if (key !== undefined) {
      if (!mapping) throw new Error('format requires a mapping');
      if (!Object.hasOwn(mapping, key)) throw new Error(`KeyError: '${key}'`);
      keyed = true;
      value = mapping[key];
    } else {
      if (next >= args.length) throw new Error('not enough arguments for format string');
      value = args[next++];
    }
    return padded(converted(kind, value, flags, precision === undefined ? undefined : Number(precision)), kind, flags, width === undefined ? undefined : Number(width));
  });
  if (!keyed && next < args.length && !(mapping && next === 0)) throw new Error('not all arguments converted during string formatting');
  return out;
}
