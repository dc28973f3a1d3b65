// Puts SecretValues between the executor and any reporter (terminal, JSON, the plan collector), so no
// event reaches an output or a plan file with a private key or a known secret in it.
import type { Reporter, RunEvent } from './events.js';
import type { SecretValues } from './secret-values.js';

export class RedactingReporter implements Reporter {
  constructor(private readonly inner: Reporter, private readonly secrets: SecretValues) {}

  handle(event: RunEvent): void {
    this.inner.handle(this.secrets.redact(event));
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
