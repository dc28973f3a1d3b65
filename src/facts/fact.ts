// A fact is a remote command plus a pure parser of its output (after pyinfra's facts).
// Facts are cached per host while the run changes nothing (any change on any host ends what was read
// before it), so a no-op check costs at most one round trip per task, and reads sent ahead fewer.
import type { Connection, ExecResult } from '../connection/connection.js';
import { frameReads, splitReads } from './read-ahead.js';

export interface FactDefinition<A, T> {
  /** Stable name, used in cache keys and in `-vvv` output. */
  readonly name: string;
  /** The POSIX shell command that reads the fact. */
  command(args: A): string;
  /** Pure: turns the command's result into the fact. */
  parse(result: ExecResult, args: A): T;
  /** Whether reading needs root (the executor passes the task's `become`). */
  readonly needsBecome?: boolean;
  /** Several reads in one command, for reads sent ahead: each program once for all instead of once each. */
  readonly many?: ManyReads<A, T>;
}

export interface ManyReads<A, T> {
  command(args: readonly A[]): string;
  /** Pure: each read's fact as its own command would find it, or undefined for one to read in its turn. */
  parse(stdout: string, args: readonly A[]): readonly (T | undefined)[];
}

export function defineFact<A, T>(definition: FactDefinition<A, T>): FactDefinition<A, T> {
  return definition;
}

/**
 * The run's changes, counted when each begins and when it ends, on any host: a fact read while the count was
 * n is reused only while it still is. A change on one host can change what another reads (a delegated task,
 * a member removed from the cluster stops its etcd), and a read made while a change runs may see half of it.
 */
export class ChangeCount {
  private count = 0;

  get value(): number {
    return this.count;
  }

  /** Called as a change begins and as it ends. */
  bump(): void {
    this.count++;
  }
}

/** A fact read another task will make: what a read sent ahead carries. */
export interface FactRequest<A = any, T = unknown> {
  readonly fact: FactDefinition<A, T>;
  readonly args: A;
}

interface Cached {
  readonly count: number;
  readonly value: Promise<unknown>;
}

/** What the readers of one host connection share, whatever their privilege. */
interface ReaderMemory {
  readonly cache: Map<string, Cached>;
  /** Reads the next tasks will make, by privilege and cache key, waiting for this privilege's next read to carry them. */
  readonly ahead: Map<string, { readonly count: number; readonly requests: ReadonlyMap<string, FactRequest> }>;
}

/** A request with its cache key. */
type Keyed = readonly [key: string, request: FactRequest];

/** One section of a command carrying reads sent ahead: one read, or several of a fact that reads many at once. */
interface ReadSection {
  readonly requests: readonly Keyed[];
  readonly command: string;
  parse(stdout: string): readonly unknown[];
}

function sectionsOf(ahead: readonly Keyed[]): ReadSection[] {
  const groups: Keyed[][] = [];
  const manyOf = new Map<FactDefinition<any, unknown>, Keyed[]>();
  for (const keyed of ahead) {
    const { fact } = keyed[1];
    const group = fact.many ? manyOf.get(fact) : undefined;
    if (group) group.push(keyed);
    else {
      groups.push([keyed]);
      if (fact.many) manyOf.set(fact, groups.at(-1)!);
    }
  }
  return groups.map((requests): ReadSection => {
    const { fact } = requests[0]![1];
    const args = requests.map(([, request]) => request.args);
    return requests.length > 1
      ? { requests, command: fact.many!.command(args), parse: (stdout) => fact.many!.parse(stdout, args) }
      : { requests, command: fact.command(args[0]), parse: (stdout) => [fact.parse({ stdout, stderr: '', code: 0 }, args[0])] };
  });
}

/** Reads facts on one host, memoising by fact, arguments and privilege while the run changes nothing. */
export class FactReader {
  private readonly privilege: string;

  constructor(
    private readonly connection: Connection,
    private readonly become = false,
    private readonly becomeUser = 'root',
    private readonly changes = new ChangeCount(),
    private readonly memory: ReaderMemory = { cache: new Map(), ahead: new Map() },
  ) {
    this.privilege = become ? becomeUser : '';
  }

  private key(request: FactRequest): string {
    return `${request.fact.name}\u0000${this.privilege}\u0000${JSON.stringify(request.args)}`;
  }

  read<A, T>(fact: FactDefinition<A, T>, args: A): Promise<T> {
    const key = this.key({ fact, args });
    const count = this.changes.value;
    const cached = this.memory.cache.get(key);
    if (cached && cached.count === count) return cached.value as Promise<T>;
    const ahead = [...this.takeAhead(count)].filter(([aheadKey]) => aheadKey !== key && this.memory.cache.get(aheadKey)?.count !== count);
    const value = ahead.length === 0 ? this.readAlone(fact, args) : this.readWithAhead([key, { fact, args }], ahead, count);
    this.memory.cache.set(key, { count, value });
    return value;
  }

  /**
   * Reads the next tasks will make, sent with this privilege's next read while the run changes nothing
   * (with those still waiting from an earlier task); each is kept as if read on its own, and a task whose
   * arguments turn out otherwise reads in its turn.
   */
  readAhead(requests: readonly FactRequest[]): void {
    if (requests.length === 0) return;
    const count = this.changes.value;
    const waiting = this.memory.ahead.get(this.privilege);
    const queued = new Map(waiting?.count === count ? waiting.requests : []);
    for (const request of requests) queued.set(this.key(request), request);
    this.memory.ahead.set(this.privilege, { count, requests: queued });
  }

  private takeAhead(count: number): ReadonlyMap<string, FactRequest> {
    const ahead = this.memory.ahead.get(this.privilege);
    this.memory.ahead.delete(this.privilege);
    return ahead && ahead.count === count ? ahead.requests : new Map();
  }

  private async readAlone<A, T>(fact: FactDefinition<A, T>, args: A): Promise<T> {
    return fact.parse(await this.exec(fact.command(args)), args);
  }

  /**
   * The task's own read, with the reads sent ahead. When some of those are of its own fact and that fact
   * reads many at once, the own read joins them; should they not answer it (a file whose content a diff
   * needs, an error to report), it reads alone after them.
   */
  private async readWithAhead<A, T>(own: readonly [string, FactRequest<A, T>], ahead: readonly Keyed[], count: number): Promise<T> {
    const { fact, args } = own[1];
    const joined = fact.many !== undefined && ahead.some(([, request]) => request.fact === fact);
    const sections = sectionsOf(joined ? [own, ...ahead] : ahead);
    const framed = frameReads(joined ? ':' : fact.command(args), sections.map((section) => section.command));
    const split = splitReads(await this.exec(framed.script), framed.mark, sections.length);
    let answer: { value: T } | undefined;
    split.ahead.forEach((stdout, index) => {
      const section = sections[index]!;
      if (stdout === undefined) return;
      let parsed: readonly unknown[];
      try {
        parsed = section.parse(stdout);
      } catch {
        return;
      }
      section.requests.forEach((keyed, at) => {
        if (parsed[at] === undefined) return;
        if (keyed === own) answer = { value: parsed[at] as T };
        else if (this.changes.value === count) this.memory.cache.set(keyed[0], { count, value: Promise.resolve(parsed[at]) });
      });
    });
    if (!joined) return fact.parse(split.own, args);
    return answer ? answer.value : this.readAlone(fact, args);
  }

  private exec(command: string): Promise<ExecResult> {
    return this.connection.exec(command, { become: this.become, becomeUser: this.becomeUser });
  }

  /** The same cache, reading with or without privilege (as `becomeUser`). */
  as(become: boolean, becomeUser = 'root'): FactReader {
    return become === this.become && becomeUser === this.becomeUser ? this : new FactReader(this.connection, become, becomeUser, this.changes, this.memory);
  }
}
