// YAML text as PyYAML's yaml.dump writes it, for Ansible's to_yaml and to_nice_yaml: keys sorted, text that
// YAML 1.1 would read as something else quoted (`'yes'`, `'1'`), single quotes, sequences not indented under
// their key, a collection in a list item beside its dash, long and multi-line text broken at PyYAML's width;
// for to_yaml, PyYAML's default flow style: a collection is written inline exactly when all its items are
// scalars. The layout is PyYAML's emitter's (the yaml library cannot indent as it does); the yaml library
// only writes single scalars.
import { Document, Scalar, visit } from 'yaml';
import { isMapping, pyFloatRepr, WholeFloat } from './python-values.js';

/** Booleans, sexagesimal numbers and dates in PyYAML's resolver, which YAML 1.2's core schema reads as text. */
const YAML11_ONLY = /^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?)$/;

export interface PyyamlDumpOptions {
  /** Spaces per nesting level (PyYAML's default is 2). */
  readonly indent?: number;
  /** PyYAML's default_flow_style: None (inline when all items are scalars) or False (always block). */
  readonly flowStyle: 'scalars-inline' | 'block';
}

/** How one dump lays out: the indent step, and whether all-scalar collections go inline. */
interface Layout {
  readonly step: number;
  readonly inline: boolean;
}

function isEmptyOrScalar(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  if (isMapping(value)) return Object.keys(value).length === 0;
  return true;
}

/** PyYAML's best_width: a line is broken at the first lone space after it passes this column. */
const WIDTH = 80;

/** Breaks `text` (which starts at `column`) at lone spaces past WIDTH, as PyYAML's writer does; `inner` skips the first and last character. */
function fold(text: string, column: number, continuation: number, inner: boolean): string {
  let out = '';
  let at = column;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') at = continuation - 1;
    const lone = ch === ' ' && text[i - 1] !== ' ' && text[i + 1] !== ' ' && (!inner || (i > 1 && i < text.length - 2));
    if (lone && at > WIDTH) {
      out += `\n${' '.repeat(continuation)}`;
      at = continuation;
      continue;
    }
    out += ch;
    at++;
  }
  return out;
}

/** A text with line breaks, single-quoted as PyYAML writes it: each run of breaks gets one more, then the indent. */
function singleQuotedLines(text: string, continuation: number): string {
  const quoted = text.replace(/'/g, "''").replace(/\n+/g, (breaks) => `\n${breaks}${' '.repeat(continuation)}`);
  return `'${quoted}'`;
}

/** One scalar (or empty collection) as PyYAML writes it, starting at `column`; continuation lines start at `continuation`. */
function scalarText(value: unknown, column: number, continuation: number, inFlow = false): string {
  // PyYAML writes a float as its repr, with `.0` before an exponent that has no point (`1.0e+16`).
  if (value instanceof WholeFloat) return pyFloatRepr(value.value).replace(/^(-?\d+)e/, '$1.0e');
  if (typeof value === 'bigint') return String(value);
  const special = typeof value === 'string' && /[\x00-\x09\x0b-\x1f\x7f]/.test(value);
  if (typeof value === 'string' && !special && value.includes('\n') && !/^[ \n]|[ ]$/.test(value)) {
    return fold(singleQuotedLines(value, continuation), column, continuation, true);
  }
  const document = new Document(value);
  visit(document, {
    Scalar(_, node) {
      // PyYAML double-quotes text holding a character outside its printable set (a tab, a control character).
      if (special) node.type = Scalar.QUOTE_DOUBLE;
      else if (typeof node.value === 'string' && YAML11_ONLY.test(node.value)) node.type = Scalar.QUOTE_SINGLE;
      // Inside [ ] or { } PyYAML quotes text holding a flow indicator.
      else if (inFlow && typeof node.value === 'string' && /[,?[\]{}]/.test(node.value)) node.type = Scalar.QUOTE_SINGLE;
    },
    Collection(_, node) {
      node.flow = true;
    },
  });
  const text = document.toString({ singleQuote: true, lineWidth: 0, flowCollectionPadding: false }).replace(/\n$/, '');
  if (text.includes('\n') || typeof value !== 'string') return text;
  return fold(text, column, continuation, text.startsWith("'"));
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value !== 'object' || value instanceof WholeFloat;
}

/** Written inline: a non-empty collection of scalars only, when the layout wants those inline. */
function inline(value: unknown, layout: Layout): boolean {
  if (!layout.inline || isEmptyOrScalar(value)) return false;
  return Array.isArray(value) ? value.every(isScalar) : Object.values(value as Record<string, unknown>).every(isScalar);
}

/**
 * A collection of scalars inline, starting at `column`; PyYAML starts a new line at `indent` before an item
 * once the line has passed its width.
 */
function flowCollection(value: unknown, column: number, indent: number, step: number): string {
  const entries: [string | undefined, unknown][] = Array.isArray(value)
    ? value.map((item) => [undefined, item])
    : Object.keys(value as Record<string, unknown>).sort().map((key) => [key, (value as Record<string, unknown>)[key]]);
  let out = Array.isArray(value) ? '[' : '{';
  let at = column + 1;
  const write = (text: string) => {
    out += text;
    const lastBreak = text.lastIndexOf('\n');
    at = lastBreak < 0 ? at + text.length : text.length - lastBreak - 1;
  };
  entries.forEach(([key, item], i) => {
    if (i > 0) write(',');
    if (at > WIDTH) write(`\n${' '.repeat(indent)}`);
    else if (i > 0) write(' ');
    if (key !== undefined) write(`${scalarText(key, at, indent + step, true)}:`);
    if (key !== undefined) write(' ');
    write(scalarText(item, at, indent + step, true));
  });
  return `${out}${Array.isArray(value) ? ']' : '}'}`;
}

/** The lines of a mapping whose keys start at column `indent`. */
function blockMapping(map: Record<string, unknown>, indent: number, layout: Layout): string[] {
  const { step } = layout;
  const lines: string[] = [];
  for (const key of Object.keys(map).sort()) {
    const value = map[key];
    const head = `${' '.repeat(indent)}${scalarText(key, indent, indent + step)}:`;
    if (isEmptyOrScalar(value)) lines.push(`${head} ${scalarText(value, head.length + 1, indent + step)}`);
    else if (inline(value, layout)) lines.push(`${head} ${flowCollection(value, head.length + 1, indent + step, step)}`);
    else if (Array.isArray(value)) lines.push(head, ...blockSequence(value, indent, layout));
    else lines.push(head, ...blockMapping(value as Record<string, unknown>, indent + step, layout));
  }
  return lines;
}

/** The lines of a sequence whose dashes sit at column `indent`; a collection item starts on the dash's line. */
function blockSequence(items: readonly unknown[], indent: number, layout: Layout): string[] {
  const { step } = layout;
  const lines: string[] = [];
  for (const item of items) {
    const dash = `${' '.repeat(indent)}-`;
    if (isEmptyOrScalar(item)) lines.push(`${dash} ${scalarText(item, indent + 2, indent + step)}`);
    else if (inline(item, layout)) lines.push(`${dash} ${flowCollection(item, indent + 2, indent + step, step)}`);
    else {
      const inner = Array.isArray(item) ? blockSequence(item, indent + step, layout) : blockMapping(item as Record<string, unknown>, indent + step, layout);
      lines.push(`${dash}${' '.repeat(step - 1)}${inner[0]!.slice(indent + step)}`, ...inner.slice(1));
    }
  }
  return lines;
}

export function pyyamlDump(value: unknown, options: PyyamlDumpOptions): string {
  const layout: Layout = { step: options.indent ?? 2, inline: options.flowStyle === 'scalars-inline' };
  if (inline(value, layout)) return `${flowCollection(value, 0, layout.step, layout.step)}\n`;
  if (Array.isArray(value) && value.length > 0) return `${blockSequence(value, 0, layout).join('\n')}\n`;
  if (isMapping(value) && Object.keys(value).length > 0) return `${blockMapping(value, 0, layout).join('\n')}\n`;
  return `${scalarText(value, 0, layout.step)}\n`;
}
