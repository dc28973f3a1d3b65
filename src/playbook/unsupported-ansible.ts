// Ansible 2.14 keywords and meta actions etcdops does not implement, each with what to write instead. Refusing
// them by name at load (rather than as "unknown") tells an Ansible user the word is known and not silently
// dropped: accepting one without its meaning would run the play differently from Ansible.

/** Play keywords of Ansible 2.14 etcdops refuses, and the alternative. */
export const UNSUPPORTED_PLAY_KEYWORDS: Readonly<Record<string, string>> = {
  order: "etcdops runs hosts in inventory order (Ansible's default, order: inventory); drop 'order', and list the hosts in the inventory in the order wanted",
  strategy: "etcdops runs Ansible's default linear strategy (each task on every host of the batch before the next task); drop 'strategy', and use serial for rolling batches",
  throttle: "use serial (hosts per batch) or --forks (hosts worked on at once) to limit how many hosts run at once",
  force_handlers: "etcdops runs handlers only on hosts that have not failed, as Ansible without force_handlers; put the work that must happen anyway in a block's always: section",
  ignore_unreachable: 'an unreachable host stops for the rest of the play; leave it out with --limit, or fix the connection',
  module_defaults: 'give the arguments on each task (a variable in vars: keeps them in one place)',
  vars_prompt: 'etcdops never prompts; pass the value with -e NAME=VALUE',
  connection: "set ansible_connection=local on the hosts in the inventory, or delegate_to: localhost on the task",
  check_mode: 'run the whole playbook with --check (-C) for a dry run',
  diff: 'pass --diff (-D) to show the changes of the run',
  debugger: 'not supported; run with -vvv to see each task result',
  collections: 'name modules by their builtin name (or ansible.builtin.NAME)',
  fact_path: 'local facts (facts.d) are not read; set the values with vars or set_fact',
  gather_timeout: 'gathering is one command per host, bounded by the connection timeout (ansible_timeout)',
  port: 'set ansible_port on the hosts in the inventory',
  ignore_errors: 'set ignore_errors: true on each task that may fail',
  no_log: 'set no_log: true on each task whose arguments or result must not be shown',
  run_once: 'set run_once: true on each task to run once',
  timeout: 'set timeout on each task',
  become_method: 'etcdops becomes with sudo only; drop become_method',
  become_exe: 'etcdops becomes with sudo only; drop become_exe',
  become_flags: 'etcdops becomes with sudo only; drop become_flags',
};

/** Task keywords of Ansible 2.14 etcdops refuses, and the alternative. */
export const UNSUPPORTED_TASK_KEYWORDS: Readonly<Record<string, string>> = {
  throttle: "use serial on the play (hosts per batch) or --forks (hosts worked on at once)",
  diff: 'diffs are shown for the whole run with --diff (-D); use no_log: true to hide a task\'s content',
  connection: 'use delegate_to: localhost to run a task on the control node, or ansible_connection=local in the inventory',
  local_action: 'name the module as the task key and add delegate_to: localhost',
  action: "name the module as the task key (e.g. 'command: ...'), with its arguments under it or under args:",
  async: 'etcdops runs each task to its end; bound it with timeout: SECONDS instead',
  poll: 'etcdops runs each task to its end; bound it with timeout: SECONDS instead',
  ignore_unreachable: 'an unreachable host stops for the rest of the play; leave it out with --limit, or fix the connection',
  module_defaults: 'give the arguments on the task itself',
  delegate_facts: 'facts a delegated task sets stay with the host the task runs for; use set_fact with delegate_to and run_once instead',
  debugger: 'not supported; run with -vvv to see each task result',
  collections: 'name modules by their builtin name (or ansible.builtin.NAME)',
  port: 'set ansible_port on the hosts in the inventory',
  become_method: 'etcdops becomes with sudo only; drop become_method',
  become_exe: 'etcdops becomes with sudo only; drop become_exe',
  become_flags: 'etcdops becomes with sudo only; drop become_flags',
};

/** Meta actions of Ansible etcdops refuses, and the alternative. */
export const UNSUPPORTED_META_ACTIONS: Readonly<Record<string, string>> = {
  end_batch: "ending only the current batch is not supported; use meta: end_host with a when: on the hosts to stop, or end_play",
  clear_host_errors: 'a failed host stays failed for the play; recover it with block: and rescue: instead',
  clear_facts: 'facts are kept for the run; run setup again to read them afresh',
  reset_connection: 'connections are kept for the run; put the work that needs a new login (e.g. a new group) in a later etcdops run',
  refresh_inventory: 'the inventory is read once per run; run the plays that need the new hosts in a second etcdops run',
  end_role: 'end_role does not exist in Ansible 2.14 (it came in 2.18); put a when: on the rest of the role\'s tasks',
};

/** Task keywords Ansible spells `with_LOOKUP`: only with_items is read; the others are refused with their loop form. */
export function withLookupProblem(key: string): string | undefined {
  if (!key.startsWith('with_') || key === 'with_items') return undefined;
  const lookup = key.slice('with_'.length);
  const loops: Readonly<Record<string, string>> = {
    list: 'loop: LIST',
    dict: 'loop: "{{ DICT | dict2items }}"',
    flattened: 'loop: "{{ LIST | flatten }}"',
    indexed_items: 'loop: LIST with loop_control: {index_var: i}',
  };
  return loops[lookup] === undefined
    ? `'${key}' is not supported; build the list with a filter and give it to loop: (only with_items and loop are read)`
    : `'${key}' is not supported; write ${loops[lookup]} (Ansible's loop form)`;
}
