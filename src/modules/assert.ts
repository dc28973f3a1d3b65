// assert: checks conditions on the control node; a condition that does not hold fails the host. Its messages
// are rendered with the other arguments, before the conditions, as Ansible 2.14 renders them: a fail_msg that
// cannot be rendered fails the task even when every condition holds.
import { noop } from '../plan/change.js';
import { defineModule } from './module.js';
import { TaskFailure } from './task-failure.js';

export interface AssertArgs {
  readonly that: string | boolean | readonly (string | boolean)[];
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
        type: ['string', 'boolean', 'array'],
        items: { type: ['string', 'boolean'] },
        description: 'One condition or a list of conditions (or literal booleans), all of which must be true.',
      },
      fail_msg: { type: 'string', description: 'Message when a condition is false.' },
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
  gather: async () => undefined,
  plan(args, _facts, ctx) {
    const conditions = Array.isArray(args.that) ? args.that : [args.that as string | boolean];
    for (const condition of conditions) {
      if (typeof condition === 'boolean' ? !condition : !ctx.evaluate(condition)) {
        const msg = args.fail_msg ?? args.msg ?? `Assertion failed: ${condition}`;
        throw new TaskFailure(msg, { assertion: condition, evaluated_to: false, msg });
      }
    }
    return noop('every condition holds', { msg: args.success_msg ?? 'All assertions passed' });
  },
  apply: async (_args, plan) => ({ changed: false, result: plan.result }),
});
