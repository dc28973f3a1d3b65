// Facts that read several things in one remote command print each under a marked line: this is that mark,
// the reader that splits the output back into its sections, and the reader of `systemctl show` lines.
import type { ExecResult } from '../connection/connection.js';
import { ShellCode } from '../connection/shell-quote.js';
import { requireSuccess } from './file-state.js';

/** What opens a section's line; a script's last section is `end`, so output cut short is caught. */
export const SECTION_MARK = '@@etcdops-section ';

/** Shell code printing the line that opens section `name`. */
export const section = (name: string): ShellCode => new ShellCode(`echo '${SECTION_MARK}${name}'`);

/** A fact command's output by section name; throws, naming `what`, when the command failed or its output has no end. */
export function readSections(result: ExecResult, what: string): Map<string, string> {
  requireSuccess(result, what);
  const sections = new Map<string, string>();
  for (const part of result.stdout.split(new RegExp(`^${SECTION_MARK}`, 'm')).slice(1)) {
    const nl = part.indexOf('\n');
    sections.set(part.slice(0, nl === -1 ? undefined : nl), nl === -1 ? '' : part.slice(nl + 1));
  }
  if (!sections.has('end')) throw new Error(`${what}: unexpected output: ${result.stdout.slice(0, 200)}`);
  return sections;
}

/** `systemctl show` output (PROPERTY=value lines) by property. */
export function systemdProperties(text: string): Map<string, string> {
  return new Map(
    text
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
  );
}
