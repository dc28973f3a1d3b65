// The one YAML reader of etcdops: parses YAML text as Ansible reads it (see pyyaml-compat.ts), within bounds
// (size, nesting depth, values added by aliases), and keeps the syntax tree and line counter, so callers can
// point at any node's file:line:column. Every failure is a ParseError at its line, column and field, never a
// stack trace: a billion-laughs file is refused at the alias that would blow up, before any value is built.
import { isAlias, isCollection, isPair, isScalar, LineCounter, parseDocument, type Document, type Node, type Scalar } from 'yaml';
import { ParseError, type SourceLocation } from '../errors/user-error.js';
import { MAX_ALIAS_EXPANSION, MAX_YAML_BYTES, MAX_YAML_DEPTH } from './input-limits.js';
import { yamlOptions } from './pyyaml-compat.js';

export interface ParsedYaml {
  readonly doc: Document;
  readonly lines: LineCounter;
}

const SYNTAX_ERROR = 'YAML syntax error';

/** Ansible Vault's own header: a whole file encrypted with `ansible-vault encrypt`. */
const VAULT_FILE = /^\$ANSIBLE_VAULT;/;

export const VAULT_ADVICE =
  'etcdops does not decrypt Ansible Vault: decrypt the value (ansible-vault decrypt or view) into a vars file only you can read (0600) and pass it with -e @FILE, or keep it in such a file beside the inventory';

export interface YamlReadOptions {
  /**
   * Takes `1.0` as the number 1. Only for etcdops' own files whose values never reach a template or a
   * module argument (a drill spec): Ansible content refuses it (see WHOLE_FLOAT_ADVICE).
   */
  readonly wholeFloatsAsNumbers?: boolean;
}

export function parseYamlDocument(file: string, text: string, options: YamlReadOptions = {}): ParsedYaml {
  const size = Buffer.byteLength(text, 'utf8');
  if (size > MAX_YAML_BYTES) throw new ParseError(`YAML larger than ${MAX_YAML_BYTES} bytes (${size}), the most etcdops reads: split it up`, { file });
  if (VAULT_FILE.test(text)) throw new ParseError(`the file is encrypted with ansible-vault; ${VAULT_ADVICE}`, { file, line: 1, column: 1 });
  const deep = tooDeepFlow(text);
  if (deep !== undefined) {
    const lineStart = text.lastIndexOf('\n', deep - 1) + 1;
    const line = text.slice(0, lineStart).split('\n').length;
    throw new ParseError(`YAML nested deeper than ${MAX_YAML_DEPTH} levels`, { file, line, column: deep - lineStart + 1 });
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { ...yamlOptions, lineCounter: lines });
  const error = doc.errors[0];
  if (error) {
    const pos = lines.linePos(error.pos[0]);
    // The parser recurses on nesting; whatever still overflows its stack is refused as too deep, at its place.
    if (/call stack/i.test(error.message)) throw new ParseError(`YAML nested deeper than this parser can follow`, { file, line: pos.line, column: pos.col });
    const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new ParseError(`${SYNTAX_ERROR}: ${message}`, { file, line: pos.line, column: pos.col });
  }
  checkBounds(file, doc, lines, options);
  return { doc, lines };
}

/**
 * Where flow brackets (`[`, `{`) first nest deeper than MAX_YAML_DEPTH, found before parsing: the parser
 * recurses on them, so 100,000 `[` would cost seconds and hundreds of megabytes before any check could run.
 * Quoted strings and comments are skipped; a bracket inside a plain or block scalar may be counted, which
 * only matters for text with hundreds of unbalanced brackets.
 */
function tooDeepFlow(text: string): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_YAML_DEPTH) return i;
    } else if (c === 0x5d || c === 0x7d) {
      if (depth > 0) depth--;
    } else if (c === 0x23 && (i === 0 || /\s/.test(text[i - 1]!))) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if ((c === 0x22 || c === 0x27) && (i === 0 || /[\s[{,:]/.test(text[i - 1]!))) {
      i = closingQuote(text, i);
    }
  }
  return undefined;
}

function closingQuote(text: string, open: number): number {
  const quote = text[open]!;
  for (let i = open + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return text.length;
}

/**
 * Templates hand numbers to their engine as JavaScript numbers, where 1.0 is 1: Ansible would print `1.0`
 * (in text, in a list, through `| string` or `| to_json`) where etcdops would print `1`, so such a float is
 * refused where it is written rather than printed differently.
 */
export const WHOLE_FLOAT_ADVICE =
  "etcdops cannot keep it a float (it would print as an int where Ansible prints it with '.0'): write it as an int (1) if a number will do, or quote it (\"1.0\") if it is text such as a version";

/** A scalar PyYAML reads as a float with no fraction (`1.0`, `2.`, `1.0e+3`, `!!float 1`, `-0.0`). */
function isWholeFloat(node: Scalar): boolean {
  // `!!float 2` is left as the text "2" by the float pattern PyYAML's implicit floats need.
  if (node.tag === 'tag:yaml.org,2002:float') return typeof node.value !== 'number' || Number.isInteger(node.value);
  if (typeof node.value !== 'number' || !Number.isInteger(node.value)) return false;
  return node.type === 'PLAIN' && node.tag === undefined && node.format !== 'HEX' && node.format !== 'OCT' && /[.eE]/.test(node.source ?? '');
}

/** Whether an error says the text is not YAML at all (rather than YAML refused for a bound or a vault value). */
export function isYamlSyntaxError(error: unknown): error is ParseError {
  return error instanceof ParseError && error.message.includes(`${SYNTAX_ERROR}:`);
}

/** The plain value of a parsed document: safe to build once parseYamlDocument has checked its bounds. */
export function yamlValue(parsed: ParsedYaml): unknown {
  return parsed.doc.toJS({ maxAliasCount: -1 });
}

interface Frame {
  readonly node: Node;
  readonly depth: number;
  readonly field: string;
  /** Set once the node's children are done, when its expanded size is known. */
  exit?: boolean;
}

/**
 * One pass in document order, with its own stack (a deep document must not overflow the call stack): nesting
 * depth, `!vault` values, and how many values aliases add once expanded (an alias adds its anchor's expanded
 * size; an anchor's size counts the aliases inside it, so a chain of aliases multiplies out here first).
 */
function checkBounds(file: string, doc: Document, lines: LineCounter, options: YamlReadOptions): void {
  const where = (node: Node, field: string): SourceLocation => {
    const pos = node.range ? lines.linePos(node.range[0]) : undefined;
    // A field 200 levels deep is unreadable: its end says where it is.
    const shown = field.length > 80 ? `…${field.slice(-79)}` : field;
    return { file, line: pos?.line, column: pos?.col, ...(shown ? { field: shown } : {}) };
  };
  if (!doc.contents) return;
  const anchors = new Map<string, Node>();
  const sizes = new Map<Node, number>();
  let added = 0;
  const stack: Frame[] = [{ node: doc.contents as Node, depth: 0, field: '' }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const { node, depth, field } = frame;
    if (frame.exit) {
      stack.pop();
      let size = 1;
      if (isCollection(node)) {
        for (const item of node.items) {
          if (isPair(item)) size += sizeOf(item.key as Node | null) + sizeOf(item.value as Node | null);
          else size += sizeOf(item as Node | null);
        }
      }
      sizes.set(node, size);
      continue;
    }
    frame.exit = true;
    if (node.anchor) anchors.set(node.anchor, node);
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (!target) throw new ParseError(`YAML alias *${node.source} has no anchor &${node.source} before it`, where(node, field));
      const size = sizes.get(target);
      if (size === undefined) throw new ParseError(`YAML alias *${node.source} refers to a value that contains it`, where(node, field));
      added += size;
      if (added > MAX_ALIAS_EXPANSION) {
        throw new ParseError(`YAML aliases expand to more than ${MAX_ALIAS_EXPANSION} values (a "billion laughs" file?); etcdops refuses to expand them`, where(node, field));
      }
      continue;
    }
    if (isScalar(node)) {
      if (node.tag === '!vault') throw new ParseError(`a !vault value: ${VAULT_ADVICE}`, where(node, field));
      if (!options.wholeFloatsAsNumbers && isWholeFloat(node)) {
        throw new ParseError(`the float ${node.source} has nothing after its point: ${WHOLE_FLOAT_ADVICE}`, where(node, field));
      }
      continue;
    }
    if (!isCollection(node)) continue;
    if (depth + 1 > MAX_YAML_DEPTH) throw new ParseError(`YAML nested deeper than ${MAX_YAML_DEPTH} levels`, where(node, field));
    // Children go on the stack in reverse, so they are visited in document order.
    const children: Frame[] = [];
    node.items.forEach((item, index) => {
      if (isPair(item)) {
        const keyText = isScalar(item.key) ? (typeof item.key.value === 'symbol' ? '<<' : String(item.key.value)) : String(index);
        const childField = field ? `${field}.${keyText}` : keyText;
        if (item.key) children.push({ node: item.key as Node, depth: depth + 1, field: childField });
        if (item.value) children.push({ node: item.value as Node, depth: depth + 1, field: childField });
      } else if (item) {
        children.push({ node: item as Node, depth: depth + 1, field: `${field}[${index}]` });
      }
    });
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }

  function sizeOf(child: Node | null): number {
    if (!child) return 0;
    if (isAlias(child)) return sizes.get(anchors.get(child.source)!) ?? 0;
    return sizes.get(child) ?? 1;
  }
}
