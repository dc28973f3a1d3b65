// Python's tuples in template values. `d.items()`, `zip` and `(1, 2)` make tuples, which Python prints as
// `('a', 1)` where a list prints as `['a', 1]`. The engine has lists only, and the values it hands back are
// new arrays, so within one render a tuple is known by its content: what went into the engine as a tuple
// comes back out as one. Content that went in both as a tuple and as a list (a variable, a `[...]`, the
// result of `| list` or `| sort`) cannot be told apart, and printing it is refused rather than guessed.

import { signature } from './dict-order.js';

const tuples = new WeakSet<readonly unknown[]>();
const unclear = new WeakSet<readonly unknown[]>();

/** `items` marked as a Python tuple (printed in round brackets). */
export function pyTuple<T extends unknown[]>(items: T): T {
  tuples.add(items);
  return items;
}

export function isPyTuple(value: unknown): value is readonly unknown[] {
  return Array.isArray(value) && tuples.has(value);
}

/** An array whose content went into the engine both as a tuple and as a list in this render. */
export function isUnclearSequence(value: unknown): value is readonly unknown[] {
  return Array.isArray(value) && unclear.has(value);
}

/** Bounds the memory one long render can use; past it, what is remembered is forgotten. */
const MAX_REMEMBERED = 100_000;

/** What each content went into the engine as: 'tuple', 'list', or 'both'. */
const kinds = new Map<string, 'tuple' | 'list' | 'both'>();
/** Lists handed over before any tuple: most renders have no tuple, and then no content needs reading. */
let pending: (readonly unknown[])[] = [];

function remember(items: readonly unknown[], kind: 'tuple' | 'list'): void {
  if (kinds.size >= MAX_REMEMBERED) kinds.clear();
  const key = signature(items);
  const known = kinds.get(key);
  kinds.set(key, known === undefined || known === kind ? kind : 'both');
}

/** Records an array handed to the engine (`items`, already converted from `original`): a tuple or a list. */
export function rememberSequence(items: readonly unknown[], original: readonly unknown[]): void {
  if (tuples.has(original)) {
    for (const list of pending) remember(list, 'list');
    pending = [];
    remember(items, 'tuple');
  } else if (kinds.size > 0) remember(items, 'list');
  else if (pending.length < MAX_REMEMBERED) pending.push(items);
}

/** Records a list or tuple the engine made (`[a, b]`, `(a, b)`, `| list`): a tuple's content and a list's clash. */
export function rememberMadeSequence(items: readonly unknown[]): void {
  rememberSequence(items, items);
}

/** An array coming back out of the engine, marked as a tuple when its content went in as one. */
export function restoreTuple(items: unknown[]): unknown[] {
  if (kinds.size === 0) return items;
  const kind = kinds.get(signature(items));
  if (kind === 'tuple') tuples.add(items);
  else if (kind === 'both') unclear.add(items);
  return items;
}

/** Forgets what earlier renders handed over. */
export function forgetTuples(): void {
  kinds.clear();
  pending = [];
}
