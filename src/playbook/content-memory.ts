// What a render handed to the engine, remembered by content. The engine hands back new objects (a tuple
// as a list, a dict with its keys sorted), so what went in is recognised on the way out by its content
// alone. Most renders never need it: values noted before the first one that matters are only kept aside,
// unread, and a content that went in with two different meanings is a clash, which callers refuse.

/** Content of a value with every mapping's keys sorted: the same for a dict in any key order. */
export function signature(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(signature).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    return `{${Object.keys(object).sort().map((k) => `${JSON.stringify(k)}:${signature(object[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

export const CLASH = Symbol('clash');

export class ContentMemory<T> {
  private readonly known = new Map<string, T | typeof CLASH>();
  /** Noted before anything that matters: read only once something does. */
  private pending: (readonly [unknown, T])[] = [];

  /**
   * @param same whether two meanings of one content agree
   * @param limit bounds the memory of one long render; past it, what is remembered is forgotten
   */
  constructor(
    private readonly same: (a: T, b: T) => boolean,
    private readonly limit: number,
  ) {}

  /** Notes that `content` went in meaning `meaning`; only once a `matters` note came is any content read. */
  note(content: unknown, meaning: T, matters: boolean): void {
    if (matters) {
      for (const [earlier, its] of this.pending) this.record(earlier, its);
      this.pending = [];
      this.record(content, meaning);
    } else if (this.known.size > 0) this.record(content, meaning);
    else if (this.pending.length < this.limit) this.pending.push([content, meaning]);
  }

  /** What `content` went in as, CLASH when it went in with different meanings, undefined when not known. */
  recall(content: unknown): T | typeof CLASH | undefined {
    return this.known.size === 0 ? undefined : this.known.get(signature(content));
  }

  forget(): void {
    this.known.clear();
    this.pending = [];
  }

  private record(content: unknown, meaning: T): void {
    if (this.known.size >= this.limit) this.known.clear();
    const key = signature(content);
    const known = this.known.get(key);
    this.known.set(key, known === undefined || (known !== CLASH && this.same(known, meaning)) ? meaning : CLASH);
  }
}
