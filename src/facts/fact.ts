// A fact is a remote command plus a pure parser of its output (after pyinfra's facts).
// Facts are cached per host per run and invalidated by a module's apply, so a no-op check costs at most
// one round trip per task.
import type { Connection, ExecResult } from '../connection/connection.js';

export interface FactDefinition<A, T> {
  /** Stable name, used in cache keys and in `-vvv` output. */
  readonly name: string;
  /** The POSIX shell command that reads the fact. */
  command(args: A): string;
  /** Pure: turns the command's result into the fact. */
  parse(result: ExecResult, args: A): T;
  /** Whether reading needs root (the executor passes the task's `become`). */
  readonly needsBecome?: boolean;
}

export function defineFact<A, T>(definition: FactDefinition<A, T>): FactDefinition<A, T> {
  return definition;
}

/** Reads facts on one host, memoising by fact, arguments and privilege for the length of a run. */
export class FactReader {
  constructor(
    private readonly connection: Connection,
    private readonly become = false,
    private readonly becomeUser = 'root',
    private readonly cache = new Map<string, Promise<unknown>>(),
  ) {}

  read<A, T>(fact: FactDefinition<A, T>, args: A): Promise<T> {
    const key = `${fact.name}\u0000${this.become ? this.becomeUser : ''}\u0000${JSON.stringify(args)}`;
    let value = this.cache.get(key) as Promise<T> | undefined;
    if (!value) {
      value = this.connection
        .exec(fact.command(args), { become: this.become, becomeUser: this.becomeUser })
        .then((result) => fact.parse(result, args));
      this.cache.set(key, value);
    }
    return value;
  }

  /** Forgets everything read so far; called after a task changed the host. */
  invalidate(): void {
    this.cache.clear();
  }

  /** The same cache, reading with or without privilege (as `becomeUser`). */
  as(become: boolean, becomeUser = 'root'): FactReader {
    return become === this.become && becomeUser === this.becomeUser ? this : new FactReader(this.connection, become, becomeUser, this.cache);
  }
}
