// What a diff may show of a file: text when it is small and textual, a one-line summary otherwise, and
// nothing at all when it is secret.
import { createHash } from 'node:crypto';
import { DIFF_CONTENT_LIMIT, type FileState } from '../facts/file-state.js';

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/**
 * The redaction rule: content is secret when the task says `sensitive: true` (what `no_log` maps to),
 * when the destination ends in `.key`, when the mode gives nothing to group and others (0600, 0400...),
 * or when the content holds a PEM private key. Secret changes carry no before/after at all.
 */
export function isSensitive(input: {
  readonly flag?: boolean;
  readonly dest: string;
  readonly mode?: string;
  readonly content?: string | Buffer;
}): boolean {
  if (input.flag) return true;
  if (input.dest.endsWith('.key')) return true;
  if (input.mode !== undefined && input.mode.endsWith('00')) return true;
  const content = input.content;
  return content !== undefined && /PRIVATE KEY-----/.test(content.toString('latin1'));
}

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
