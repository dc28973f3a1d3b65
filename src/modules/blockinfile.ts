// blockinfile: keeps a block of lines between two marker lines in a text file, inserted where
// insertafter/insertbefore say, or removes it; Ansible's arguments and results.
import { type BlockInFileEdit, DEFAULT_MARKER, editBlockInFile } from '../os/blockinfile-edit.js';
import { defineModule } from './module.js';
import { type TextFileArgs, type TextFileMessages, applyTextEdit, gatherTextFile, planTextEdit, textFileSchema, withPath } from './text-file-edit.js';

export interface BlockInFileArgs extends TextFileArgs, BlockInFileEdit {
  readonly state?: 'present' | 'absent';
  readonly content?: string;
}

const normalised = (args: BlockInFileArgs): BlockInFileArgs => ({
  ...withPath(args),
  ...(args.block === undefined && args.content !== undefined ? { block: args.content } : {}),
});

const messages = (path: string): TextFileMessages => ({ missing: `Path ${path} does not exist !`, absentOk: `File ${path} not present` });

const edit = (args: BlockInFileArgs) => (original: string | undefined) => editBlockInFile(original, args);

export const blockinfileModule = defineModule<BlockInFileArgs, Awaited<ReturnType<typeof gatherTextFile>>>({
  name: 'blockinfile',
  description: 'Insert, update or remove a block of lines between marker lines in a text file, as Ansible does.',
  schema: {
    type: 'object',
    additionalProperties: false,
    anyOf: textFileSchema.anyOf,
    properties: {
      ...textFileSchema.properties,
      state: { type: 'string', enum: ['present', 'absent'], description: 'present (default): the block is there; absent: it is removed with its markers.' },
      block: { type: 'string', description: 'The lines between the markers; empty removes the block.' },
      content: { type: 'string', description: 'Same as block.' },
      marker: { type: 'string', description: `Marker line template; {mark} becomes marker_begin or marker_end (default "${DEFAULT_MARKER}").` },
      marker_begin: { type: 'string', description: 'Replaces {mark} in the opening marker (default BEGIN).' },
      marker_end: { type: 'string', description: 'Replaces {mark} in the closing marker (default END).' },
      insertafter: { type: 'string', description: 'EOF (default) or a regex: a new block goes after the last line matching it (EOF when none does).' },
      insertbefore: { type: 'string', description: 'BOF or a regex: a new block goes before the last line matching it.' },
    },
  },
  example: `- name: Name the etcd members in /etc/hosts
  blockinfile:
    path: /etc/hosts
    marker: "# {mark} etcd members"
    block: |
      10.0.0.11 etcd-1
      10.0.0.12 etcd-2
`,
  idempotent: true,
  readsAhead: true,
  gather: (args, ctx) => gatherTextFile(withPath(args).path, ctx.facts),
  plan: (args, state) => planTextEdit(normalised(args), state, messages(withPath(args).path), edit(normalised(args))),
  apply: (args, plan, ctx) => applyTextEdit(normalised(args), plan, ctx, messages(withPath(args).path), edit(normalised(args))),
});
