// Parses YAML text as Ansible reads it and keeps the syntax tree and line counter, so callers can point
// at any node's file:line:column; a syntax error is a ParseError at its own line and column.
import { LineCounter, parseDocument, type Document } from 'yaml';
import { ParseError } from '../errors/user-error.js';
import { yamlOptions } from './pyyaml-compat.js';

export interface ParsedYaml {
  readonly doc: Document;
  readonly lines: LineCounter;
}

export function parseYamlDocument(file: string, text: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { ...yamlOptions, lineCounter: lines });
  const error = doc.errors[0];
  if (error) {
    const pos = lines.linePos(error.pos[0]);
    const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new ParseError(`YAML syntax error: ${message}`, { file, line: pos.line, column: pos.col });
  }
  return { doc, lines };
}
