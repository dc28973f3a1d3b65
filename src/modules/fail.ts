// fail: fails the host with a message, on the control node (use it with `when:`).
import { defineModule } from './module.js';
import { TaskFailure } from './task-failure.js';

export interface FailArgs {
  readonly msg?: unknown;
}

export const failModule = defineModule<FailArgs, undefined>({
  name: 'fail',
  description: 'Fail the host with a message (usually under a when: condition).',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: { msg: { description: "The failure message; default 'Failed as requested from task'." } },
  },
  example: `- name: Refuse an even number of members
  fail:
    msg: an etcd cluster needs an odd number of members
  when: groups.etcd | length % 2 == 0
`,
  freeForm: 'msg',
  idempotent: true,
  controlOnly: true,
  gather: async () => undefined,
  plan(args) {
    const msg = args.msg === undefined ? 'Failed as requested from task' : typeof args.msg === 'string' ? args.msg : JSON.stringify(args.msg);
    throw new TaskFailure(msg, { msg });
  },
  apply: async () => ({ changed: false }),
});
