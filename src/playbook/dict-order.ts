// Python dicts keep insertion order; the Jinja engine's maps sort their keys. Each dict handed to the
// engine whose keys are not already sorted is remembered by its content, so a dict coming back out of
// the engine (to a filter, to text, as a result) gets its written order back: a template iterating or
// printing a dict renders as Ansible's does.

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

const orders = new Map<string, readonly string[]>();

function sorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return false;
  return true;
}

/** Remembers the key order of `mapping` (already converted for the engine) when the engine would change it. */
export function rememberOrder(mapping: Readonly<Record<string, unknown>>): void {
  const keys = Object.keys(mapping);
  if (sorted(keys)) return;
  if (orders.size >= MAX_REMEMBERED) orders.clear();
  orders.set(signature(mapping), keys);
}

/** `mapping` with its keys in the order it was written, when the engine was handed it. */
export function restoreOrder(mapping: Record<string, unknown>): Record<string, unknown> {
  if (orders.size === 0) return mapping;
  const keys = orders.get(signature(mapping));
  return keys ? Object.fromEntries(keys.map((k) => [k, mapping[k]])) : mapping;
}

/** Forgets every remembered order: a render that starts afresh owes nothing to an earlier one. */
export function forgetOrders(): void {
  orders.clear();
}
