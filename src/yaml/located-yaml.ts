// The one located YAML reader: a YAML file read within bounds as Ansible reads it (parse-yaml-document.ts),
// with its syntax tree kept, so inventories, playbooks, roles and vars files can report any value found by
// path, or any node, at its file:line:column with a field such as `plays[0].tasks[3].file.mode`.
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from 'yaml';
import type { SourceLocation } from '../errors/user-error.js';
import { MAX_YAML_BYTES } from './input-limits.js';
import { parseYamlDocument, yamlValue } from './parse-yaml-document.js';
import { readInputFile } from './read-input-file.js';

export type PathSegment = string | number;

export interface YamlSource {
  readonly file: string;
  readonly doc: Document;
  readonly lines: LineCounter;
  /** The parsed value (aliases and merge keys resolved), built on first use. */
  readonly value: unknown;
  /** Location of the value (or, with `key`, of the mapping key) at `path`; the nearest existing ancestor otherwise. */
  locate(path: readonly PathSegment[], options?: { readonly key?: boolean }): SourceLocation;
}

/** `plays[0].tasks[3].file.mode` from a root name and path segments. */
export function formatField(root: string, path: readonly PathSegment[]): string {
  let text = root;
  for (const segment of path) {
    text += typeof segment === 'number' ? `[${segment}]` : text === '' ? segment : `.${segment}`;
  }
  return text;
}

function childOf(node: unknown, segment: PathSegment, key: boolean): { node: unknown; keyNode?: unknown } | undefined {
  if (isSeq(node) && typeof segment === 'number') return { node: node.items[segment] };
  if (isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
    if (pair) return { node: pair.value ?? pair.key, keyNode: key ? pair.key : undefined };
  }
  return undefined;
}

/** Parses YAML text; a syntax error is a ParseError at its line and column. `root` names the top in fields. */
export function parseYaml(text: string, file: string, root = ''): YamlSource {
  const parsed = parseYamlDocument(file, text);
  const { doc, lines } = parsed;
  let value: unknown;
  let built = false;
  return {
    file,
    doc,
    lines,
    get value() {
      if (!built) {
        value = yamlValue(parsed);
        built = true;
      }
      return value;
    },
    locate(path, options = {}) {
      let node: unknown = doc.contents;
      let target: unknown = node;
      for (let i = 0; i < path.length; i++) {
        const child = childOf(node, path[i]!, Boolean(options.key) && i === path.length - 1);
        if (!child) break;
        node = child.node;
        target = child.keyNode ?? child.node;
      }
      const range = (target as Node | null)?.range;
      const pos = range ? lines.linePos(range[0]) : undefined;
      return { file, line: pos?.line, column: pos?.col, field: path.length > 0 || root ? formatField(root, path) : undefined };
    },
  };
}

/** Reads and parses a YAML file within bounds; a missing file is reported at `referencedFrom` (the line that names it). */
export async function readYaml(file: string, root: string, referencedFrom?: SourceLocation, what = 'file'): Promise<YamlSource> {
  const text = readInputFile(file, { what, maxBytes: MAX_YAML_BYTES, ...(referencedFrom ? { referencedFrom } : {}) });
  return parseYaml(text, file, root);
}

/** The location of a node's first character. */
export function nodeLocation(source: YamlSource, node: Node | null | undefined, field?: string): SourceLocation {
  const offset = node?.range?.[0];
  if (offset === undefined) return { file: source.file, line: 1, column: 1, ...(field ? { field } : {}) };
  const pos = source.lines.linePos(offset);
  return { file: source.file, line: pos.line, column: pos.col, ...(field ? { field } : {}) };
}

/** The pair holding `key` in a mapping node, comparing keys as strings (as JSON paths do). */
function findPair(node: unknown, key: string): Pair<Node, Node | null> | undefined {
  if (!isMap(node)) return undefined;
  for (const item of node.items) {
    if (isPair(item) && isScalar(item.key) && String(item.key.value) === key) return item as Pair<Node, Node | null>;
  }
  return undefined;
}

/**
 * The location of the value at a schema error's `path` (or of its key when `at` is 'key'), with the field
 * written `a.b.c`. When part of the path does not exist in the source (say it came from a merge key), the
 * deepest node found is used; an empty value (`vars:`) has no range of its own, so its key is pointed at.
 */
export function pathLocation(source: YamlSource, path: readonly string[], at: 'key' | 'value' = 'value'): SourceLocation {
  let node: unknown = source.doc.contents;
  let keyNode: Node | undefined;
  for (const segment of path) {
    if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (item === undefined) break;
      keyNode = undefined;
      node = item;
      continue;
    }
    const pair = findPair(node, segment);
    if (!pair) break;
    keyNode = pair.key;
    node = pair.value && pair.value.range ? pair.value : pair.key;
  }
  const field = path.join('.');
  const target = at === 'key' && keyNode ? keyNode : (node as Node | undefined);
  return nodeLocation(source, target, field || undefined);
}
