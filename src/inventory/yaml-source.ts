// A parsed YAML file that remembers where each node came from, so validation errors can name file:line:column.
import { isMap, isPair, isScalar, isSeq, type LineCounter, type Document, type Node, type Pair } from 'yaml';
import type { SourceLocation } from '../errors/user-error.js';
import { parseYamlDocument } from '../yaml/parse-yaml-document.js';

export interface YamlSource {
  readonly file: string;
  readonly doc: Document;
  readonly lines: LineCounter;
}

export function parseYamlSource(file: string, text: string): YamlSource {
  return { file, ...parseYamlDocument(file, text) };
}

/** The location of a node's first character. */
export function nodeLocation(source: YamlSource, node: Node | null | undefined, field?: string): SourceLocation {
  const offset = node?.range?.[0];
  if (offset === undefined) return { file: source.file, line: 1, column: 1, ...(field ? { field } : {}) };
  const pos = source.lines.linePos(offset);
  return { file: source.file, line: pos.line, column: pos.col, ...(field ? { field } : {}) };
}

/** Finds the pair holding `key` in a mapping node, comparing keys as strings (as JSON paths do). */
export function findPair(node: unknown, key: string): Pair<Node, Node | null> | undefined {
  if (!isMap(node)) return undefined;
  for (const item of node.items) {
    if (isPair(item) && isScalar(item.key) && String(item.key.value) === key) return item as Pair<Node, Node | null>;
  }
  return undefined;
}

/**
 * The location of the value at `path` (or of its key when `at` is 'key'). When part of the path does not
 * exist in the source (say it came from a merge key), the deepest node found is used.
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
    // An empty value (`vars:`) has no range of its own; its key is the place to point at.
    node = pair.value && pair.value.range ? pair.value : pair.key;
  }
  const field = path.join('.');
  const target = at === 'key' && keyNode ? keyNode : (node as Node | undefined);
  return nodeLocation(source, target, field || undefined);
}
