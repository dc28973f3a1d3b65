// Which of a few paths exist on a host, in one round trip (for creates/removes and wait_for on a path).
import { ShellCode, sh, joinCode } from '../connection/shell-quote.js';
import { defineFact } from './fact.js';
import { requireSuccess } from './file-state.js';

export interface PathsExistArgs {
  readonly paths: readonly string[];
  /** Relative paths are resolved against this folder. */
  readonly cwd?: string;
}

export const pathsExist = defineFact<PathsExistArgs, Readonly<Record<string, boolean>>>({
  name: 'paths_exist',
  command(args) {
    // A dangling link still "exists" for creates/removes, as the link itself is there.
    const tests = joinCode(args.paths.map((p) => sh`if [ -e ${p} ] || [ -L ${p} ]; then echo 1; else echo 0; fi`));
    if (!args.cwd) return tests.text;
    // When the folder itself is missing, nothing relative to it exists.
    const none = new ShellCode(args.paths.map(() => 'echo 0').join('; '));
    return sh`if cd -- ${args.cwd} 2>/dev/null; then
${tests}
else ${none}; fi`.text;
  },
  parse(result, args) {
    requireSuccess(result, 'testing paths');
    const answers = result.stdout.trim().split('\n');
    if (answers.length !== args.paths.length) throw new Error(`paths_exist: unexpected output: ${result.stdout}`);
    return Object.fromEntries(args.paths.map((p, i) => [p, answers[i] === '1']));
  },
});
