// Rewrites code by replacing spans of it: the Jinja normalisations (jinja-source.ts) each compute edits
// on the original text's positions and apply them in one pass, so no edit shifts another's positions.

export interface TextEdit {
  /** Start of the replaced span in the original text. */
  readonly at: number;
  /** End of the span (exclusive); `at` for an insertion. */
  readonly end: number;
  readonly text: string;
}

/**
 * `text` with every edit applied. Edits must not overlap; they are taken in the order given where they
 * start at the same place (an insertion before a replacement there, openers before closers...).
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const ordered = edits.map((edit, index) => ({ edit, index })).sort((x, y) => x.edit.at - y.edit.at || x.index - y.index);
  let out = '';
  let last = 0;
  for (const { edit } of ordered) {
    out += text.slice(last, edit.at) + edit.text;
    last = Math.max(last, edit.end);
  }
  return out + text.slice(last);
}
