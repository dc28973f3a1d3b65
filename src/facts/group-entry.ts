// A local group as getent sees it.
import { sh } from '../connection/shell-quote.js';
import { defineFact } from './fact.js';

export type GroupEntry = { readonly exists: false } | { readonly exists: true; readonly gid: number };

export const groupEntry = defineFact<{ readonly name: string }, GroupEntry>({
  name: 'group_entry',
  command: ({ name }) => sh`getent group -- ${name}`.text,
  parse(result) {
    // getent exits 2 when the key is not found.
    if (result.code === 2) return { exists: false };
    if (result.code !== 0) throw new Error(`reading the group: ${result.stderr.trim() || `exit code ${result.code}`}`);
    return { exists: true, gid: Number(result.stdout.trim().split(':')[2]) };
  },
});
