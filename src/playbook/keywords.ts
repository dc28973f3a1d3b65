// The keywords plays and tasks accept, each with its value kind and a description: one table drives
// load-time validation, error messages and the JSON Schema editors use.

/** A value kind: how to check it, how to describe it in an error, and its JSON Schema. */
export interface ValueKind {
  readonly expected: string;
  check(value: unknown): boolean;
  readonly schema: Readonly<Record<string, unknown>>;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isList = (v: unknown): v is unknown[] => Array.isArray(v);
const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isPercent = (v: unknown): boolean => isString(v) && /^\s*\d+(\.\d+)?\s*%\s*$/.test(v);
const isBatch = (v: unknown): boolean => (Number.isInteger(v) && (v as number) >= 0) || isPercent(v);

const stringSchema = { type: 'string' };
const conditionSchema = { type: ['string', 'boolean'] };

export const KINDS = {
  string: { expected: 'a string', check: isString, schema: stringSchema },
  boolean: { expected: 'true or false', check: (v) => typeof v === 'boolean', schema: { type: 'boolean' } },
  /** any_errors_fatal: Ansible 2.14's strategy reads it unrendered, so a template there is always true. */
  literalBoolean: {
    expected:
      "true or false, written literally: Ansible 2.14 does not render a template here, so any '{{ }}' makes every failure fatal whatever it renders to",
    check: (v) => typeof v === 'boolean',
    schema: { type: 'boolean' },
  },
  /** ignore_errors: Ansible renders a template here per host and reads it with boolean(); so does etcdops. */
  templatedBoolean: {
    expected: "true or false, or a template ('{{ flag }}') rendering to a boolean word",
    check: (v) => typeof v === 'boolean' || (isString(v) && /\{\{|\{%/.test(v)),
    schema: { anyOf: [{ type: 'boolean' }, { type: 'string', pattern: '\\{[{%]' }] },
  },
  /** Keywords etcdops settles before templating (which hosts run, sudo, what is logged, check mode). */
  settledBoolean: {
    expected:
      "true or false, written literally: etcdops settles this keyword before rendering templates (Ansible 2.14 would render one here); to choose per run, put the task twice with opposite 'when:' conditions",
    check: (v) => typeof v === 'boolean',
    schema: { type: 'boolean' },
  },
  count: {
    expected: 'a whole number of 0 or more',
    check: (v) => Number.isInteger(v) && (v as number) >= 0,
    schema: { type: 'integer', minimum: 0 },
  },
  seconds: { expected: 'a number of seconds', check: (v) => typeof v === 'number' && v >= 0, schema: { type: 'number', minimum: 0 } },
  percent: {
    expected: 'a number from 0 to 100',
    check: (v) => typeof v === 'number' && v >= 0 && v <= 100,
    schema: { type: 'number', minimum: 0, maximum: 100 },
  },
  conditions: {
    expected: 'a condition string, a boolean, or a list of those',
    check: (v) => typeof v === 'boolean' || isString(v) || (isList(v) && v.every((c) => typeof c === 'boolean' || isString(c))),
    schema: { anyOf: [conditionSchema, { type: 'array', items: conditionSchema }] },
  },
  names: {
    expected: 'a string or a list of strings',
    check: (v) => isString(v) || (isList(v) && v.every(isString)),
    schema: { anyOf: [stringSchema, { type: 'array', items: stringSchema }] },
  },
  mapping: { expected: 'a mapping', check: (v) => v === null || isMapping(v), schema: { type: ['object', 'null'] } },
  tasks: {
    expected: 'a list of tasks',
    check: (v) => v === null || (isList(v) && v.every(isMapping)),
    schema: { type: ['array', 'null'], items: { $ref: '#/definitions/task' } },
  },
  loop: {
    expected: 'a list, or a template string that renders to a list',
    check: (v) => isList(v) || isString(v),
    schema: { anyOf: [{ type: 'array' }, stringSchema] },
  },
  serial: {
    expected: 'a number, a percentage like "30%", or a list of those',
    check: (v) => isBatch(v) || (isList(v) && v.length > 0 && v.every(isBatch)),
    schema: {
      anyOf: [
        { type: 'integer', minimum: 0 },
        { type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*%\\s*$' },
        { type: 'array', minItems: 1, items: { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*%\\s*$' }] } },
      ],
    },
  },
  roles: {
    expected: 'a list of role names or {role: NAME, ...vars} mappings',
    check: (v) => v === null || (isList(v) && v.every((r) => isString(r) || isMapping(r))),
    schema: { type: ['array', 'null'], items: { anyOf: [stringSchema, { $ref: '#/definitions/role' }] } },
  },
  loopControl: {
    expected: 'a mapping of loop_var, index_var, label, pause, extended',
    check: (v) =>
      isMapping(v) &&
      Object.keys(v).every((k) => ['loop_var', 'index_var', 'label', 'pause', 'extended'].includes(k)) &&
      (v.loop_var === undefined || (isString(v.loop_var) && /^[A-Za-z_]\w*$/.test(v.loop_var))) &&
      (v.index_var === undefined || (isString(v.index_var) && /^[A-Za-z_]\w*$/.test(v.index_var))) &&
      (v.label === undefined || isString(v.label)) &&
      (v.pause === undefined || (typeof v.pause === 'number' && v.pause >= 0)) &&
      (v.extended === undefined || typeof v.extended === 'boolean'),
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        loop_var: { type: 'string', description: 'Name of the loop variable instead of `item`.' },
        index_var: { type: 'string', description: 'Name of a variable holding the index of the item, from 0.' },
        label: { type: 'string', description: 'Template shown for each item instead of the whole item.' },
        pause: { type: 'number', minimum: 0, description: 'Seconds to wait between two items.' },
        extended: { type: 'boolean', description: 'Set `ansible_loop` (index, index0, first, last, length, previtem, nextitem, ...) for each item.' },
      },
    },
  },
  environment: {
    expected: 'a mapping of environment variable names to values',
    check: (v) => v === null || (isMapping(v) && Object.keys(v).every((k) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k))),
    schema: { type: ['object', 'null'], propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } },
  },
} satisfies Record<string, ValueKind>;

export type KindName = keyof typeof KINDS;

export interface Keyword {
  readonly kind: KindName;
  readonly description: string;
}

export const PLAY_KEYWORDS: Readonly<Record<string, Keyword>> = {
  name: { kind: 'string', description: 'Name of the play, shown in the output.' },
  hosts: { kind: 'names', description: 'Host pattern (groups, hosts, `a:b`, `a:&b`, `a:!b`, wildcards) the play runs on.' },
  serial: { kind: 'serial', description: 'Batch sizes for a rolling run: a number, a percentage, or a list whose last entry repeats.' },
  max_fail_percentage: { kind: 'percent', description: 'Stop the play when more than this percentage of a batch fails.' },
  any_errors_fatal: { kind: 'literalBoolean', description: 'Stop the whole play as soon as any host fails a task.' },
  become: { kind: 'settledBoolean', description: 'Run tasks with sudo.' },
  become_user: { kind: 'string', description: 'User to become (default root).' },
  vars: { kind: 'mapping', description: 'Variables for every host of the play.' },
  vars_files: { kind: 'names', description: 'YAML files of variables, relative to the playbook.' },
  pre_tasks: { kind: 'tasks', description: 'Tasks run before the roles.' },
  roles: { kind: 'roles', description: 'Roles from `roles/NAME/` beside the playbook; their tasks run after pre_tasks.' },
  tasks: { kind: 'tasks', description: 'Tasks run after the roles.' },
  post_tasks: { kind: 'tasks', description: 'Tasks run after tasks.' },
  handlers: { kind: 'tasks', description: 'Tasks run once at the end of a batch when notified.' },
  tags: { kind: 'names', description: 'Tags added to every task of the play.' },
  gather_facts: { kind: 'boolean', description: 'Gather the hosts\' facts (ansible_hostname, ansible_distribution, ...) with `setup` before the first task; default true, as in Ansible. Set false when the play uses no facts: it saves one command per host.' },
  environment: { kind: 'environment', description: 'Environment variables exported to every command and shell task of the play.' },
  remote_user: { kind: 'string', description: 'User to log in as on hosts whose inventory sets no ansible_user (as in Ansible, ansible_user wins).' },
  gather_subset: { kind: 'names', description: 'Which facts gather_facts reads: all (default), min, hardware, network; "!name" excludes one (see `etcdops doc setup`).' },
};

export const TASK_KEYWORDS: Readonly<Record<string, Keyword>> = {
  name: { kind: 'string', description: 'Name of the task, shown in the output and matched by `notify` for handlers.' },
  when: { kind: 'conditions', description: 'Run the task only when every condition is true.' },
  loop: { kind: 'loop', description: 'Run the task once per item; the item is `item` (or `loop_control.loop_var`).' },
  with_items: { kind: 'loop', description: 'Like `loop`, flattening nested lists one level.' },
  loop_control: { kind: 'loopControl', description: 'Loop options.' },
  register: { kind: 'string', description: 'Variable that receives the task result.' },
  notify: { kind: 'names', description: 'Handlers (names or `listen` topics) to run at the end of the batch when the task changed something.' },
  tags: { kind: 'names', description: 'Tags for `--tags` / `--skip-tags`.' },
  become: { kind: 'settledBoolean', description: 'Run this task with sudo.' },
  become_user: { kind: 'string', description: 'User to become (default root).' },
  retries: { kind: 'count', description: 'How many times to retry until `until` holds.' },
  delay: { kind: 'seconds', description: 'Seconds between retries.' },
  timeout: { kind: 'seconds', description: 'Fail the task when it has not finished after this many seconds; a remote command is stopped too (as Ansible 2.10+).' },
  until: { kind: 'conditions', description: 'Retry the task until this condition holds.' },
  ignore_errors: { kind: 'templatedBoolean', description: 'Carry on with the host when the task fails; a template is rendered for each host (true/false, yes/no, on/off, 1/0).' },
  changed_when: { kind: 'conditions', description: 'Condition (or boolean) deciding whether the task reports changed.' },
  failed_when: { kind: 'conditions', description: 'Condition (or boolean) deciding whether the task failed.' },
  delegate_to: { kind: 'string', description: 'Run the task on this host (e.g. localhost) instead.' },
  run_once: { kind: 'settledBoolean', description: 'Run the task on the first host of the batch only.' },
  no_log: { kind: 'settledBoolean', description: 'Hide arguments and results in the output.' },
  check_mode: {
    kind: 'settledBoolean',
    description: 'false: run the task for real even under --check (for read-only commands whose result later tasks need). true is refused: use --check for a dry run.',
  },
  vars: { kind: 'mapping', description: 'Variables for this task only.' },
  listen: { kind: 'names', description: 'For handlers: topics this handler also answers to.' },
  args: { kind: 'mapping', description: 'Module arguments, merged with those given under the module key.' },
  import_tasks: { kind: 'string', description: 'Inline the tasks of this file (relative to the including file) at load time.' },
  block: { kind: 'tasks', description: 'Tasks that share this entry\'s when, tags, vars, become and environment.' },
  rescue: { kind: 'tasks', description: 'With block: tasks run on a host when a task of the block failed on it; when they succeed the host carries on (`ansible_failed_task`, `ansible_failed_result` tell what failed).' },
  always: { kind: 'tasks', description: 'With block: tasks run after the block (and rescue) whether it failed or not.' },
  any_errors_fatal: { kind: 'literalBoolean', description: 'When this task (or a task of this block) fails on a host without being rescued, stop the play for every host.' },
  environment: { kind: 'environment', description: 'Environment variables exported to command and shell (values are templates, quoted safely).' },
  remote_user: { kind: 'string', description: 'User to log in as for this task, on hosts whose inventory sets no ansible_user.' },
};
