// assert: checks conditions on the control node; a condition that does not hold fails the host.
import { noop } from '../plan/change.js';
import { defineModule } from './module.js';
import { TaskFailure } from './task-failure.js';

export interface AssertArgs {
  readonly that: string | readonly string[];
  readonly fail_msg?: string;
  readonly msg?: string;
  readonly success_msg?: string;
}

export const assertModule = defineModule<AssertArgs, undefined>({
  name: 'assert',
  description: 'Fail the host unless every condition holds (conditions use the same syntax as when).',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['that'],
    properties: {
      that: {
        type: ['string', 'array'],
        items: { type: 'string' },
        description: 'One condition or a list of conditions, all of which must be true.',
      },
      fail_msg: { type: 'string', description: 'Message when a condition is false (rendered only then, so it may use variables that exist only on failure).' },
      msg: { type: 'string', description: 'Same as fail_msg.' },
      success_msg: { type: 'string', description: 'Message when every condition is true.' },
    },
  },
  example: `- name: Odd number of members
  assert:
    that:
      - groups.etcd | length % 2 == 1
    fail_msg: an etcd cluster needs an odd number of members
`,
  idempotent: true,
  controlOnly: true,
  lateArgs: ['fail_msg', 'msg'],
  gather: async () => undefined,
  plan(args, _facts, ctx) {
    const conditions = typeof args.that === 'string' ? [args.that] : args.that;
    for (const condition of conditions) {
      if (!ctx.evaluate(condition)) {
        const written = args.fail_msg ?? args.msg;
        const msg = written === undefined ? `Assertion failed: ${condition}` : ctx.renderArg(written);
        throw new TaskFailure(msg, { assertion: condition, evaluated_to: false, msg });
      }
    }
    return noop('every condition holds', { msg: args.success_msg ?? 'All assertions passed' });
  },
  apply: async (_args, plan) => ({ changed: false, result: plan.result }),
});
