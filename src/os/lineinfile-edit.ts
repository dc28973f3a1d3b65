// The pure text edit behind lineinfile, with Ansible's rules: which line a regexp, search_string or the
// exact line selects, where a new line goes (insertafter/insertbefore, a regex or BOF/EOF, last match unless
// firstmatch), backrefs, and absent removing every matching line. Same bytes and same changed as Ansible.
import { expandTemplate, pythonRegex } from '../playbook/python-regex.js';
import type { UserRegex } from '../playbook/user-regex.js';
import { TaskFailure } from '../modules/task-failure.js';

export interface LineInFileEdit {
  readonly state?: 'present' | 'absent';
  readonly regexp?: string;
  readonly search_string?: string;
  readonly line?: string;
  readonly insertafter?: string;
  readonly insertbefore?: string;
  readonly backrefs?: boolean;
  readonly firstmatch?: boolean;
}

export interface EditOutcome {
  /** The file's new text (equal to the input when nothing changes). */
  readonly text: string;
  /** Ansible's msg: 'line added', 'line replaced', 'N line(s) removed' or ''. */
  readonly msg: string;
  /** For state=absent: how many lines were removed. */
  readonly found?: number;
}

/** Python's readlines on bytes: every line keeps its "\n"; the last one may have none. */
export function splitKeepingNewlines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

const bare = (line: string): string => line.replace(/[\r\n]+$/, '');
/** re.search on every line; Python's `$` also matches before a final "\n": searching a line without it gives the same answer. */
const searchLines = (re: UserRegex, lines: readonly string[]): (RegExpExecArray | null)[] =>
  re.searchEach(lines.map((line) => (line.endsWith('\n') ? line.slice(0, -1) : line)));
const endsWithNewline = (line: string | undefined): boolean => line !== undefined && /[\r\n]$/.test(line);

export function checkLineInFileArgs(args: LineInFileEdit): void {
  if (args.insertafter !== undefined && args.insertbefore !== undefined) throw new TaskFailure('insertafter and insertbefore are mutually exclusive');
  if (args.regexp !== undefined && args.search_string !== undefined) throw new TaskFailure('regexp and search_string are mutually exclusive');
  if (args.backrefs && args.search_string !== undefined) throw new TaskFailure('backrefs and search_string are mutually exclusive');
  if ((args.state ?? 'present') === 'present') {
    if (args.backrefs && args.regexp === undefined) throw new TaskFailure('regexp is required with backrefs=true');
    if (args.line === undefined) throw new TaskFailure('line is required with state=present');
  } else if (args.regexp === undefined && args.search_string === undefined && args.line === undefined) {
    throw new TaskFailure('one of line, search_string, or regexp is required with state=absent');
  }
}

/** `text` is the file's content (empty for a file about to be created). */
export function editLineInFile(text: string, args: LineInFileEdit): EditOutcome {
  checkLineInFileArgs(args);
  return (args.state ?? 'present') === 'present' ? present(text, args) : absent(text, args);
}

function absent(text: string, args: LineInFileEdit): EditOutcome {
  const re = args.regexp !== undefined ? pythonRegex(args.regexp, 'regexp') : undefined;
  const lines = splitKeepingNewlines(text);
  const hits = re ? searchLines(re, lines) : undefined;
  const matches = (line: string, i: number): boolean =>
    hits ? hits[i] !== null : args.search_string !== undefined ? line.includes(args.search_string) : bare(line) === args.line;
  const kept = lines.filter((line, i) => !matches(line, i));
  const found = lines.length - kept.length;
  return { text: kept.join(''), msg: found ? `${found} line(s) removed` : '', found };
}

function present(text: string, args: LineInFileEdit): EditOutcome {
  const lines = splitKeepingNewlines(text);
  const line = args.line as string;
  // Without insertbefore and insertafter, a new line goes at the end.
  const insertafter = args.insertafter === undefined && args.insertbefore === undefined ? 'EOF' : args.insertafter;
  const insertbefore = args.insertbefore;
  const re = args.regexp !== undefined ? pythonRegex(args.regexp, 'regexp') : undefined;
  const insertRe =
    insertafter !== undefined && insertafter !== 'BOF' && insertafter !== 'EOF'
      ? pythonRegex(insertafter, 'insertafter')
      : insertbefore !== undefined && insertbefore !== 'BOF'
        ? pythonRegex(insertbefore, 'insertbefore')
        : undefined;

  let found = -1;
  let insertAt = -1;
  let match: RegExpExecArray | boolean | null = null;
  if (re) {
    for (const [i, m] of searchLines(re, lines).entries()) {
      if (m) {
        found = i;
        match = m;
        if (args.firstmatch) break;
      }
    }
  }
  if (args.search_string !== undefined) {
    for (const [i, current] of lines.entries()) {
      if (current.includes(args.search_string)) {
        found = i;
        match = true;
        if (args.firstmatch) break;
      }
    }
  }
  if (!match) {
    const anchors = insertRe ? searchLines(insertRe, lines) : [];
    for (const [i, current] of lines.entries()) {
      if (bare(current) === line) {
        found = i;
      } else if (anchors[i]) {
        insertAt = insertafter ? i + 1 : i;
        if (args.firstmatch) break;
      }
    }
  }

  const added = (at: number): EditOutcome => {
    lines.splice(at, 0, `${line}\n`);
    return { text: lines.join(''), msg: 'line added' };
  };
  const unchanged: EditOutcome = { text, msg: '' };

  if (found !== -1) {
    let newLine = args.backrefs && match && typeof match !== 'boolean' ? expandTemplate(line, match) : line;
    if (!newLine.endsWith('\n')) newLine += '\n';
    if (lines[found] === newLine) return unchanged;
    lines[found] = newLine;
    return { text: lines.join(''), msg: 'line replaced' };
  }
  // Without a match there is nothing to fill the backrefs with: Ansible leaves the file alone.
  if (args.backrefs) return unchanged;
  if (insertbefore === 'BOF' || insertafter === 'BOF') return added(0);
  if (insertafter === 'EOF' || insertAt === -1) {
    if (lines.length && !endsWithNewline(lines[lines.length - 1])) lines.push('\n');
    return added(lines.length);
  }
  if (insertafter) {
    // Not inserted again when the line already follows the anchor.
    if (insertAt === lines.length) return bare(lines[insertAt - 1]!) === line ? unchanged : added(insertAt);
    return bare(lines[insertAt]!) === line ? unchanged : added(insertAt);
  }
  return added(insertAt);
}
