// `--check a,b`: which checks to run, in the order the registry lists them, every one when none is named.
import { ExitCode } from '../errors/exit-code.js';
import { UserError } from '../errors/user-error.js';
import { CHECK_NAMES, type CheckName } from './run-inspect.js';

/** Pure: the checks named in a comma-separated list (or all of them), or a UserError naming the unknown one. */
export function selectChecks(list: string | undefined): CheckName[] {
  if (list === undefined || list.trim() === '' || list.trim() === 'all') return [...CHECK_NAMES];
  const wanted = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const name of wanted) {
    if (!(CHECK_NAMES as readonly string[]).includes(name)) {
      throw new UserError(`--check: unknown check "${name}" (known: ${CHECK_NAMES.join(', ')})`, ExitCode.ERROR);
    }
  }
  return CHECK_NAMES.filter((name) => wanted.includes(name));
}
