// Everything Ansible's stat reports about a path, in one command: GNU stat's fields (the path itself, a
// link is not followed), access for the connecting user, a link's target, and a checksum of a regular file.
import type { ExecResult } from '../connection/connection.js';
import { ShellCode, sh } from '../connection/shell-quote.js';
import { defineFact } from './fact.js';
import { requireSuccess } from './file-state.js';

export type ChecksumAlgorithm = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512' | 'md5';

export interface PathStatArgs {
  readonly path: string;
  /** The checksum program's algorithm, or undefined for none. */
  readonly checksum?: ChecksumAlgorithm;
}

/** The raw fields as printed (name → text); `exists` false when the path is missing. */
export interface PathStat {
  readonly exists: boolean;
  readonly fields: Readonly<Record<string, string>>;
}

export function pathStatCommand(args: PathStatArgs): string {
  const checksum = args.checksum
    ? sh`if [ -f "$p" ] && [ ! -L "$p" ] && [ -r "$p" ]; then printf 'checksum=%s\\n' "$(${new ShellCode(`${args.checksum}sum`)} < "$p" | cut -d' ' -f1)"; fi`
    : new ShellCode(':');
  return sh`p=${args.path}
if [ -e "$p" ] || [ -L "$p" ]; then
stat --printf 'mode=%a\\ntype=%F\\nuid=%u\\ngid=%g\\npw_name=%U\\ngr_name=%G\\nsize=%s\\ninode=%i\\ndev=%d\\nnlink=%h\\natime=%.9X\\nmtime=%.9Y\\nctime=%.9Z\\n' -- "$p"
if [ -L "$p" ]; then printf 'lnk_target=%s\\nlnk_source=%s\\n' "$(readlink -- "$p")" "$(readlink -f -- "$p")"; fi
if [ -r "$p" ]; then echo readable=1; fi
if [ -w "$p" ]; then echo writeable=1; fi
if [ -x "$p" ]; then echo executable=1; fi
${checksum}
else echo missing; fi`.text;
}

export function parsePathStat(result: ExecResult, args: PathStatArgs): PathStat {
  requireSuccess(result, `stat ${args.path}`);
  if (result.stdout.trim() === 'missing') return { exists: false, fields: {} };
  const fields: Record<string, string> = {};
  for (const line of result.stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) fields[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return { exists: true, fields };
}

export const pathStat = defineFact<PathStatArgs, PathStat>({
  name: 'path_stat',
  command: pathStatCommand,
  parse: parsePathStat,
});
