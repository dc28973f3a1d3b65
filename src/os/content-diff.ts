// What a diff may show of a file: text when it is small and textual, a one-line summary otherwise, and
// nothing at all when it is secret, whether the secret is the new content or what the host has now.
import { createHash } from 'node:crypto';
import { DIFF_CONTENT_LIMIT, KEY_MATERIAL_MARK, type FileState } from '../facts/file-state.js';

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** A mode that lets neither group nor others read: only the owner may see the content. */
export const isOwnerOnlyMode = (mode: string): boolean => /^[0-7]{3,4}$/.test(mode) && (Number.parseInt(mode, 8) & 0o044) === 0;

export interface SensitivityInput {
  /** `sensitive: true` on the task (what `no_log` maps to). */
  readonly flag?: boolean;
  readonly dest: string;
  /** The mode the task sets, as four octal digits. */
  readonly mode?: string;
  /** The new content. */
  readonly content?: string | Buffer;
  /** What the host has now, as gathered (its mode, and the host-side key-material check). */
  readonly current?: FileState;
}

/**
 * Why a change to a file must be hidden, or undefined when it may be shown. Either side makes it secret:
 * the task's flag, a `.key` name, an owner-only mode or key material in the new content; an owner-only
 * mode or key material in the file the host has now (whose content is then never read at all).
 */
export function sensitivityOf(input: SensitivityInput): string | undefined {
  if (input.flag) return 'marked sensitive';
  if (input.dest.endsWith('.key')) return 'a key file';
  if (input.mode !== undefined && isOwnerOnlyMode(input.mode)) return `new mode ${input.mode}`;
  const content = input.content;
  if (content !== undefined && content.toString('latin1').includes(KEY_MATERIAL_MARK)) return 'new content holds key material';
  const current = input.current;
  if (current?.secret === 'key-material') return 'current content holds key material';
  if (current?.mode !== undefined && current.type !== 'absent' && isOwnerOnlyMode(current.mode)) return `current mode ${current.mode}`;
  if (current?.secret === 'mode') return 'current mode is owner-only';
  return undefined;
}

/** The same decision as a yes/no. */
export const isSensitive = (input: SensitivityInput): boolean => sensitivityOf(input) !== undefined;

const summary = (bytes: number, hash: string | undefined): string =>
  `(binary or large content: ${bytes} bytes${hash ? `, sha256 ${hash}` : ''})\n`;

/** The diff text of what a host has now: '' when absent. */
export function currentText(state: FileState): string {
  if (state.type === 'absent') return '';
  if (state.content !== undefined) return state.content;
  return summary(state.size ?? 0, state.sha256);
}

/** The diff text of wanted content. */
export function wantedText(content: Buffer): string {
  const text = content.toString('utf8');
  const textual = !content.includes(0) && Buffer.from(text, 'utf8').equals(content);
  return textual && content.length <= DIFF_CONTENT_LIMIT ? text : summary(content.length, sha256(content));
}
