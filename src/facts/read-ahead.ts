// Reads sent ahead: the fact reads of the tasks that follow, carried in the command of a task's own read,
// so a run that changes nothing costs a host fewer commands than it has tasks. Every command costs the host
// an SSH channel, a shell and its programs (on 100 lab hosts, a round of `true` took 0.24 s of a 2-core
// machine), and the reads a no-op's tasks make are known before the tasks run.
//
// The task's own read runs last and as it would alone: its output, error text and exit code are the
// command's. Each read sent ahead runs before it in a subshell, with no input and its error text dropped,
// between two lines holding a random mark; one that fails is not kept, so its task reads again in its turn
// and reports its own error.
import { randomBytes } from 'node:crypto';
import type { ExecResult } from '../connection/connection.js';

export interface FramedReads {
  readonly script: string;
  readonly mark: string;
}

export interface SplitReads {
  /** The task's own read, as if it had run alone. */
  readonly own: ExecResult;
  /** Each read sent ahead, in order: its output, or undefined when it failed or its output is not whole. */
  readonly ahead: readonly (string | undefined)[];
}

export function frameReads(own: string, ahead: readonly string[], mark = `etcdops-read-${randomBytes(8).toString('hex')}`): FramedReads {
  const sections = ahead.map((script, index) => `printf '%s\\n' '${mark} ${index}'\n(\n${script}\n) </dev/null 2>/dev/null\nprintf '\\n%s %s\\n' '${mark} ${index}' "$?"\n`);
  return { script: `${sections.join('')}printf '%s\\n' '${mark} own'\n${own}`, mark };
}

export function splitReads(result: ExecResult, mark: string, count: number): SplitReads {
  const { stdout } = result;
  const ownAt = stdout.indexOf(`${mark} own\n`);
  // Without the mark the shell never reached the task's own read: its error is the whole command's.
  if (ownAt < 0) return { own: result, ahead: Array.from({ length: count }, () => undefined) };
  const ahead: (string | undefined)[] = [];
  let at = 0;
  for (let index = 0; index < count; index++) {
    const start = `${mark} ${index}\n`;
    const end = `\n${mark} ${index} `;
    const endAt = stdout.startsWith(start, at) ? stdout.indexOf(end, at + start.length) : -1;
    if (endAt < 0 || endAt > ownAt) {
      ahead.push(undefined);
      continue;
    }
    const codeEnd = stdout.indexOf('\n', endAt + end.length);
    const code = stdout.slice(endAt + end.length, codeEnd);
    ahead.push(code === '0' ? stdout.slice(at + start.length, endAt) : undefined);
    at = codeEnd + 1;
  }
  return { own: { ...result, stdout: stdout.slice(ownAt + `${mark} own\n`.length) }, ahead };
}
