// Python's tuples in template values. `d.items()`, `zip` and `(1, 2)` make tuples, which Python prints as
// `('a', 1)` where a list prints as `['a', 1]`. The engine has lists only, and the values it hands back are
// new arrays, so within one render a tuple is known by its content: what went into the engine as a tuple
// comes back out as one. Content that went in both as a tuple and as a list (a variable, a `[...]`, the
// result of `| list` or `| sort`) cannot be told apart, and printing it is refused rather than guessed.

import { CLASH, ContentMemory } from './content-memory.js';

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

/** Whether each content went into the engine as a tuple or a list (a clash: both). */
const kinds = new ContentMemory<'tuple' | 'list'>((a, b) => a === b, 100_000);

/** Records an array handed to the engine (`items`, already converted from `original`): a tuple or a list. */
export function rememberSequence(items: readonly unknown[], original: readonly unknown[]): void {
  // Most renders have no tuple, and then no list's content needs reading.
  const isTuple = tuples.has(original);
  kinds.note(items, isTuple ? 'tuple' : 'list', isTuple);
}

/** Records a list or tuple the engine made (`[a, b]`, `(a, b)`, `| list`): a tuple's content and a list's clash. */
export function rememberMadeSequence(items: readonly unknown[]): void {
  rememberSequence(items, items);
}

/** An array coming back out of the engine, marked as a tuple when its content went in as one. */
export function restoreTuple(items: unknown[]): unknown[] {
  const kind = kinds.recall(items);
  if (kind === 'tuple') tuples.add(items);
  else if (kind === CLASH) unclear.add(items);
  return items;
}

/** Forgets what earlier renders handed over. */
export function forgetTuples(): void {
  kinds.forget();
}
