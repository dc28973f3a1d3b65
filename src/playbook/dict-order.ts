// Python dicts keep insertion order; the Jinja engine's maps sort their keys. Each dict handed to the
// engine whose keys are not already sorted is remembered by its content, so a dict coming back out of
// the engine (to a filter, to text, as a result) gets its written order back: a template iterating or
// printing a dict renders as Ansible's does. Two dicts of the same content in different orders in one
// render cannot be told apart once the engine hands them back: using one so is refused, never guessed.

/** Content of a value with every mapping's keys sorted: the same for a dict in any key order. */
export function signature(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(signature).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    return `{${Object.keys(object).sort().map((k) => `${JSON.stringify(k)}:${signature(object[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** Bounds the memory one long render can use; past it, orders are forgotten (output falls back to sorted). */
const MAX_REMEMBERED = 20_000;

/** Each content's key order, or 'unclear' when dicts of that content went in with different orders. */
const orders = new Map<string, readonly string[] | 'unclear'>();
/** Dicts already in sorted order handed over before any other: only a dict in another order makes them matter. */
let pendingSorted: Readonly<Record<string, unknown>>[] = [];

function sorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return false;
  return true;
}

function record(mapping: Readonly<Record<string, unknown>>): void {
  if (orders.size >= MAX_REMEMBERED) orders.clear();
  const keys = Object.keys(mapping);
  const key = signature(mapping);
  const known = orders.get(key);
  if (known === undefined) orders.set(key, keys);
  else if (known !== 'unclear' && known.some((k, i) => k !== keys[i])) orders.set(key, 'unclear');
}

/** Remembers the key order of `mapping` (already converted for the engine) when the engine would change it. */
export function rememberOrder(mapping: Readonly<Record<string, unknown>>): void {
  if (!sorted(Object.keys(mapping))) {
    for (const earlier of pendingSorted) record(earlier);
    pendingSorted = [];
    record(mapping);
  } else if (orders.size > 0) record(mapping);
  else if (pendingSorted.length < MAX_REMEMBERED) pendingSorted.push(mapping);
}

/**
 * `mapping` with its keys in the order it was written, when the engine was handed it. Two dicts of the same
 * content in different orders come back alike, and which order is whose is not known: that is refused.
 */
export function restoreOrder(mapping: Record<string, unknown>): Record<string, unknown> {
  if (orders.size === 0) return mapping;
  const keys = orders.get(signature(mapping));
  if (keys === 'unclear') {
    const names = Object.keys(mapping).map((k) => `'${k}'`).join(', ');
    throw new Error(`two dicts with the same keys (${names}) and values, in different key orders, are used by this template, and etcdops cannot tell which order is whose (Python keeps each); use them in separate templates, or sort them (| dictsort)`);
  }
  return keys ? Object.fromEntries(keys.map((k) => [k, mapping[k]])) : mapping;
}

/** Forgets every remembered order: a render that starts afresh owes nothing to an earlier one. */
export function forgetOrders(): void {
  orders.clear();
  pendingSorted = [];
}
