// set_fact: sets host variables for the rest of the run; the executor merges `ansible_facts` from the
// result into the host's variables.
import { noop } from '../plan/change.js';
import { setFactValue } from '../playbook/ansible-boolean.js';
import { defineModule } from './module.js';
import { TaskFailure } from './task-failure.js';

export type SetFactArgs = Readonly<Record<string, unknown>>;


export const setFactModule = defineModule<SetFactArgs, undefined>({
  name: 'set_fact',
  description: 'Set variables on the host for the following tasks (key: value pairs).',
  schema: {
    type: 'object',
    minProperties: 1,
    propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    additionalProperties: { description: 'A variable name (letters, digits, _) and the value it takes on this host.' },
  },
  example: `- name: Remember the leader
  set_fact:
    etcd_leader: "{{ leader.stdout }}"
`,
  idempotent: true,
  controlOnly: true,
  gather: async () => undefined,
  plan(args) {
    const names = Object.keys(args);
    if (!names.length) throw new TaskFailure('set_fact needs at least one key: value pair');
    return noop(`sets ${names.join(', ')}`, { ansible_facts: Object.fromEntries(names.map((name) => [name, setFactValue(args[name])])) });
  },
  apply: async (_args, plan) => ({ changed: false, result: plan.result }),
});
