// The playbook model after loading and validation: plays, tasks and handlers with their source locations.
// Task arguments stay untemplated here; the executor templates them per host at run time.
import type { SourceLocation } from '../errors/user-error.js';

export interface Task {
  /** Display name; defaults to `module` plus its free-form argument. */
  readonly name: string;
  /** No `name:` was given (Ansible then lists the task by its action alone). */
  readonly unnamed?: boolean;
  /** Module name, e.g. `file`, or `meta` for `meta: flush_handlers`. */
  readonly module: string;
  /** Raw arguments (strings may hold `{{ }}` templates). */
  readonly args: Readonly<Record<string, unknown>>;
  readonly when: readonly string[];
  /** A list, or a template string that renders to a list. */
  readonly loop?: unknown;
  /** Name of the loop variable (`loop_control.loop_var`, default `item`). */
  readonly loopVar: string;
  /** `loop_control.index_var`: a variable holding the item's index from 0. */
  readonly indexVar?: string;
  /** `loop_control.label`: a template shown instead of the item. */
  readonly loopLabel?: string;
  /** `loop_control.pause`: seconds between two items. */
  readonly loopPause?: number;
  /** `loop_control.extended`: `ansible_loop` (index, first, last, ...) is set for each item. */
  readonly loopExtended: boolean;
  /** `any_errors_fatal` of the task or its block; unset, the play's applies. */
  readonly anyErrorsFatal?: boolean;
  /** `environment` of the play, blocks and task: exported to command and shell (values are templates). */
  readonly environment: Readonly<Record<string, unknown>>;
  /** `remote_user` of the play or task: the login user when the inventory sets no `ansible_user`. */
  readonly remoteUser?: string;
  /** The role the task comes from: listed as `ROLE : name`, as Ansible lists it. */
  readonly role?: string;
  /** Defaults of the role include_role brought the task from: the lowest precedence, for this task only. */
  readonly roleDefaults?: Readonly<Record<string, unknown>>;
  /** For `include_tasks` and `include_role`: loads the named file's tasks (relative to the including file) at run time. */
  readonly include?: (file: string, vars?: Readonly<Record<string, unknown>>) => Promise<readonly TaskNode[]>;
  readonly register?: string;
  readonly notify: readonly string[];
  readonly tags: readonly string[];
  readonly become?: boolean;
  readonly becomeUser?: string;
  readonly retries?: number;
  readonly delay?: number;
  /** Seconds a task (each attempt of it) may run before it fails. */
  readonly timeout?: number;
  readonly until?: string;
  /** true/false, or a template rendered per host (Ansible's boolean words). */
  readonly ignoreErrors: boolean | string;
  readonly changedWhen?: readonly string[] | boolean;
  readonly failedWhen?: readonly string[] | boolean;
  readonly delegateTo?: string;
  readonly runOnce: boolean;
  readonly noLog: boolean;
  /** `check_mode: false`: applied even in check mode (read-only commands a plan depends on). */
  readonly alwaysApply: boolean;
  /** Block vars, then the task's own. */
  readonly vars: Readonly<Record<string, unknown>>;
  /** `vars:` of the include_tasks / include_role that brought the task (and the include's loop item): above set_fact. */
  readonly includeParams?: Readonly<Record<string, unknown>>;
  /** For handlers: topics this handler also answers to. */
  readonly listen: readonly string[];
  /** Where the task is written. */
  readonly source: SourceLocation;
  /** Folder relative `src:` paths resolve against (the playbook's or the role's). */
  readonly baseDir: string;
  /** Extra folders searched for `src:` files (a role's `files/` and `templates/`). */
  readonly searchPaths: readonly string[];
}

/** `block` with its `rescue` and `always` sections (what the block shares is already in its tasks). */
export interface TaskBlock {
  readonly block: readonly TaskNode[];
  readonly rescue: readonly TaskNode[];
  readonly always: readonly TaskNode[];
  readonly source: SourceLocation;
}

/** An entry of a task list: a task, or a block of them. */
export type TaskNode = Task | TaskBlock;

export function isBlock(node: TaskNode): node is TaskBlock {
  return 'block' in node;
}

/** Every task of a tree, in order, sections of blocks included (`rescue` and `always` when asked). */
export function flattenTasks(nodes: readonly TaskNode[], sections: readonly ('rescue' | 'always')[] = ['rescue', 'always']): Task[] {
  return nodes.flatMap((node) =>
    isBlock(node) ? [node.block, ...sections.map((s) => node[s])].flatMap((part) => flattenTasks(part, sections)) : [node],
  );
}

export interface Play {
  readonly name: string;
  /** Host pattern. */
  readonly hosts: string;
  /** The `hosts:` entries as given (rendered), which --list-hosts and the default play name show as Ansible does. */
  readonly patterns: readonly string[];
  /** Batch sizes: numbers or percent strings; the last one repeats. Empty = all hosts at once. */
  readonly serial: readonly (number | string)[];
  readonly maxFailPercentage?: number;
  readonly anyErrorsFatal: boolean;
  /** `gather_facts` (default true, as Ansible): run `setup` on each batch's hosts before its first task. */
  readonly gatherFacts: boolean;
  /** `gather_subset` for that gathering (empty: Ansible's default, all). */
  readonly gatherSubset: readonly string[];
  readonly become: boolean;
  readonly becomeUser?: string;
  /** `remote_user`: the login user where the inventory sets no `ansible_user`. */
  readonly remoteUser?: string;
  /** Play vars, with `vars_files` and role defaults already merged at their precedence. */
  readonly vars: Readonly<Record<string, unknown>>;
  /** Role defaults: lowest precedence, below inventory vars. */
  readonly roleDefaults: Readonly<Record<string, unknown>>;
  readonly tags: readonly string[];
  readonly preTasks: readonly TaskNode[];
  /** Role tasks followed by the play's own tasks. */
  readonly tasks: readonly TaskNode[];
  readonly postTasks: readonly TaskNode[];
  readonly handlers: readonly Task[];
  readonly source: SourceLocation;
}

export interface Playbook {
  readonly file: string;
  readonly plays: readonly Play[];
}
