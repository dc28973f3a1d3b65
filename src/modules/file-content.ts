// The plan for "this file must hold these bytes with these attributes", shared by copy, template,
// etcd_config and the text edits: CREATE a missing file, REPLACE one whose content differs (written
// atomically), UPDATE attributes only. Each change carries its script and bytes: the applier runs them.
import type { FileState } from '../facts/file-state.js';
import { atomicWriteScript } from '../connection/atomic-write-script.js';
import { ChangeAction, type Change, type ChangeEffect, type TaskPlan, noop } from '../plan/change.js';
import {
  type FileAttributes,
  attributeDifferences,
  attributeScript,
  attributeText,
} from '../os/file-attributes.js';
import { currentText, sensitivityOf, sha256, wantedText } from '../os/content-diff.js';
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
  const write: ChangeEffect = { script: atomicWriteScript(dest, attrs).text, stdin: content, ...(sensitive ? {} : { sha256: hash }) };
  const result = sensitive ? { dest } : { dest, checksum: hash };
  if (state.type === 'directory') throw new TaskFailure(`${dest} is a directory; give the file's full path`);
  if (state.type === 'absent') {
    return {
      changes: [
        { action: ChangeAction.CREATE, target: dest, reason: 'file does not exist', ...diff('', wantedText(content)), effect: write },
      ],
      result,
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
          effect: write,
        },
      ],
      result,
    };
  }
  const attrDiffs = attributeDifferences(attrs, state);
  if (state.sha256 !== hash) {
    // A hash of a short secret (a passphrase file) could be guessed back, so secrets show none.
    const differs = sensitive ? 'content differs' : `content differs (sha256 ${state.sha256?.slice(0, 12)} → ${hash.slice(0, 12)})`;
    const reason = [differs, ...attrDiffs].join(', ');
    return {
      changes: [{ action: ChangeAction.REPLACE, target: dest, reason, ...diff(currentText(state), wantedText(content)), effect: write }],
      result,
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
          effect: { script: attributeScript(dest, attrs).text },
        },
      ],
      result,
    };
  }
  return noop('content and attributes match', result);
}
