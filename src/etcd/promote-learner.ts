// Promotes a learner once it has caught up: etcd itself refuses to promote a learner that lags the
// leader, so the promotion is retried on that refusal until it succeeds or the deadline passes.
import { UserError } from '../errors/user-error.js';
import { memberPromote, type MembershipResult } from './membership.js';
import type { ClusterAccess } from './cluster-access.js';

export interface PromoteOptions {
  readonly timeoutMs: number;
  /** Pause between attempts (default 500). */
  readonly intervalMs?: number;
}

/** etcd's refusal while the learner is still catching up. */
const NOT_READY = /not in sync with leader|in sync with leader|too many requests/i;

export async function promoteLearnerWhenReady(
  access: ClusterAccess,
  id: string,
  options: PromoteOptions,
): Promise<MembershipResult & { readonly attempts: number }> {
  const deadline = Date.now() + options.timeoutMs;
  for (let attempts = 1; ; attempts++) {
    try {
      return { ...(await memberPromote(access, id)), attempts };
    } catch (error) {
      const message = (error as Error).message;
      if (!NOT_READY.test(message) || Date.now() + (options.intervalMs ?? 500) >= deadline) {
        throw error instanceof UserError ? error : new UserError(message);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
  }
}
