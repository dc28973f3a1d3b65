// Jinja2's `round` filter as Ansible runs it: method 'common' is Python's round(), which rounds the exact
// binary value of a float to `precision` decimals with halves to even (2.5 -> 2.0, round(2.675, 2) -> 2.67
// because 2.675 is stored as 2.67499999...), and keeps an int an int; 'ceil' and 'floor' are
// `math.ceil/floor(value * 10**precision) / 10**precision`, always a float.
//
// The engine turns an integral number a filter returns into an int, so a float result such as 2.0 cannot
// be returned as itself: jinja-source.ts rewrites `x | round(p, m)` to
// `x | pprint | __py_round(p, m) | round(__py_round_precision())`, and the result here is a stand-in that
// the engine's own `round` (halves away from zero) at the precision given with it maps to exactly the
// Python float. `pprint` hands over the engine's exact value and whether it is an int or a float.

import { pyFloatRepr } from './python-values.js';

/** What the engine's `round(precision)` is to be given: a number that rounds there to Python's result. */
export interface RoundStandIn {
  value: number | bigint;
  precision: number;
}

const METHODS = ['common', 'ceil', 'floor'];

/** The value `pprint` printed, as Python sees it: an int (exact) or a float. */
function readNumber(printed: string): bigint | number {
  if (/^-?\d+$/.test(printed)) return BigInt(printed);
  if (printed === 'true' || printed === 'false') return printed === 'true' ? 1n : 0n;
  const float = { inf: Infinity, '-inf': -Infinity, NaN: NaN }[printed] ?? (/^-?[\d.]+(?:e[+-]?\d+)?$/.test(printed) ? Number(printed) : undefined);
  if (float === undefined) throw new Error(`expects a number, got ${printed.length > 40 ? `${printed.slice(0, 40)}...` : printed}`);
  return float;
}

/** `n / d` rounded to the nearest integer, halves to the even one (d > 0). */
export function divideHalfEven(n: bigint, d: bigint): bigint {
  let q = n / d;
  let r = n % d;
  if (r < 0n) {
    q -= 1n;
    r += d;
  }
  const twice = 2n * r;
  return twice > d || (twice === d && q % 2n !== 0n) ? q + 1n : q;
}

/** The exact value of a finite float as numerator / denominator (a power of two). */
export function exactFraction(value: number): [bigint, bigint] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const exponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = exponent === 0 ? fraction : fraction | (1n << 52n);
  const power = (exponent === 0 ? 1 : exponent) - 1075;
  const signed = value < 0 ? -mantissa : mantissa;
  return power >= 0 ? [signed << BigInt(power), 1n] : [signed, 1n << BigInt(-power)];
}

/** The float nearest to `units * 10**-precision`, as Python's float(str) and int/int division give it. */
function decimalFloat(units: bigint, precision: number, negative: boolean): number {
  const sign = negative ? '-' : '';
  const magnitude = units < 0n ? -units : units;
  const result = Number(`${sign}${magnitude}e${-precision}`);
  if (!Number.isFinite(result)) throw new Error('rounded value too large to represent');
  return result;
}

/** Python's round(value, precision) of a float: dtoa's correctly rounded digits, read back as a float. */
function roundFloat(value: number, precision: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  // Python's limits: beyond them the float has no digit to round, or every digit goes.
  if (precision > 323) return value;
  if (precision < -308) return 0 * value;
  const [numerator, denominator] = exactFraction(value);
  const scale = 10n ** BigInt(Math.abs(precision));
  const units = precision >= 0 ? divideHalfEven(numerator * scale, denominator) : divideHalfEven(numerator, denominator * scale);
  return decimalFloat(units, precision, value < 0);
}

/** Python's round(value, precision) of an int: the int itself, or rounded to tens, hundreds... halves to even. */
function roundInt(value: bigint, precision: number): bigint {
  if (precision >= 0) return value;
  const scale = 10n ** BigInt(-precision);
  return divideHalfEven(value, scale) * scale;
}

/** Jinja2's `math.ceil/floor(value * 10**precision) / 10**precision`, computed as Python does. */
function ceilOrFloor(value: bigint | number, precision: number, method: 'ceil' | 'floor'): number {
  const apply = method === 'ceil' ? Math.ceil : Math.floor;
  if (precision >= 0) {
    const scale = 10n ** BigInt(precision);
    if (typeof value === 'bigint') return decimalFloat(value * scale, precision, value < 0n);
    const scaled = value * Number(scale);
    if (!Number.isFinite(scaled)) throw new Error(`cannot convert float ${scaled} to integer`);
    const whole = apply(scaled);
    return decimalFloat(BigInt(whole), precision, whole < 0);
  }
  const scale = Number(`1e${precision}`);
  const scaled = Number(value) * scale;
  if (!Number.isFinite(scaled)) throw new Error(`cannot convert float ${scaled} to integer`);
  // Python's math.floor/ceil give an int, which has no negative zero.
  return (apply(scaled) + 0) / scale;
}

/** Rust's f64::round, which the engine's `round` uses: halves away from zero, the sign of zero kept. */
function roundHalfAway(value: number): number {
  const whole = Math.trunc(value);
  return Math.abs(value - whole) >= 0.5 ? whole + Math.sign(value) : whole;
}

/** What the engine's `round(precision)` makes of a float (precision 0 to 22, where 10**precision is exact). */
function engineRound(value: number, precision: number): number {
  const scale = Number(`1e${precision}`);
  return roundHalfAway(value * scale) / scale;
}

/** Decimals of the shortest form of a float (`0.125` has 3, `1.5e-7` has 8). */
function decimals(value: number): number {
  const [mantissa, exponent] = Math.abs(value).toExponential().split('e') as [string, string];
  return Math.max(0, (mantissa.split('.')[1]?.length ?? 0) - Number(exponent));
}

/** A number the engine holds as a float (not a safe integer) and its `round` maps to exactly `result`. */
function floatStandIn(result: number): RoundStandIn {
  if (!Number.isFinite(result)) return { value: result, precision: 0 };
  const awayFromZero = result < 0 || Object.is(result, -0) ? -1 : 1;
  const candidates: RoundStandIn[] = !Number.isInteger(result)
    ? Array.from({ length: Math.max(0, 23 - decimals(result)) }, (_, i) => ({ value: result, precision: decimals(result) + i }))
    : Number.isSafeInteger(result)
      ? [0.25, -0.5].map((offset) => ({ value: result + offset * awayFromZero, precision: 0 }))
      : [{ value: result, precision: 0 }];
  const found = candidates.find((c) => !Number.isSafeInteger(c.value) && Object.is(engineRound(c.value as number, c.precision), result));
  if (!found) {
    throw new Error(
      `the template engine cannot hold the float result ${pyFloatRepr(result)} (a float with no fraction between 2**52 and 2**53, or with more than 22 decimals): use '| int' if an int will do, or round to fewer decimals`,
    );
  }
  return found;
}

/** Jinja2's `round(value, precision, method)` for the value `pprint` printed: an int result is a bigint. */
function pythonResult(printed: string, precision: unknown, method: unknown): number | bigint {
  if (typeof method !== 'string' || !METHODS.includes(method)) throw new Error(`method must be common, ceil or floor, not ${String(method)}`);
  if (typeof precision !== 'number' || !Number.isInteger(precision)) throw new Error(`precision must be an integer, not ${String(precision)}`);
  const value = readNumber(printed);
  if (method !== 'common') return ceilOrFloor(value, precision, method as 'ceil' | 'floor');
  return typeof value === 'number' ? roundFloat(value, precision) : roundInt(value, precision);
}

/** Jinja2's `round` for the value `pprint` printed: an int result as itself, a float result as its stand-in. */
export function pythonRound(printed: string, precision: unknown, method: unknown): RoundStandIn {
  const result = pythonResult(printed, precision, method);
  if (typeof result === 'number') return floatStandIn(result);
  // The engine takes in ints up to 64 bits from here.
  if (result < -(2n ** 63n) || result >= 2n ** 64n) throw new Error(`the int ${result} is too large for the template engine`);
  return { value: Number.isSafeInteger(Number(result)) ? Number(result) : result, precision: 0 };
}

/** The number Jinja2's `round` gives for a number (`map('round')`), where the engine keeps no int/float difference. */
export function pythonRoundValue(value: unknown, precision: unknown, method: unknown): number {
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new Error(`expects a number, got ${JSON.stringify(value)}`);
  const number = Number(value);
  // An integral number rounds to the same value as an int or as a float: reading it as a float is exact.
  const printed = Number.isFinite(number) ? number.toExponential() : String(number).replace('Infinity', 'inf');
  return Number(pythonResult(printed, precision, method));
}
