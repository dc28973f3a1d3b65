// Reads a YAML file and keeps its syntax tree, so any value found by path can be reported at its
// file:line:column with a field path like `plays[0].tasks[3].file.mode`.
import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { SourceLocation } from '../errors/user-error.js';
import { MAX_YAML_BYTES } from '../yaml/input-limits.js';
import { parseYamlDocument, yamlValue } from '../yaml/parse-yaml-document.js';
import { readInputFile } from '../yaml/read-input-file.js';

export type PathSegment = string | number;

export interface YamlSource {
  readonly file: string;
  /** The parsed value (aliases and merge keys resolved). */
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

/** Parses YAML text; a syntax error is a ParseError at its line and column. */
export function parseYaml(text: string, file: string, root: string): YamlSource {
  const parsed = parseYamlDocument(file, text);
  const { doc, lines: lineCounter } = parsed;
  const value = yamlValue(parsed);
  return {
    file,
    value,
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
      const pos = range ? lineCounter.linePos(range[0]) : undefined;
      return { file, line: pos?.line, column: pos?.col, field: path.length > 0 || root ? formatField(root, path) : undefined };
    },
  };
}

/** Reads and parses a YAML file within bounds; a missing file is reported at `referencedFrom` (the line that names it). */
export async function readYaml(file: string, root: string, referencedFrom?: SourceLocation, what = 'file'): Promise<YamlSource> {
  const text = readInputFile(file, { what, maxBytes: MAX_YAML_BYTES, ...(referencedFrom ? { referencedFrom } : {}) });
  return parseYaml(text, file, root);
}
