// Python dicts keep insertion order; the Jinja engine's maps sort their keys. Each dict handed to the
// engine whose keys are not already sorted is remembered by its content, so a dict coming back out of
// the engine (to a filter, to text, as a result) gets its written order back: a template iterating or
// printing a dict renders as Ansible's does. Two dicts of the same content in different orders in one
// render cannot be told apart once the engine hands them back: using one so is refused, never guessed.

import { CLASH, ContentMemory } from './content-memory.js';

/** Each content's key order (a clash: dicts of that content went in with different orders). */
const orders = new ContentMemory<readonly string[]>((a, b) => a.length === b.length && a.every((k, i) => k === b[i]), 20_000);

function sorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return false;
  return true;
}

/** Remembers the key order of `mapping` (already converted for the engine); only a dict the engine would reorder makes orders matter. */
export function rememberOrder(mapping: Readonly<Record<string, unknown>>): void {
  const keys = Object.keys(mapping);
  orders.note(mapping, keys, !sorted(keys));
}

/**
 * `mapping` with its keys in the order it was written, when the engine was handed it. Two dicts of the same
 * content in different orders come back alike, and which order is whose is not known: that is refused.
 */
export function restoreOrder(mapping: Record<string, unknown>): Record<string, unknown> {
  const keys = orders.recall(mapping);
  if (keys === CLASH) {
    const names = Object.keys(mapping).map((k) => `'${k}'`).join(', ');
    throw new Error(`two dicts with the same keys (${names}) and values, in different key orders, are used by this template, and etcdops cannot tell which order is whose (Python keeps each); use them in separate templates, or sort them (| dictsort)`);
  }
  return keys ? Object.fromEntries(keys.map((k) => [k, mapping[k]])) : mapping;
}

/** Forgets every remembered order: a render that starts afresh owes nothing to an earlier one. */
export function forgetOrders(): void {
  orders.forget();
}
