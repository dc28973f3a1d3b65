// Applying the Jinja normalisations' edits in one pass: replacements and insertions on the original positions.
import { strictEqual } from 'node:assert/strict';
import { applyEdits, type TextEdit } from '../../src/playbook/text-edits.js';

describe('applyEdits', () => {
  const rows: { title: string; text: string; edits: TextEdit[]; expected: string }[] = [
    { title: 'no edit', text: 'a.b', edits: [], expected: 'a.b' },
    { title: 'a replacement', text: 'x.items()', edits: [{ at: 1, end: 9, text: ' | __dict_items' }], expected: 'x | __dict_items' },
    { title: 'edits given out of order', text: 'a < b', edits: [{ at: 4, end: 5, text: 'B' }, { at: 0, end: 1, text: 'A' }], expected: 'A < B' },
    { title: 'insertion before a replacement at the same place, in the order given', text: "{'a': 1}", edits: [{ at: 0, end: 0, text: '((' }, { at: 0, end: 1, text: '__dict(' }], expected: "((__dict('a': 1}" },
    { title: 'nested insertions keep the order given', text: 'a ~ b', edits: [{ at: 0, end: 0, text: '((' }, { at: 0, end: 0, text: '(' }, { at: 1, end: 1, text: ')' }, { at: 1, end: 1, text: '))' }], expected: '(((a))) ~ b' },
    { title: 'edits at the end of the text', text: 'ab', edits: [{ at: 2, end: 2, text: '!' }, { at: 1, end: 2, text: 'B' }], expected: 'aB!' },
  ];
  for (const row of rows) it(row.title, () => strictEqual(applyEdits(row.text, row.edits), row.expected));
});
