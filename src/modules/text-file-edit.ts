// What lineinfile and blockinfile share: read a text file's content in one command, run a pure edit on
// it, and plan the result like copy does (CREATE, REPLACE, attributes only, or nothing), with Ansible's
// messages. Apply reads the file again and writes the edit of what is there at that moment.
import { dirname } from 'node:path';
import { type FileState, DIFF_CONTENT_LIMIT, fileState } from '../facts/file-state.js';
import { FactReader } from '../facts/fact.js';
import { sh } from '../connection/shell-quote.js';
import { type TaskPlan, noop } from '../plan/change.js';
import { type FileAttributeArgs, attributeDifferences, fileAttributeProperties, wantedAttributes } from '../os/file-attributes.js';
import { planFileContent } from './file-content.js';
import { applyChanges } from '../executor/change-applier.js';
import type { ApplyContext, ApplyResult, GatherContext } from './module.js';
import { TaskFailure } from './task-failure.js';

export interface TextFileArgs extends FileAttributeArgs {
  readonly path: string;
  readonly state?: 'present' | 'absent';
  readonly create?: boolean;
}

/** The edit's outcome: the new text, Ansible's msg, and extra registered values (lineinfile's `found`). */
export interface TextEdit {
  readonly text: string;
  readonly msg: string;
  readonly extra?: Readonly<Record<string, unknown>>;
}

export interface TextFileMessages {
  /** The file is missing and create is false (Ansible fails). */
  readonly missing: string;
  /** The file is missing and state=absent (Ansible succeeds, unchanged). */
  readonly absentOk: string;
}

/** Ansible's other names for path, accepted as written and read as path. */
export const PATH_ALIASES = ['dest', 'destfile', 'name'] as const;

/** The schema parts lineinfile and blockinfile share: path (or one of its aliases), create, file attributes. */
export const textFileSchema = {
  anyOf: [{ required: ['path'] }, ...PATH_ALIASES.map((name) => ({ required: [name] }))],
  properties: {
    path: { type: 'string', pattern: '^/', description: 'Absolute path of the file to edit (aliases: dest, destfile, name).' },
    create: { type: 'boolean', description: 'Create the file when it does not exist (default false: the task fails).' },
    ...fileAttributeProperties,
    ...Object.fromEntries(PATH_ALIASES.map((name) => [name, { type: 'string', pattern: '^/', description: 'Same as path.' }])),
  },
};

export const gatherTextFile = (path: string, facts: GatherContext['facts']): Promise<FileState> =>
  // The content is needed to edit the file even when it is secret; planFileContent then hides the diff.
  facts.read(fileState, { path, checksum: true, content: true, secretContent: true });

export function planTextEdit(
  args: TextFileArgs,
  state: FileState,
  messages: TextFileMessages,
  edit: (original: string | undefined) => TextEdit,
): TaskPlan {
  const path = args.path;
  if (state.type === 'directory') throw new TaskFailure(`Path ${path} is a directory !`, { rc: 256 });
  if (state.type === 'link') throw new TaskFailure(`${path} is a symbolic link; give the path of the file it points to`);
  if (state.type === 'other') throw new TaskFailure(`${path} is not a regular file`);
  if (state.type === 'absent') {
    if ((args.state ?? 'present') === 'absent') return noop(messages.absentOk, { msg: messages.absentOk });
    if (!args.create) throw new TaskFailure(messages.missing, { rc: 257 });
  } else if (state.content === undefined) {
    throw new TaskFailure(`${path} is binary or larger than ${DIFF_CONTENT_LIMIT / 1024} KiB; only text files up to that size can be edited`);
  }
  const outcome = edit(state.type === 'absent' ? undefined : state.content);
  const attrs = wantedAttributes(args);
  const attrsChange = state.type === 'absent' ? Object.values(attrs).some((v) => v !== undefined) : attributeDifferences(attrs, state).length > 0;
  const msg = attrsChange ? `${outcome.msg ? `${outcome.msg} and ` : ''}ownership, perms or SE linux context changed` : outcome.msg;
  const plan = planFileContent({ dest: path, content: Buffer.from(outcome.text, 'utf8'), state, attrs, sensitive: false });
  return { ...plan, result: { msg, backup: '', ...outcome.extra } };
}

/** Re-reads the file, edits it again and writes exactly that, creating the parent folder of a new file. */
export async function applyTextEdit(
  args: TextFileArgs,
  plan: TaskPlan,
  ctx: ApplyContext,
  messages: TextFileMessages,
  edit: (original: string | undefined) => TextEdit,
): Promise<ApplyResult> {
  if (!plan.changes.length) return { changed: false, result: plan.result };
  const state = await gatherTextFile(args.path, new FactReader(ctx.connection, ctx.become));
  const now = planTextEdit(args, state, messages, edit);
  if (!now.changes.length) return { changed: false, result: now.result };
  if (state.type === 'absent') {
    const made = await ctx.connection.exec(sh`mkdir -p -- ${dirname(args.path)}`.text, { become: ctx.become });
    if (made.code !== 0) return { changed: false, failed: true, msg: `creating ${dirname(args.path)}: ${made.stderr.trim()}` };
  }
  const applied = await applyChanges(now, ctx);
  return { ...applied, result: now.result };
}

/** Accepts Ansible's aliases of path (dest, destfile, name) by reading them as path. */
export function withPath<A extends { readonly path?: string }>(args: A): A & { readonly path: string } {
  const given = args as Record<string, unknown>;
  const alias = PATH_ALIASES.find((name) => typeof given[name] === 'string');
  if (args.path !== undefined) return args as A & { path: string };
  if (alias === undefined) throw new TaskFailure('missing required argument: path');
  return { ...args, path: given[alias] as string };
}
