// One JSON object per line, for scripts: every event as it happens, ending with the recap.
import type { Reporter, ReporterOptions, RunEvent } from './events.js';

export class JsonReporter implements Reporter {
  constructor(private readonly options: ReporterOptions) {}

  handle(event: RunEvent): void {
    this.options.write(`${JSON.stringify(event)}\n`);
  }

  async close(): Promise<void> {}
}
