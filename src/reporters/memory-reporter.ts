// Keeps every event in memory: a deterministic reporter for tests.
import type { Reporter, RunEvent } from './events.js';

export class MemoryReporter implements Reporter {
  readonly events: RunEvent[] = [];

  handle(event: RunEvent): void {
    this.events.push(event);
  }

  async close(): Promise<void> {}
}
