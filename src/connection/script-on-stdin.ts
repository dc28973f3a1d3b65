// How a script reaches the host's shell without being in any process's argv: `ps -ef` and
// /proc/PID/cmdline show every local user the command line of every process, so a script on a `sh -c`
// line would show the secrets it carries (passwords, tokens, templated `-e` values) while it runs.
// The command line is a short fixed loader; the script comes first on standard input, then the
// command's own input. The loader reads exactly the script's bytes (head -c never reads past what it
// was asked for, even from a pipe), so what follows stays on stdin for the script's commands.

/** The last line of every framed script: the loader runs nothing unless it arrived whole. */
const END_MARK = '#etcdops-script-end';
/** The loader's variable; a name no script of ours uses, unexported so no child process sees it. */
const SCRIPT_VAR = 'etcdops_script';

export interface FramedCommand {
  /** The command line to run with `sh -c`: holds only the script's length. */
  readonly line: string;
  /** The script, its end mark, then the command's input. */
  readonly stdin: Buffer;
}

/** Frames `script` and the command's input `payload` for a loader line. */
export function scriptOnStdin(script: string, payload?: string | Buffer): FramedCommand {
  // A shell variable cannot hold a NUL (dash drops it silently), and no `sh -c` line could either.
  if (script.includes('\0')) throw new Error('a shell script cannot contain a NUL byte');
  const framed = Buffer.from(`${script}\n${END_MARK}`, 'utf8');
  // A truncated stream (a session cut mid-send) must not run the first half of a script.
  const line =
    `${SCRIPT_VAR}=$(head -c ${framed.length}) && [ "\${${SCRIPT_VAR}%${END_MARK}}" != "$${SCRIPT_VAR}" ] || ` +
    `{ echo 'etcdops: the script did not arrive whole on standard input' >&2; exit 255; }\n` +
    `eval "\${${SCRIPT_VAR}%${END_MARK}}"`;
  const input = payload === undefined ? [] : [typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload];
  return { line, stdin: Buffer.concat([framed, ...input]) };
}
