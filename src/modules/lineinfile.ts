// lineinfile: makes sure one line is in a text file (replacing the line a regexp selects, or adding it
// where insertafter/insertbefore say), or that no line matching is left; Ansible's arguments and results.
import { type LineInFileEdit, editLineInFile } from '../os/lineinfile-edit.js';
import { defineModule } from './module.js';
import { type TextFileArgs, type TextFileMessages, applyTextEdit, gatherTextFile, planTextEdit, textFileSchema, withPath } from './text-file-edit.js';

export interface LineInFileArgs extends TextFileArgs, LineInFileEdit {
  readonly state?: 'present' | 'absent';
  readonly regex?: string;
  readonly value?: string;
}

/** regex and value are Ansible's other names for regexp and line. */
const normalised = (args: LineInFileArgs): LineInFileArgs => ({
  ...withPath(args),
  ...(args.regexp === undefined && args.regex !== undefined ? { regexp: args.regex } : {}),
  ...(args.line === undefined && args.value !== undefined ? { line: args.value } : {}),
});

const messages = (path: string): TextFileMessages => ({ missing: `Destination ${path} does not exist !`, absentOk: 'file not present' });

const edit = (args: LineInFileArgs) => (original: string | undefined) => {
  const outcome = editLineInFile(original ?? '', args);
  return { text: outcome.text, msg: outcome.msg, ...(outcome.found !== undefined ? { extra: { found: outcome.found } } : {}) };
};

export const lineinfileModule = defineModule<LineInFileArgs, Awaited<ReturnType<typeof gatherTextFile>>>({
  name: 'lineinfile',
  description: 'Ensure a line is in a text file (or that no matching line is), as Ansible does: regexp, insertafter/insertbefore, backrefs.',
  schema: {
    type: 'object',
    additionalProperties: false,
    anyOf: textFileSchema.anyOf,
    properties: {
      ...textFileSchema.properties,
      state: { type: 'string', enum: ['present', 'absent'], description: 'present (default): the line is there; absent: every matching line is removed.' },
      line: { type: 'string', description: 'The line to put in the file (without its newline); with backrefs, \\1 and \\g<name> refer to regexp groups.' },
      value: { type: 'string', description: 'Same as line.' },
      regexp: {
        type: 'string',
        description: 'Python regular expression: the last matching line (the first with firstmatch) is replaced; with state=absent every matching line goes.',
      },
      regex: { type: 'string', description: 'Same as regexp.' },
      search_string: { type: 'string', description: 'Literal text instead of regexp: a line containing it is replaced or removed.' },
      insertafter: { type: 'string', description: 'EOF (default), BOF, or a regex: a new line goes after the last line matching it (EOF when none does).' },
      insertbefore: { type: 'string', description: 'BOF or a regex: a new line goes before the last line matching it.' },
      backrefs: { type: 'boolean', description: 'Expand regexp groups in line; when regexp matches nothing the file is left unchanged.' },
      firstmatch: { type: 'boolean', description: 'Use the first line matching regexp or insertafter/insertbefore instead of the last.' },
    },
  },
  example: `- name: Raise the open-files limit for etcd
  lineinfile:
    path: /etc/security/limits.conf
    regexp: '^etcd\\s+soft\\s+nofile'
    line: 'etcd soft nofile 65536'
`,
  idempotent: true,
  readsAhead: true,
  gather: (args, ctx) => gatherTextFile(withPath(args).path, ctx.facts),
  plan: (args, state) => planTextEdit(normalised(args), state, messages(withPath(args).path), edit(normalised(args))),
  apply: (args, plan, ctx) => applyTextEdit(normalised(args), plan, ctx, messages(withPath(args).path), edit(normalised(args))),
});
