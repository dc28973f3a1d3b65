// Polls the health gate until it passes or a deadline expires: no fixed sleeps, the first passing check returns.
import { ExitCode } from '../errors/exit-code.js';
import { UserError } from '../errors/user-error.js';
import { checkClusterHealth, type ClusterHealth, type HealthCheckOptions } from './cluster-health.js';

export interface WaitOptions {
  readonly timeoutMs: number;
  /** Pause between checks (default 500). */
  readonly intervalMs?: number;
  /** What counts as passing (default: `health.healthy`), e.g. also "no learner pending". */
  readonly accept?: (health: ClusterHealth) => boolean;
}

export const DEFAULT_POLL_INTERVAL_MS = 500;

export async function waitForHealthy(options: HealthCheckOptions, wait: WaitOptions): Promise<ClusterHealth> {
  const deadline = Date.now() + wait.timeoutMs;
  const accept = wait.accept ?? ((health: ClusterHealth) => health.healthy);
  const interval = wait.intervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  for (;;) {
    const remaining = deadline - Date.now();
    // Each check is bounded by what is left of the wait, so the wait never overruns by a whole call timeout.
    const health = await checkClusterHealth({
      ...options,
      timeoutMs: Math.max(100, Math.min(options.timeoutMs ?? remaining, remaining)),
    });
    if (accept(health)) return health;
    if (Date.now() + interval >= deadline) {
      const why = health.problems.length > 0 ? health.problems.join('; ') : 'the acceptance condition was not met';
      throw new UserError(
        `the etcd cluster did not become healthy within ${Math.round(wait.timeoutMs / 1000)} s: ${why}`,
        ExitCode.ERROR,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
