// Reads an INI inventory into the draft exactly as Ansible's ini plugin does: `[group]` sections of host
// lines (`name[:port] key=value ...`, ranges allowed), `[group:vars]` of `key=value` lines, `[group:children]`
// of group names (which may be declared further down), lines before any section in `ungrouped`, and `#`/`;`
// comment lines. Values are typed as Ansible types them (python-literal.ts): `5` is a number, `yes` a string.
import { ParseError, type SourceLocation } from '../errors/user-error.js';
import { parseHostAddress } from './host-address.js';
import { expandHostRange, hasHostRange } from './host-range.js';
import type { InventoryDraft } from './inventory-draft.js';
import { literalEval, WholeFloatLiteral } from './python-literal.js';
import { ShellWordsError, splitShellWords } from './shell-words.js';

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/u;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/u;

interface Pending {
  readonly line: number;
  readonly state: 'vars' | 'children';
  readonly parents: string[];
}

/** The value of an INI `key=value`: a Python literal when it is one, the text otherwise; refused at `where`. */
export function iniValue(text: string, where: SourceLocation): unknown {
  try {
    const literal = literalEval(text);
    return literal === undefined ? text : literal.value;
  } catch (error) {
    if (error instanceof WholeFloatLiteral) throw new ParseError(error.message, where);
    throw error;
  }
}

export function readIniInventory(file: string, text: string, draft: InventoryDraft): void {
  const lines = text.split(/\r\n|\n|\r/);
  const pending = new Map<string, Pending>();
  let group = 'ungrouped';
  let state = 'hosts';
  lines.forEach((raw, index) => {
    const lineNumber = index + 1;
    const where: SourceLocation = { file, line: lineNumber };
    const line = raw.trim();
    if (!line || line[0] === '#' || line[0] === ';') return;
    const section = SECTION.exec(line);
    if (section) {
      group = section[1]!;
      state = section[2] ?? 'hosts';
      if (!['hosts', 'children', 'vars'].includes(state)) throw new ParseError(`section [${group}:${state}] has unknown type: ${state} (use hosts, vars or children)`, where);
      if (!draft.groups.has(group)) {
        // `[g:vars]` alone does not declare g: it must be declared somewhere in the file.
        if (state === 'vars' && !pending.has(group)) pending.set(group, { line: lineNumber, state: 'vars', parents: [] });
        draft.addGroup(group);
      }
      const waiting = pending.get(group);
      if (waiting && state !== 'vars') {
        if (waiting.state === 'children') addPendingChildren(draft, group, pending, where);
        else pending.delete(group);
      }
      return;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      throw new ParseError(`invalid section '${line}': a section is [name], [name:vars] or [name:children], with no spaces`, where);
    }
    if (state === 'hosts') readHostLine(line, group, draft, where);
    else if (state === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 0) throw new ParseError(`expected key=value in [${group}:vars], got: ${line}`, where);
      const key = line.slice(0, eq).trim();
      setGroupVariable(draft, group, key, iniValue(line.slice(eq + 1).trim(), { ...where, field: key }), where);
    } else {
      const match = GROUP_NAME.exec(line);
      if (!match) throw new ParseError(`expected a group name in [${group}:children], got: ${line}`, where);
      const child = match[1]!;
      if (!draft.groups.has(child)) {
        const waiting = pending.get(child);
        if (waiting) waiting.parents.push(group);
        else pending.set(child, { line: lineNumber, state: 'children', parents: [group] });
      } else {
        addChild(draft, group, child, where);
      }
    }
  });
  for (const [name, waiting] of pending) {
    const where = { file, line: waiting.line };
    if (waiting.state === 'vars') throw new ParseError(`section [${name}:vars] is for a group that is never declared: add a [${name}] section or list it under some [parent:children]`, where);
    throw new ParseError(`section [${waiting.parents[waiting.parents.length - 1]}:children] names group '${name}', which is never declared: add a [${name}] section`, where);
  }
}

function readHostLine(line: string, group: string, draft: InventoryDraft, where: SourceLocation): void {
  let words: string[];
  try {
    words = splitShellWords(line);
  } catch (error) {
    if (!(error instanceof ShellWordsError)) throw error;
    throw new ParseError(`cannot read host line '${line}': ${error.message}`, where);
  }
  const pattern = words[0]!;
  const address = parseHostAddress(pattern);
  const base = address?.host ?? pattern;
  if (pattern.trim().endsWith(':') && address?.port === undefined) {
    throw new ParseError(`host '${pattern}' ends in ':', which is kept for a port (name:port)`, where);
  }
  let names: string[];
  try {
    names = hasHostRange(base) ? expandHostRange(base) : [base];
  } catch (error) {
    throw new ParseError((error as Error).message, where);
  }
  if (names.some((name) => name.trim() === '---')) throw new ParseError(`host '---' is a sign this is a YAML file: name it .yml`, where);
  const variables: Record<string, unknown> = {};
  for (const word of words.slice(1)) {
    const eq = word.indexOf('=');
    if (eq < 0) throw new ParseError(`expected key=value after host '${pattern}', got: ${word}`, where);
    variables[word.slice(0, eq)] = iniValue(word.slice(eq + 1), { ...where, field: word.slice(0, eq) });
  }
  for (const name of names) {
    const host = draft.addHost(name, group, address?.port, where);
    for (const [key, value] of Object.entries(variables)) host.vars[key] = value;
  }
}

function setGroupVariable(draft: InventoryDraft, group: string, key: string, value: unknown, where: SourceLocation): void {
  const target = draft.groups.get(group)!;
  if (key === 'ansible_group_priority') {
    const priority = Number(value);
    if (!Number.isInteger(priority)) throw new ParseError(`ansible_group_priority of group '${group}' must be an integer`, where);
    target.priority = priority;
  } else {
    target.vars[key] = value;
  }
}

function addChild(draft: InventoryDraft, parent: string, child: string, where: SourceLocation): void {
  const loop = draft.addChild(parent, child);
  if (loop) throw new ParseError(loop, where);
}

function addPendingChildren(draft: InventoryDraft, group: string, pending: Map<string, Pending>, where: SourceLocation): void {
  for (const parent of pending.get(group)!.parents) {
    addChild(draft, parent, group, where);
    if (pending.get(parent)?.state === 'children') addPendingChildren(draft, parent, pending, where);
  }
  pending.delete(group);
}
