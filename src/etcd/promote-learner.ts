// Promotes a learner once it has caught up: etcd itself refuses to promote a learner that lags the
// leader, so the promotion is retried on that refusal until it succeeds or the deadline passes.
// A promotion whose request timed out may still have been applied: the membership is read before the
// next attempt, and a member that is a voter by then counts as promoted.
import { UserError } from '../errors/user-error.js';
import { memberIdToDecimal, memberIdToHex } from './member-id.js';
import { memberList, memberPromote, type MembershipResult } from './membership.js';
import type { ClusterAccess } from './cluster-access.js';

export interface PromoteOptions {
  readonly timeoutMs: number;
  /** Pause between attempts (default 500). */
  readonly intervalMs?: number;
}

/** etcd's refusal while the learner is still catching up. */
const NOT_READY = /not in sync with leader|in sync with leader|too many requests/i;
/** The proposal did not commit in time (a busy or re-electing cluster): it may yet apply. */
const TIMED_OUT = /request timed out|leader changed/i;

async function promotedAlready(access: ClusterAccess, id: string): Promise<MembershipResult | undefined> {
  const members = await memberList(access);
  const member = members.find((m) => m.id === memberIdToHex(memberIdToDecimal(id)));
  return member && !member.isLearner ? { member, members } : undefined;
}

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
      const timedOut = TIMED_OUT.test(message);
      if ((!NOT_READY.test(message) && !timedOut) || Date.now() + (options.intervalMs ?? 500) >= deadline) {
        throw error instanceof UserError ? error : new UserError(message);
      }
      if (timedOut) {
        const done = await promotedAlready(access, id).catch(() => undefined);
        if (done) return { ...done, attempts };
      }
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
  }
}
