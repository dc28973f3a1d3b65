// user: a local account (uid, primary and supplementary groups, home, shell) with useradd/usermod/userdel.
// Gathered with getent and id in one command.
import { type UserAccount, userAccount } from '../facts/user-account.js';
import { sh, ShellCode } from '../connection/shell-quote.js';
import { ChangeAction, type TaskPlan, noop } from '../plan/change.js';
import { ACCOUNT_NAME_PATTERN, GROUP_OR_GID_PATTERN } from '../os/account-name.js';
import { defineModule } from './module.js';

export interface UserArgs {
  readonly name: string;
  readonly uid?: number;
  readonly group?: string;
  readonly groups?: readonly string[] | string;
  readonly append?: boolean;
  readonly home?: string;
  readonly shell?: string;
  readonly system?: boolean;
  readonly create_home?: boolean;
  readonly remove?: boolean;
  readonly state?: 'present' | 'absent';
}

export function wantedGroups(groups: UserArgs['groups']): string[] | undefined {
  if (groups === undefined) return undefined;
  const list = typeof groups === 'string' ? groups.split(',') : [...groups];
  return [...new Set(list.map((g) => g.trim()).filter(Boolean))].sort();
}

/** The account's attributes that the task sets, as diff lines. */
function describe(values: Record<string, unknown>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(',') : v}\n`)
    .join('');
}

export function planUser(args: UserArgs, account: UserAccount): TaskPlan {
  const groups = wantedGroups(args.groups);
  if (args.state === 'absent') {
    if (!account.exists) return noop(`user ${args.name} does not exist`, { name: args.name, state: 'absent' });
    return { changes: [{ action: ChangeAction.DELETE, target: `user ${args.name}`, reason: 'user exists', before: describe({ uid: account.uid, home: account.home }), after: '' }] };
  }
  const wanted = { uid: args.uid, group: args.group, groups, home: args.home, shell: args.shell };
  if (!account.exists) {
    return { changes: [{ action: ChangeAction.CREATE, target: `user ${args.name}`, reason: 'user does not exist', before: '', after: describe(wanted) }] };
  }
  const diffs: string[] = [];
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const differ = (key: string, have: unknown, want: unknown): void => {
    diffs.push(`${key} ${Array.isArray(have) ? have.join(',') || '(none)' : have} → ${Array.isArray(want) ? want.join(',') : want}`);
    before[key] = have;
    after[key] = want;
  };
  if (args.uid !== undefined && args.uid !== account.uid) differ('uid', account.uid, args.uid);
  if (args.group !== undefined) {
    const same = /^\d+$/.test(args.group) ? Number(args.group) === account.gid : args.group === account.group;
    if (!same) differ('group', account.group, args.group);
  }
  if (groups !== undefined) {
    const missing = groups.filter((g) => !account.groups.includes(g));
    const extra = args.append ? [] : account.groups.filter((g) => !groups.includes(g));
    if (missing.length || extra.length) differ('groups', account.groups, args.append ? [...new Set([...account.groups, ...groups])].sort() : groups);
  }
  if (args.home !== undefined && args.home !== account.home) differ('home', account.home, args.home);
  if (args.shell !== undefined && args.shell !== account.shell) differ('shell', account.shell, args.shell);
  if (!diffs.length) return noop(`user ${args.name} matches`, { name: args.name, uid: account.uid, state: 'present' });
  return { changes: [{ action: ChangeAction.UPDATE, target: `user ${args.name}`, reason: diffs.join(', '), before: describe(before), after: describe(after) }] };
}

/** The useradd/usermod/userdel command for the planned change; usermod ignores options already satisfied. */
export function userCommand(args: UserArgs, action: ChangeAction): ShellCode {
  if (action === ChangeAction.DELETE) return sh`userdel ${args.remove ? ['-r'] : []} -- ${args.name}`;
  const groups = wantedGroups(args.groups);
  const options: string[] = [];
  if (args.uid !== undefined) options.push('-u', String(args.uid));
  if (args.group !== undefined) options.push('-g', args.group);
  if (groups !== undefined) options.push(...(action === ChangeAction.UPDATE && args.append ? ['-a'] : []), '-G', groups.join(','));
  if (args.home !== undefined) options.push('-d', args.home);
  if (args.shell !== undefined) options.push('-s', args.shell);
  if (action === ChangeAction.UPDATE) return sh`usermod ${options} -- ${args.name}`;
  if (args.system) options.push('-r');
  options.push(args.create_home === false ? '-M' : '-m');
  return sh`useradd ${options} -- ${args.name}`;
}

export const userModule = defineModule<UserArgs, UserAccount>({
  name: 'user',
  aliases: { createhome: 'create_home', user: 'name' },
  description: 'Create, update or remove a local user account (useradd, usermod, userdel).',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', pattern: ACCOUNT_NAME_PATTERN, description: 'Login name (letters, digits, _ . -; not starting with -).' },
      uid: { type: 'integer', description: 'Numeric user id.' },
      group: { type: 'string', pattern: GROUP_OR_GID_PATTERN, description: 'Primary group, by name or gid (it must exist).' },
      groups: {
        type: ['array', 'string'],
        items: { type: 'string', pattern: ACCOUNT_NAME_PATTERN },
        description: 'Supplementary groups, as a list or a comma-separated string.',
      },
      append: { type: 'boolean', description: 'Add to the listed groups instead of making them the exact set (default false).' },
      home: { type: 'string', description: 'Home directory.' },
      shell: { type: 'string', description: 'Login shell, e.g. /usr/sbin/nologin for a service account.' },
      system: { type: 'boolean', description: 'Create a system account (uid in the system range); only used on creation.' },
      create_home: { type: 'boolean', description: 'Create the home directory when creating the user (default true).' },
      remove: { type: 'boolean', description: 'With state: absent, also remove the home directory.' },
      state: { type: 'string', enum: ['present', 'absent'], description: 'Whether the user exists (default present).' },
    },
  },
  example: `- name: etcd service account
  user:
    name: etcd
    system: true
    shell: /usr/sbin/nologin
    home: /var/lib/etcd
    create_home: false
`,
  idempotent: true,
  readsAhead: true,
  gather: (args, ctx) => ctx.facts.read(userAccount, { name: args.name }),
  plan: (args, account) => planUser(args, account),
  async apply(args, plan, ctx) {
    const change = plan.changes[0];
    if (!change) return { changed: false, result: plan.result };
    const out = await ctx.connection.exec(userCommand(args, change.action).text, { become: ctx.become });
    const result = { name: args.name, state: args.state ?? 'present' };
    if (out.code !== 0) return { changed: false, failed: true, msg: out.stderr.trim(), result };
    return { changed: true, result };
  },
});
