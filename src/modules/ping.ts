// ping: proves the host answers a command over the connection and returns `ping: pong` (or `data`).
// Like Ansible's, data=crash makes it fail, to test failure handling.
import { noop } from '../plan/change.js';
import { defineModule } from './module.js';
import { TaskFailure } from './task-failure.js';

export interface PingArgs {
  readonly data?: string;
}

export const pingModule = defineModule<PingArgs, true>({
  name: 'ping',
  description: "Check that the host answers a command; returns ping: 'pong' (or data).",
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: { data: { type: 'string', description: "Value returned as ping (default 'pong'); 'crash' makes the task fail." } },
  },
  example: `- name: Every host answers
  ping:
`,
  idempotent: true,
  async gather(_args, ctx) {
    const out = await ctx.connection.exec('true', { become: ctx.become });
    if (out.code !== 0) throw new TaskFailure(`the host ran 'true' with exit code ${out.code}: ${out.stderr.trim()}`);
    return true;
  },
  plan(args) {
    if (args.data === 'crash') throw new TaskFailure('boom');
    return noop('ping changes nothing', { ping: args.data ?? 'pong' });
  },
  apply: async (_args, plan) => ({ changed: false, result: plan.result }),
});
