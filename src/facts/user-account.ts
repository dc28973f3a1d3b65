// A local user as getent and id see it: uid, primary group, supplementary groups, home and shell.
import { sh } from '../connection/shell-quote.js';
import { defineFact } from './fact.js';
import { requireSuccess } from './file-state.js';

export type UserAccount =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly uid: number;
      readonly gid: number;
      /** Name of the primary group. */
      readonly group: string;
      /** Supplementary groups, sorted, without the primary one. */
      readonly groups: readonly string[];
      readonly home: string;
      readonly shell: string;
    };

export const userAccount = defineFact<{ readonly name: string }, UserAccount>({
  name: 'user_account',
  command: ({ name }) =>
    sh`if e=$(getent passwd -- ${name}); then
printf 'passwd=%s\\n' "$e"
printf 'primary=%s\\n' "$(getent group -- "$(printf '%s' "$e" | cut -d: -f4)" | cut -d: -f1)"
printf 'groups=%s\\n' "$(id -Gn -- ${name})"
else echo absent; fi`.text,
  parse(result) {
    requireSuccess(result, 'reading the user');
    const out = result.stdout;
    if (out.trim() === 'absent') return { exists: false };
    const field = (key: string): string => {
      const line = out.split('\n').find((l) => l.startsWith(`${key}=`));
      if (line === undefined) throw new Error(`user_account: no ${key} in: ${out}`);
      return line.slice(key.length + 1);
    };
    const [, , uid, gid, , home, shell] = field('passwd').split(':');
    const primary = field('primary') || gid;
    const groups = field('groups')
      .split(/\s+/)
      .filter((g) => g && g !== primary)
      .sort();
    return { exists: true, uid: Number(uid), gid: Number(gid), group: primary, groups: [...new Set(groups)], home, shell };
  },
});
