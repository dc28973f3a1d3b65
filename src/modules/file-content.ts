// Plan and apply for "this file must hold these bytes with these attributes", shared by copy and template:
// CREATE a missing file, REPLACE one whose content differs (written atomically), UPDATE attributes only.
import type { FileState } from '../facts/file-state.js';
import { atomicWriteScript } from '../connection/atomic-write-script.js';
import { ChangeAction, type Change, type TaskPlan, noop } from '../plan/change.js';
import {
  type FileAttributes,
  attributeDifferences,
  attributeScript,
  attributeText,
} from '../os/file-attributes.js';
import { currentText, sensitivityOf, sha256, wantedText } from '../os/content-diff.js';
import type { ApplyContext, ApplyResult } from './module.js';
import { TaskFailure } from './task-failure.js';

export interface FileContentInput {
  readonly dest: string;
  readonly content: Buffer;
  readonly state: FileState;
  readonly attrs: FileAttributes;
  /** The new side is secret (the caller knows the task's flag, mode and content). */
  readonly sensitive: boolean;
}

export function planFileContent(input: FileContentInput): TaskPlan {
  const { dest, content, state, attrs } = input;
  // The current side counts too: replacing a secret must not show the secret being replaced.
  const sensitive = input.sensitive || sensitivityOf({ dest, current: state }) !== undefined;
  const hash = sha256(content);
  const diff = (before: string, after: string): Partial<Change> =>
    sensitive ? { sensitive: true } : { before, after };
  if (state.type === 'directory') throw new TaskFailure(`${dest} is a directory; give the file's full path`);
  if (state.type === 'absent') {
    return {
      changes: [
        { action: ChangeAction.CREATE, target: dest, reason: 'file does not exist', ...diff('', wantedText(content)) },
      ],
    };
  }
  if (state.type !== 'file') {
    return {
      changes: [
        {
          action: ChangeAction.REPLACE,
          target: dest,
          reason: `is a ${state.type}, will be replaced by a regular file`,
          ...diff('', wantedText(content)),
        },
      ],
    };
  }
  const attrDiffs = attributeDifferences(attrs, state);
  if (state.sha256 !== hash) {
    // A hash of a short secret (a passphrase file) could be guessed back, so secrets show none.
    const differs = sensitive ? 'content differs' : `content differs (sha256 ${state.sha256?.slice(0, 12)} → ${hash.slice(0, 12)})`;
    const reason = [differs, ...attrDiffs].join(', ');
    return {
      changes: [{ action: ChangeAction.REPLACE, target: dest, reason, ...diff(currentText(state), wantedText(content)) }],
    };
  }
  if (attrDiffs.length) {
    const current = { owner: state.owner, group: state.group, mode: state.mode };
    const shown = (a: FileAttributes): FileAttributes => ({
      owner: attrs.owner !== undefined ? a.owner : undefined,
      group: attrs.group !== undefined ? a.group : undefined,
      mode: attrs.mode !== undefined ? a.mode : undefined,
    });
    return {
      changes: [
        {
          action: ChangeAction.UPDATE,
          target: dest,
          reason: attrDiffs.join(', '),
          before: attributeText(shown(current)),
          after: attributeText(shown(attrs)),
        },
      ],
    };
  }
  return noop('content and attributes match', sensitive ? { dest } : { dest, checksum: hash });
}

/** Writes (CREATE/REPLACE) or re-attributes (UPDATE) the file, exactly as planned, in one command. */
export async function applyFileContent(
  input: { readonly dest: string; readonly content: Buffer; readonly attrs: FileAttributes },
  plan: TaskPlan,
  ctx: ApplyContext,
): Promise<ApplyResult> {
  const change = plan.changes[0];
  if (!change) return { changed: false, result: plan.result };
  const rewrite = change.action === ChangeAction.CREATE || change.action === ChangeAction.REPLACE;
  const script = rewrite ? atomicWriteScript(input.dest, input.attrs) : attributeScript(input.dest, input.attrs);
  const out = await ctx.connection.exec(script.text, {
    become: ctx.become,
    ...(rewrite ? { stdin: input.content } : {}),
  });
  const result = change.sensitive ? { dest: input.dest } : { dest: input.dest, checksum: sha256(input.content) };
  if (out.code !== 0) return { changed: false, failed: true, msg: `${input.dest}: ${out.stderr.trim()}`, result };
  return { changed: true, result };
}
