// debug: shows a message or a variable's value on the control node; changes nothing.
import { noop } from '../plan/change.js';
import { defineModule } from './module.js';

export interface DebugArgs {
  readonly msg?: unknown;
  readonly var?: string;
}

export const debugModule = defineModule<DebugArgs, undefined>({
  name: 'debug',
  description: "Print a message or a variable's value (registered as msg or under the variable's name).",
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      msg: { description: 'Text (or any value) to show; default "Hello world!".' },
      var: { type: 'string', description: 'A variable name or expression whose value is shown, instead of msg.' },
    },
  },
  example: `- name: Show the member list
  debug:
    var: members.stdout_lines
`,
  freeForm: 'msg',
  idempotent: true,
  controlOnly: true,
  gather: async () => undefined,
  plan(args, _facts, ctx) {
    if (args.var !== undefined) {
      let value: unknown;
      try {
        value = ctx.evaluate(args.var);
      } catch {
        value = undefined;
      }
      const shown = { [args.var]: value === undefined ? 'VARIABLE IS NOT DEFINED!' : value };
      // As Ansible, the variable is shown under its name; it is not the registered msg.
      return { ...noop('debug changes nothing', shown), shown: JSON.stringify(shown) };
    }
    return noop('debug changes nothing', { msg: args.msg ?? 'Hello world!' });
  },
  apply: async (_args, plan) => ({ changed: false, result: plan.result }),
});
