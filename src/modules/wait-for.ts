// wait_for: waits ON the host until a port answers (or stops answering) or a path appears (or goes).
// A check, not a change: it plans RUN only when the condition does not hold yet, and never reports changed.
import { probeScript, waitCondition, type WaitTarget } from '../facts/wait-condition.js';
import { type ShellCode, sh } from '../connection/shell-quote.js';
import { ChangeAction, type TaskPlan, noop } from '../plan/change.js';
import { defineModule } from './module.js';
import { TaskFailure } from './task-failure.js';

export interface WaitForArgs {
  readonly host?: string;
  readonly port?: number;
  readonly path?: string;
  readonly state?: 'started' | 'stopped' | 'present' | 'absent';
  readonly timeout?: number;
  readonly delay?: number;
}

const wantsUp = (args: WaitForArgs): boolean => args.state === undefined || args.state === 'started' || args.state === 'present';

function target(args: WaitForArgs): WaitTarget {
  if (args.path !== undefined) return { path: args.path };
  if (args.port === undefined) throw new TaskFailure('wait_for needs a port or a path');
  return { port: args.port, host: args.host ?? '127.0.0.1' };
}

const describe = (args: WaitForArgs): string =>
  args.path !== undefined ? `path ${args.path}` : `port ${args.host ?? '127.0.0.1'}:${args.port}`;

export function planWaitFor(args: WaitForArgs, up: boolean): TaskPlan {
  const what = describe(args);
  const want = wantsUp(args);
  const word = args.path !== undefined ? (want ? 'exists' : 'is absent') : want ? 'is open' : 'is closed';
  if (up === want) return noop(`${what} ${word}`, { state: args.state ?? 'started', elapsed: 0 });
  return {
    changes: [{ action: ChangeAction.RUN, target: what, reason: `wait until ${what} ${word} (up to ${args.timeout ?? 300} s)` }],
  };
}

export function waitScript(args: WaitForArgs): ShellCode {
  const probe = probeScript(target(args));
  const check = wantsUp(args) ? probe : sh`! { ${probe}; }`;
  return sh`sleep ${args.delay ?? 0}
end=$(( $(date +%s) + ${args.timeout ?? 300} ))
while :; do
if ${check}; then exit 0; fi
if [ "$(date +%s)" -ge "$end" ]; then echo ${`timed out waiting for ${describe(args)}`} >&2; exit 1; fi
sleep 1
done`;
}

export const waitForModule = defineModule<WaitForArgs, boolean>({
  name: 'wait_for',
  description: 'Wait on the host until a TCP port answers or closes, or a path appears or disappears.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      host: { type: 'string', description: 'Address whose port is probed, from the host itself (default 127.0.0.1).' },
      port: { type: 'integer', description: 'TCP port to probe.' },
      path: { type: 'string', description: 'Path to wait for, instead of a port.' },
      state: {
        type: 'string',
        enum: ['started', 'stopped', 'present', 'absent'],
        description: 'started/present: wait until open or existing; stopped/absent: until closed or gone (default started).',
      },
      timeout: { type: 'integer', description: 'Seconds before the task fails (default 300).' },
      delay: { type: 'integer', description: 'Seconds to wait before the first probe (default 0).' },
    },
  },
  example: `- name: Wait for the etcd client port
  wait_for:
    port: 2379
    timeout: 60
`,
  idempotent: true,
  gather: (args, ctx) => ctx.facts.read(waitCondition, target(args)),
  plan: (args, up) => planWaitFor(args, up),
  async apply(args, plan, ctx) {
    if (!plan.changes.length) return { changed: false, result: plan.result };
    const started = Date.now();
    const out = await ctx.connection.exec(waitScript(args).text, {
      become: ctx.become,
      timeoutMs: ((args.timeout ?? 300) + (args.delay ?? 0) + 30) * 1000,
    });
    const result = { state: args.state ?? 'started', elapsed: Math.round((Date.now() - started) / 1000) };
    if (out.code !== 0) return { changed: false, failed: true, msg: out.stderr.trim() || `timed out waiting for ${describe(args)}`, result };
    return { changed: false, result };
  },
});
