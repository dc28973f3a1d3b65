// Renders a change as a unified diff (or a summary for binary, huge or secret content).
import type { createTwoFilesPatch } from 'diff';
import { onFirstUse } from '../startup/on-first-use.js';
import type { Change } from './change.js';

const diff = onFirstUse<{ createTwoFilesPatch: typeof createTwoFilesPatch }>('diff');

export function renderChangeDiff(change: Change): string {
  if (change.sensitive) return `--- ${change.target}: content hidden (sensitive)\n`;
  if (change.before === undefined && change.after === undefined) return '';
  const before = change.before ?? '';
  const after = change.after ?? '';
  if (before === after) return '';
  return diff().createTwoFilesPatch(`before: ${change.target}`, `after: ${change.target}`, before, after, '', '', { context: 3 })
    .split('\n')
    .slice(1)
    .join('\n');
}
