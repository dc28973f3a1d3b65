// The one home of Ansible's variable precedence and of the magic variables: every place that merges
// variables (the executor per task, the loader for play vars and load-time templates, `hostvars`, a
// module's template) names the levels it has and lets this table order them. The order is proven against
// ansible-playbook by test/cli/variable-precedence-oracle.test.ts.
import type { SourceLocation } from '../errors/user-error.js';
import { lazyVars } from '../executor/lazy-vars.js';

type Vars = Readonly<Record<string, unknown>>;

/** Ansible's precedence, lowest first: a name set at a later level hides the same name at an earlier one. */
export const PRECEDENCE = [
  /** `defaults/main.yml` of the play's roles, then of the role include_role brought a task from. */
  'role_defaults',
  /** Group vars of `all` < parent groups < child groups < the host's own (ordered by inventory/resolve-vars.ts). */
  'inventory',
  /** Facts gathered (`setup`, gather_facts, --fact-cache) or returned by a module: below every play-level var. */
  'host_facts',
  /** The play's `vars:`. */
  'play_vars',
  /** The play's `vars_files:`, in the order listed. */
  'vars_files',
  /** `vars/main.yml` of the play's roles (and of imported roles). */
  'role_vars',
  /** `vars:` of the enclosing blocks, outermost first, then the task's own (task-loader.ts nests them so). */
  'task_vars',
  /** `include_vars`: above task vars, below set_fact. */
  'include_vars',
  /** `set_fact` and `register`: what the run has set on the host. */
  'set_facts',
  /** `vars:` of include_tasks / include_role (Ansible's include and role params), and an include's loop item. */
  'include_params',
  /** `-e` / `--extra-vars`: always win. */
  'extra_vars',
  /** The magic variables below: set by the run, never by a user. */
  'magic',
] as const;

export type PrecedenceLevel = (typeof PRECEDENCE)[number];

/** Variables by level; a level may hold several records, lowest first. */
export type VariableLevels = Partial<Record<PrecedenceLevel, Vars | readonly Vars[]>>;

/** The variables every task has without anyone defining them, and what each holds. */
export const MAGIC_VARIABLES: Readonly<Record<string, string>> = {
  inventory_hostname: "the host's name in the inventory",
  inventory_hostname_short: 'the inventory name up to its first dot',
  group_names: 'the groups the host is in, without all (ungrouped for a host in no group)',
  groups: 'every group of the inventory and its hosts',
  hostvars: "every host's inventory variables and facts, by host name",
  play_hosts: 'the hosts of the current serial batch still active (deprecated name of ansible_play_batch)',
  ansible_play_hosts: 'the hosts of the play still active (failed and unreachable hosts left out)',
  ansible_play_hosts_all: 'every host of the play, whatever became of it',
  ansible_play_batch: 'the hosts of the current serial batch still active',
  ansible_play_name: "the play's name (its hosts pattern when unnamed)",
  ansible_run_tags: "the --tags given (['all'] without)",
  ansible_skip_tags: 'the --skip-tags given',
  ansible_limit: 'the --limit given (undefined without)',
  ansible_check_mode: 'true in --check and plan',
  ansible_diff_mode: 'true with --diff',
  playbook_dir: 'the folder of the playbook',
  inventory_file: 'the inventory file',
  inventory_dir: 'the folder of the inventory file',
  omit: 'leaves a module argument out when used as its value',
  ansible_loop: 'loop details with loop_control.extended',
  ansible_index_var: 'the name loop_control.index_var chose',
  ansible_loop_var: 'the name of the loop variable',
  ansible_failed_task: 'in rescue: the task that failed',
  ansible_failed_result: 'in rescue: the result of the task that failed',
};

/** The records of `levels` in precedence order, lowest first. */
function ordered(levels: VariableLevels): Vars[] {
  const layers: Vars[] = [];
  for (const level of PRECEDENCE) {
    const value = levels[level];
    if (value === undefined) continue;
    if (Array.isArray(value)) layers.push(...(value as readonly Vars[]));
    else layers.push(value as Vars);
  }
  return layers;
}

/** One view of the levels, values templated when read (lazy, as Ansible: see lazy-vars.ts). */
export function variablesByPrecedence(levels: VariableLevels, where: SourceLocation): Record<string, unknown> {
  return lazyVars(ordered(levels), where);
}

/** The levels merged now into one plain record (load-time merges, where nothing is templated yet). */
export function mergeByPrecedence(levels: VariableLevels): Record<string, unknown> {
  return Object.assign({}, ...ordered(levels)) as Record<string, unknown>;
}

/**
 * Variables that exist for one evaluation only and hide every level: a loop's item and index, the
 * registered result inside `changed_when`/`until`, the values a module computes for its template.
 */
export function withLocals(vars: Vars, locals: Vars, where: SourceLocation): Record<string, unknown> {
  return lazyVars([vars, locals], where);
}
