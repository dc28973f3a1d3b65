// A stand-in for a host while the reads of a later task are worked out: it records the fact reads a
// module's gather asks for and answers none of them, so the gather stops at its first read, and any other
// use of the host is refused. What it records is sent ahead with an earlier task's read (read-ahead.ts).
import type { Connection } from '../connection/connection.js';
import { FactReader, type FactDefinition, type FactRequest } from './fact.js';

/** Thrown where a recorded read would have answered: the gather goes no further. */
class NotRead extends Error {}

/** Every use of this connection is a module reading the host in a way that cannot be sent ahead. */
export const NO_HOST: Connection = new Proxy({} as Connection, {
  get(_target, property) {
    throw new Error(`a gather that reads ahead used the host directly (${String(property)})`);
  },
});

export class FactRecorder extends FactReader {
  readonly requests: FactRequest[] = [];

  constructor() {
    super(NO_HOST);
  }

  override read<A, T>(fact: FactDefinition<A, T>, args: A): Promise<T> {
    this.requests.push({ fact, args });
    return Promise.reject(new NotRead());
  }

  override as(): FactReader {
    return this;
  }
}
