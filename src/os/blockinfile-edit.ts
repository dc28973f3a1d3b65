// The pure text edit behind blockinfile, with Ansible's rules: a block between two marker lines replaces
// the previous block between the same markers, or goes after/before the last line matching a regex (or at
// EOF/BOF); state=absent or an empty block removes it. Same bytes and same changed as Ansible.
import { pythonRegex } from '../playbook/python-regex.js';
import { TaskFailure } from '../modules/task-failure.js';

export interface BlockInFileEdit {
  readonly state?: 'present' | 'absent';
  readonly block?: string;
  readonly marker?: string;
  readonly marker_begin?: string;
  readonly marker_end?: string;
  readonly insertafter?: string;
  readonly insertbefore?: string;
}

export interface BlockOutcome {
  readonly text: string;
  /** Ansible's msg: 'Block inserted', 'Block removed', 'File created' or ''. */
  readonly msg: string;
}

export const DEFAULT_MARKER = '# {mark} ANSIBLE MANAGED BLOCK';

/** Python's bytes.splitlines(keepends=True): lines end at "\n", "\r\n" or "\r". */
const splitLines = (text: string): string[] => text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];

/** `original` is the file's content, or undefined when the file does not exist yet. */
export function editBlockInFile(original: string | undefined, args: BlockInFileEdit): BlockOutcome {
  if (args.insertafter !== undefined && args.insertbefore !== undefined) throw new TaskFailure('insertafter and insertbefore are mutually exclusive');
  const lines = original === undefined ? [] : splitLines(original);
  const present = (args.state ?? 'present') === 'present';
  const insertafter = args.insertafter === undefined && args.insertbefore === undefined ? 'EOF' : args.insertafter;
  const insertbefore = args.insertbefore;
  const insertRe =
    insertafter !== undefined && insertafter !== 'EOF'
      ? pythonRegex(insertafter, 'insertafter')
      : insertbefore !== undefined && insertbefore !== 'BOF'
        ? pythonRegex(insertbefore, 'insertbefore')
        : undefined;
  const marker = args.marker ?? DEFAULT_MARKER;
  const begin = `${marker.replaceAll('{mark}', args.marker_begin ?? 'BEGIN')}\n`;
  const end = `${marker.replaceAll('{mark}', args.marker_end ?? 'END')}\n`;
  let block = args.block ?? '';
  const blockLines: string[] = [];
  if (present && block) {
    if (!block.endsWith('\n')) block += '\n';
    blockLines.push(begin, ...splitLines(block), end);
  }

  let n0: number | undefined;
  let n1: number | undefined;
  for (const [i, line] of lines.entries()) {
    if (line === begin) n0 = i;
    if (line === end) n1 = i;
  }
  if (n0 === undefined || n1 === undefined) {
    n0 = undefined;
    if (insertRe) {
      if (insertRe.multiline) {
        // A multi-line pattern is searched in the whole file; the block goes at the line where it matches.
        const m = insertRe.search(original ?? '');
        if (m) {
          const offset = insertafter ? m.index + m[0].length : m.index;
          n0 = ((original ?? '').slice(0, offset).match(/\n/g) ?? []).length;
        }
      } else {
        for (const [i, m] of insertRe.searchEach(lines.map((line) => line.replace(/\n$/, ''))).entries()) if (m) n0 = i;
      }
      if (n0 === undefined) n0 = lines.length;
      else if (insertafter !== undefined) n0 += 1;
    } else {
      n0 = insertbefore !== undefined ? 0 : lines.length;
    }
  } else if (n0 < n1) {
    lines.splice(n0, n1 - n0 + 1);
  } else {
    lines.splice(n1, n0 - n1 + 1);
    n0 = n1;
  }
  if (n0 > 0 && !lines[n0 - 1]!.endsWith('\n')) lines[n0 - 1] += '\n';
  lines.splice(n0, 0, ...blockLines);
  const text = lines.join('');
  if (original === text) return { text, msg: '' };
  if (original === undefined) return { text, msg: 'File created' };
  return { text, msg: blockLines.length ? 'Block inserted' : 'Block removed' };
}
