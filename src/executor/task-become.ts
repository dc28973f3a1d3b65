// Who a task's commands run as. As in Ansible, the variables ansible_become and ansible_become_user
// (inventory, vars files, task vars, -e) win over the become/become_user keywords of the task, block, role
// and play, even over `become: false`; become_user may be templated.
import { keywordBoolean } from '../playbook/ansible-boolean.js';
import type { SourceLocation } from '../errors/user-error.js';
import type { Task } from '../playbook/playbook.js';
import { renderValue } from '../playbook/templating.js';

export interface TaskBecome {
  readonly become: boolean;
  /** Whom `become` runs as. */
  readonly becomeUser: string;
}

/** The play's keywords, which a task's own (or its block's or role's) replace. */
export interface PlayBecome {
  readonly become: boolean;
  readonly becomeUser?: string;
}

export function taskBecome(task: Pick<Task, 'become' | 'becomeUser' | 'source'>, vars: Readonly<Record<string, unknown>>, play: PlayBecome): TaskBecome {
  const at = (field: string): SourceLocation => ({ ...task.source, field });
  const become =
    vars.ansible_become === undefined ? (task.become ?? play.become) : keywordBoolean(renderValue(vars.ansible_become, vars, at('ansible_become')), 'ansible_become', at('ansible_become'));
  const user = vars.ansible_become_user ?? task.becomeUser ?? play.becomeUser ?? 'root';
  const field = vars.ansible_become_user === undefined ? 'become_user' : 'ansible_become_user';
  const becomeUser = String(renderValue(user, vars, at(field)));
  return { become, becomeUser };
}
