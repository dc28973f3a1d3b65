// A map of computed results that keeps at most a fixed number of entries, dropping the least recently used:
// templating caches what it derives from a template's text (the same text is rendered once per host), and
// a run over many distinct texts must not grow it without bound. Keys longer than a limit (whole template
// files) are computed every time rather than kept.

export class BoundedCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(
    private readonly limit: number,
    private readonly longestKey = Infinity,
  ) {}

  /** The value stored for `key`, computing (and storing) it on a miss; a computation that throws stores nothing. */
  get(key: string, compute: () => V): V {
    if (key.length > this.longestKey) return compute();
    const found = this.entries.get(key);
    if (found !== undefined || this.entries.has(key)) {
      // Re-inserted so the Map's order is the order of use.
      this.entries.delete(key);
      this.entries.set(key, found as V);
      return found as V;
    }
    const value = compute();
    this.entries.set(key, value);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
