// group: a local group (gid, system) with groupadd/groupmod/groupdel; gathered with getent.
import { type GroupEntry, groupEntry } from '../facts/group-entry.js';
import { type ShellCode, sh } from '../connection/shell-quote.js';
import { ChangeAction, type TaskPlan, noop } from '../plan/change.js';
import { ACCOUNT_NAME_PATTERN } from '../os/account-name.js';
import { defineModule } from './module.js';

export interface GroupArgs {
  readonly name: string;
  readonly gid?: number;
  readonly system?: boolean;
  readonly state?: 'present' | 'absent';
}

export function planGroup(args: GroupArgs, entry: GroupEntry): TaskPlan {
  const target = `group ${args.name}`;
  if (args.state === 'absent') {
    if (!entry.exists) return noop(`group ${args.name} does not exist`, { name: args.name, state: 'absent' });
    return { changes: [{ action: ChangeAction.DELETE, target, reason: 'group exists', before: `gid: ${entry.gid}\n`, after: '' }] };
  }
  if (!entry.exists) {
    return { changes: [{ action: ChangeAction.CREATE, target, reason: 'group does not exist', before: '', after: args.gid !== undefined ? `gid: ${args.gid}\n` : '' }] };
  }
  if (args.gid !== undefined && args.gid !== entry.gid) {
    return { changes: [{ action: ChangeAction.UPDATE, target, reason: `gid ${entry.gid} → ${args.gid}`, before: `gid: ${entry.gid}\n`, after: `gid: ${args.gid}\n` }] };
  }
  return noop(`group ${args.name} matches`, { name: args.name, gid: entry.gid, state: 'present' });
}

export function groupCommand(args: GroupArgs, action: ChangeAction): ShellCode {
  const gid = args.gid !== undefined ? ['-g', String(args.gid)] : [];
  if (action === ChangeAction.DELETE) return sh`groupdel -- ${args.name}`;
  if (action === ChangeAction.UPDATE) return sh`groupmod ${gid} -- ${args.name}`;
  return sh`groupadd ${gid} ${args.system ? ['-r'] : []} -- ${args.name}`;
}

export const groupModule = defineModule<GroupArgs, GroupEntry>({
  name: 'group',
  description: 'Create, update or remove a local group (groupadd, groupmod, groupdel).',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', pattern: ACCOUNT_NAME_PATTERN, description: 'Group name (letters, digits, _ . -; not starting with -).' },
      gid: { type: 'integer', description: 'Numeric group id.' },
      system: { type: 'boolean', description: 'Create a system group; only used on creation.' },
      state: { type: 'string', enum: ['present', 'absent'], description: 'Whether the group exists (default present).' },
    },
  },
  example: `- name: etcd group
  group:
    name: etcd
    system: true
`,
  idempotent: true,
  readsAhead: true,
  gather: (args, ctx) => ctx.facts.read(groupEntry, { name: args.name }),
  plan: (args, entry) => planGroup(args, entry),
  async apply(args, plan, ctx) {
    const change = plan.changes[0];
    if (!change) return { changed: false, result: plan.result };
    const out = await ctx.connection.exec(groupCommand(args, change.action).text, { become: ctx.become });
    const result = { name: args.name, state: args.state ?? 'present' };
    if (out.code !== 0) return { changed: false, failed: true, msg: out.stderr.trim(), result };
    return { changed: true, result };
  },
});
