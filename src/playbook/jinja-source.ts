// Reads Jinja source without running it: splits text into `{{ }}`, `{% %}` and `{# #}` blocks, tokenizes
// the expressions, and finds what a template reads (root variables, attribute paths, filters, tests).
// The engine needs this because its context is passed by value (lazy variables must be resolved first)
// and its errors do not name the undefined variable; the loader needs it to check templates at load.
import { BoundedCache } from './bounded-cache.js';
import { applyEdits, type TextEdit } from './text-edits.js';

export type Token =
  | { readonly kind: 'name' | 'number' | 'op'; readonly value: string; readonly pos: number }
  | { readonly kind: 'string'; readonly value: string; readonly pos: number; readonly raw: string };

export interface Block {
  readonly kind: 'text' | 'expr' | 'stmt' | 'comment';
  /** The code between the delimiters, without whitespace-control marks. */
  readonly code: string;
  /** Full source of the block, delimiters included. */
  readonly raw: string;
  readonly trimLeft: boolean;
  readonly trimRight: boolean;
  /** 1-based line where the block starts. */
  readonly line: number;
}

/** A template that cannot be split into blocks (an unterminated `{{`, string or comment). */
export class JinjaSourceError extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
  }
}

const OPEN: Readonly<Record<string, { kind: Block['kind']; close: string }>> = {
  '{{': { kind: 'expr', close: '}}' },
  '{%': { kind: 'stmt', close: '%}' },
  '{#': { kind: 'comment', close: '#}' },
};

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Finds where a `{{`/`{%` block ends: the first closer outside strings and brackets. */
function blockEnd(text: string, from: number, close: string): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      const end = stringEnd(text, i);
      if (end < 0) return -1;
      i = end;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    else if (depth === 0 && text.startsWith(close, i)) return i;
    else if (depth === 0 && (c === '-' || c === '+') && text.startsWith(close, i + 1)) return i;
  }
  return -1;
}

function stringEnd(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

/** Splits a template into text and blocks; `{% raw %}` bodies stay text. */
export function splitTemplate(text: string): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  let textStart = 0;
  const pushText = (end: number) => {
    if (end > textStart) {
      const raw = text.slice(textStart, end);
      blocks.push({ kind: 'text', code: raw, raw, trimLeft: false, trimRight: false, line: lineAt(text, textStart) });
    }
  };
  while (i < text.length) {
    const at = text.indexOf('{', i);
    if (at < 0) break;
    const open = OPEN[text.slice(at, at + 2)];
    if (!open) {
      i = at + 1;
      continue;
    }
    pushText(at);
    const line = lineAt(text, at);
    let start = at + 2;
    const trimLeft = text[start] === '-';
    if (trimLeft || text[start] === '+') start++;
    let end: number;
    if (open.kind === 'comment') end = text.indexOf('#}', start);
    else end = blockEnd(text, start, open.close);
    if (end < 0) throw new JinjaSourceError(`unterminated '${text.slice(at, at + 2)}' (no matching '${open.close}')`, line);
    const trimRight = text[end] === '-';
    const codeEnd = end;
    if (text[end] === '-' || text[end] === '+') end++;
    let close = end + 2;
    const code = text.slice(start, codeEnd);
    if (open.kind === 'stmt' && /^\s*raw\s*$/.test(code)) {
      const endRaw = /\{%[-+]?\s*endraw\s*[-+]?%\}/.exec(text.slice(close));
      if (!endRaw) throw new JinjaSourceError("'{% raw %}' without '{% endraw %}'", line);
      const rawEnd = close + endRaw.index + endRaw[0].length;
      blocks.push({ kind: 'text', code: text.slice(at, rawEnd), raw: text.slice(at, rawEnd), trimLeft: false, trimRight: false, line });
      close = rawEnd;
    } else {
      blocks.push({ kind: open.kind, code, raw: text.slice(at, close), trimLeft, trimRight, line });
    }
    i = close;
    textStart = close;
  }
  pushText(text.length);
  return blocks;
}

/** Collections whose filters and tests are Ansible's own: `x | ansible.builtin.to_json` is `x | to_json`. */
const BUILTIN_COLLECTIONS = ['builtin', 'legacy'];

/**
 * The filters and tests Ansible 2.14 itself defines, which are the only ones it finds under `ansible.builtin.`
 * (Jinja2's own, such as `sort` or `join`, are not: `x | ansible.builtin.sort` fails there, and so here).
 */
const ANSIBLE_FILTER_PLUGINS = new Set([
  'b64decode', 'b64encode', 'basename', 'bool', 'checksum', 'combinations', 'combine', 'comment', 'dict2items', 'difference',
  'dirname', 'expanduser', 'expandvars', 'extract', 'fileglob', 'flatten', 'from_json', 'from_yaml', 'from_yaml_all', 'hash',
  'human_readable', 'human_to_bytes', 'intersect', 'items2dict', 'log', 'mandatory', 'md5', 'password_hash', 'path_join',
  'permutations', 'pow', 'product', 'quote', 'random', 'realpath', 'regex_escape', 'regex_findall', 'regex_replace',
  'regex_search', 'rekey_on_member', 'relpath', 'root', 'sha1', 'shuffle', 'split', 'splitext', 'strftime', 'subelements',
  'symmetric_difference', 'ternary', 'to_datetime', 'to_json', 'to_nice_json', 'to_nice_yaml', 'to_uuid', 'to_yaml',
  'type_debug', 'union', 'unique', 'unvault', 'urldecode', 'urlsplit', 'vault', 'win_basename', 'win_dirname',
  'win_splitdrive', 'zip', 'zip_longest',
]);
const ANSIBLE_TEST_PLUGINS = new Set([
  'abs', 'all', 'any', 'change', 'changed', 'contains', 'directory', 'exists', 'failed', 'failure', 'falsy', 'file',
  'finished', 'is_abs', 'is_dir', 'is_file', 'is_link', 'is_mount', 'is_same_file', 'isnan', 'issubset', 'issuperset', 'link',
  'link_exists', 'match', 'mount', 'nan', 'reachable', 'regex', 'same_file', 'search', 'skip', 'skipped', 'started', 'subset',
  'succeeded', 'success', 'successful', 'superset', 'truthy', 'unreachable', 'uri', 'url', 'urn', 'vault_encrypted', 'version',
  'version_compare',
]);

/** `name` of a dotted `ansible.builtin.name` (or `ansible.legacy.name`), else undefined. */
export function builtinPluginName(dotted: string): string | undefined {
  const [namespace, collection, name, ...rest] = dotted.split('.');
  return namespace === 'ansible' && BUILTIN_COLLECTIONS.includes(collection ?? '') && name && rest.length === 0 ? name : undefined;
}

/** The code with `ansible.builtin.` dropped from the names of Ansible's own filters and tests. */
function withoutBuiltinPrefix(code: string): string {
  if (!code.includes('ansible.')) return code;
  let tokens: Token[];
  try {
    tokens = tokenize(code);
  } catch {
    return code;
  }
  const edits: TextEdit[] = [];
  tokens.forEach((token, i) => {
    const plugins = isOp(tokens[i - 1], '|') ? ANSIBLE_FILTER_PLUGINS : isName(tokens[i - 1], 'is') || (isName(tokens[i - 1], 'not') && isName(tokens[i - 2], 'is')) ? ANSIBLE_TEST_PLUGINS : undefined;
    const name = tokens[i + 4];
    if (plugins && isName(token, 'ansible') && isOp(tokens[i + 1], '.') && BUILTIN_COLLECTIONS.includes(tokens[i + 2]?.value ?? '') && isOp(tokens[i + 3], '.') && name?.kind === 'name' && plugins.has(name.value)) {
      edits.push({ at: token.pos, end: tokens[i + 4]!.pos, text: '' });
    }
  });
  return edits.length === 0 ? code : applyEdits(code, edits);
}

const OPERATORS = ['**', '//', '==', '!=', '<=', '>=', '(', ')', '[', ']', '{', '}', '.', ',', ':', '|', '+', '-', '*', '/', '%', '~', '<', '>', '=', '!'];

export function tokenize(code: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < code.length) {
    const c = code[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = stringEnd(code, i);
      if (end < 0) throw new JinjaSourceError(`unterminated string starting at column ${i + 1}`, 1);
      const raw = code.slice(i, end + 1);
      tokens.push({ kind: 'string', value: unescape(raw.slice(1, -1)), raw, pos: i });
      i = end + 1;
      continue;
    }
    const previous = tokens.at(-1);
    const afterDot = previous?.kind === 'op' && previous.value === '.';
    const number = (afterDot ? /^\d+/ : /^\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?/).exec(code.slice(i));
    if (number) {
      tokens.push({ kind: 'number', value: number[0], pos: i });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(code.slice(i));
    if (name) {
      tokens.push({ kind: 'name', value: name[0], pos: i });
      i += name[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => code.startsWith(o, i));
    if (!op) throw new JinjaSourceError(`unexpected character '${c}' at column ${i + 1}`, 1);
    tokens.push({ kind: 'op', value: op, pos: i });
    i += op.length;
  }
  return tokens;
}

function unescape(body: string): string {
  return body.replace(/\\(.)/gs, (_, ch: string) => ({ n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' })[ch] ?? `\\${ch}`);
}

const KEYWORDS = new Set([
  'and', 'or', 'not', 'in', 'is', 'if', 'else', 'true', 'false', 'none', 'True', 'False', 'None', 'recursive',
]);

/** Names templates may use that no variable defines: Jinja's globals and the lookup functions. */
const TEMPLATE_GLOBALS = new Set(['range', 'dict', 'lipsum', 'cycler', 'joiner', 'namespace', 'lookup', 'query', 'q', 'loop', 'super', 'caller', 'varargs', 'kwargs', 'self', 'omit']);

export interface Reference {
  /** Root name and the attribute keys read after it: `result.stdout` is ['result', 'stdout']. */
  readonly path: readonly string[];
  /** Read under `| default(...)` or `is defined`, so it may be undefined. */
  readonly tolerant: boolean;
  /** Where the path is written in the block's code: its start, and the end of each segment. */
  readonly start: number;
  readonly ends: readonly number[];
}

export interface ExpressionFacts {
  readonly references: Reference[];
  readonly filters: string[];
  readonly tests: string[];
  /** Every attribute name and string literal: the keys an expression may read from `hostvars[host]`. */
  readonly keys: string[];
  /** Names the expression binds itself (`{% for x in %}`, `{% set x %}`), never looked up in variables. */
  readonly locals: string[];
}

function isOp(token: Token | undefined, value: string): boolean {
  return token?.kind === 'op' && token.value === value;
}

function isName(token: Token | undefined, value?: string): boolean {
  return token?.kind === 'name' && (value === undefined || token.value === value);
}

/** Collects references, filters and tests of one tokenized expression into `into`. */
/** Filters that take another filter or test by name, and which argument names it. */
const NAMED_CALLABLES: Readonly<Record<string, { readonly kind: 'filter' | 'test'; readonly position: 0 | 1 }>> = {
  map: { kind: 'filter', position: 0 },
  select: { kind: 'test', position: 0 },
  reject: { kind: 'test', position: 0 },
  selectattr: { kind: 'test', position: 1 },
  rejectattr: { kind: 'test', position: 1 },
};

function analyse(tokens: readonly Token[], into: ExpressionFacts): ExpressionFacts {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const previous = tokens[i - 1];
    if (token.kind === 'string') into.keys.push(token.value);
    if (token.kind !== 'name') continue;
    if (isOp(previous, '.')) {
      into.keys.push(token.value);
      continue;
    }
    if (isOp(previous, '|')) {
      into.filters.push(token.value);
      // A filter or test named by a string: `map('int')`, `select('match', ...)`, `selectattr('a', 'defined')`.
      const named = isOp(tokens[i + 1], '(') ? NAMED_CALLABLES[token.value] : undefined;
      if (named) {
        const argument = named.position === 0 ? tokens[i + 2] : isOp(tokens[i + 3], ',') ? tokens[i + 4] : undefined;
        // `map(attribute=...)` names no filter.
        if (argument?.kind === 'string' && !isOp(tokens[i + 3], '=')) (named.kind === 'filter' ? into.filters : into.tests).push(argument.value);
      }
      continue;
    }
    if (isName(previous, 'is') || (isName(previous, 'not') && isName(tokens[i - 2], 'is'))) {
      if (token.value !== 'not') into.tests.push(token.value);
      continue;
    }
    if (KEYWORDS.has(token.value) || TEMPLATE_GLOBALS.has(token.value)) continue;
    if (isOp(tokens[i + 1], '=')) continue;
    const path = [token.value];
    const ends = [token.pos + token.value.length];
    let j = i + 1;
    for (;;) {
      if (isOp(tokens[j], '.') && (tokens[j + 1]?.kind === 'name' || tokens[j + 1]?.kind === 'number')) {
        path.push(tokens[j + 1]!.value);
        ends.push(tokens[j + 1]!.pos + tokens[j + 1]!.value.length);
        j += 2;
      } else if (isOp(tokens[j], '[') && (tokens[j + 1]?.kind === 'string' || tokens[j + 1]?.kind === 'number') && isOp(tokens[j + 2], ']')) {
        path.push(tokens[j + 1]!.value);
        ends.push(tokens[j + 2]!.pos + 1);
        j += 3;
      } else break;
    }
    // `d.keys()` calls a method: the method is not a key to look up.
    if (isOp(tokens[j], '(') && path.length > 1) {
      path.pop();
      ends.pop();
    }
    const next = tokens[j];
    const tolerant =
      (isOp(next, '|') && (isName(tokens[j + 1], 'default') || isName(tokens[j + 1], 'd'))) ||
      (isName(next, 'is') && ['defined', 'undefined', 'none'].includes((isName(tokens[j + 1], 'not') ? tokens[j + 2] : tokens[j + 1])?.value ?? ''));
    into.references.push({ path, tolerant, start: token.pos, ends });
  }
  return into;
}

function bindings(tokens: readonly Token[]): string[] {
  const head = tokens[0]?.value;
  if (head === 'for') {
    const names: string[] = [];
    for (let i = 1; i < tokens.length && !isName(tokens[i], 'in'); i++) if (tokens[i]!.kind === 'name') names.push(tokens[i]!.value);
    return names;
  }
  if (head === 'set' || head === 'with') return tokens.filter((t, i) => t.kind === 'name' && (i === 1 || isOp(tokens[i + 1], '='))).map((t) => t.value);
  if (head === 'macro' || head === 'call') return tokens.slice(1).filter((t) => t.kind === 'name').map((t) => t.value);
  return [];
}

/** The part of a statement's tokens that is read (`{% for x in READ %}`, `{% set x = READ %}`, `{% if READ %}`). */
function readPart(tokens: readonly Token[]): readonly Token[] {
  const head = tokens[0]?.value;
  if (head === 'for') return tokens.slice(tokens.findIndex((t) => isName(t, 'in')) + 1);
  if (head === 'set' || head === 'with') {
    const assign = tokens.findIndex((t) => isOp(t, '='));
    return assign < 0 ? [] : tokens.slice(assign + 1);
  }
  // Statements that name things rather than read them: `{% filter upper %}`, `{% block body %}`, ...
  if (head === undefined || NAMING_STATEMENTS.has(head) || head.startsWith('end')) return [];
  return tokens.slice(1);
}

const NAMING_STATEMENTS = new Set(['macro', 'filter', 'block', 'extends', 'include', 'import', 'from', 'raw', 'autoescape', 'else']);

/**
 * What Jinja source derives from a text, kept for the next host that renders the same text (templating
 * tokenizes each expression several times); bounded so that many distinct texts cannot grow them.
 */
const inspected = new BoundedCache<ExpressionFacts>(1000, 64 * 1024);
const guarded = new BoundedCache<string>(4000, 64 * 1024);

/**
 * What every block of `text` reads (expressions and statement headers), minus the names it binds itself.
 * The result is shared by every caller that asks about the same text: frozen, so nobody can change it.
 */
export function inspectTemplate(text: string): ExpressionFacts {
  return inspected.get(text, () => {
    const facts = readTemplate(text);
    for (const list of Object.values(facts)) Object.freeze(list);
    return Object.freeze(facts);
  });
}

function readTemplate(text: string): ExpressionFacts {
  const facts: ExpressionFacts = { references: [], filters: [], tests: [], keys: [], locals: [] };
  for (const block of splitTemplate(text)) {
    if (block.kind !== 'expr' && block.kind !== 'stmt') continue;
    let tokens: readonly Token[];
    try {
      tokens = tokenize(withoutBuiltinPrefix(block.code));
    } catch (error) {
      throw new JinjaSourceError((error as Error).message, block.line);
    }
    if (block.kind === 'stmt') {
      facts.locals.push(...bindings(tokens));
      tokens = readPart(tokens);
    }
    analyse(tokens, facts);
  }
  const locals = new Set(facts.locals);
  return { ...facts, references: facts.references.filter((r) => !locals.has(r.path[0]!)) };
}

/**
 * The code of one block as the engine runs it. Every variable path is guarded so that, as in Ansible,
 * `a.b.c is defined` and `a.b.c | default(x)` hold even when `a.b` is missing, while any other read of
 * a missing path (a comparison included) fails naming the path as written: `undefinedVariable("a.b")`.
 */
export function guardedCode(code: string, statement: boolean, locals: ReadonlySet<string>, undefinedVariable: string): string {
  // Every input that changes the result is in the key: the locals decide which names are guarded.
  const key = `${statement ? 'stmt' : 'expr'}\0${undefinedVariable}\0${[...locals].sort().join(' ')}\0${code}`;
  return guarded.get(key, () => normaliseExpression(guardReferences(withoutBuiltinPrefix(code), statement, locals, undefinedVariable)));
}

function guardReferences(code: string, statement: boolean, locals: ReadonlySet<string>, undefinedVariable: string): string {
  const all = tokenize(code);
  const tokens = statement ? readPart(all) : all;
  const facts = analyse(tokens, { references: [], filters: [], tests: [], keys: [], locals: [] });
  let out = '';
  let last = 0;
  for (const ref of facts.references.filter((r) => !locals.has(r.path[0]!))) {
    if (ref.start < last) continue;
    const end = ref.ends.at(-1)!;
    const span = code.slice(ref.start, end);
    const defined = (count: number) => ref.ends.slice(0, count).map((e) => `${code.slice(ref.start, e)} is defined`).join(' and ');
    let guarded: string;
    if (ref.tolerant) guarded = ref.path.length === 1 ? span : `(${span} if (${defined(ref.path.length - 1)}))`;
    else guarded = `(${span} if (${defined(ref.path.length)}) else ${undefinedVariable}(${JSON.stringify(span)}))`;
    out += code.slice(last, ref.start);
    last = end;
    // Python's `d.get(key, default)`, which the engine lacks, as a filter on the guarded mapping.
    const next = all.findIndex((t) => t.pos >= end);
    if (next >= 0 && isOp(all[next], '.') && isName(all[next + 1], 'get') && isOp(all[next + 2], '(')) {
      const close = closing(all, next + 2);
      const args = guardReferences(code.slice(all[next + 2]!.pos + 1, all[close]!.pos), false, locals, undefinedVariable);
      out += `((${guarded}) | __dict_get(${args}))`;
      last = all[close]!.pos + 1;
    } else {
      out += guarded;
    }
  }
  return out + code.slice(last);
}

/** Index of the `)` closing the `(` at `open`, or the last token when the code leaves it open (the engine then names the error). */
function closing(tokens: readonly Token[], open: number): number {
  const close = closingBracket(tokens, open);
  return close < 0 ? tokens.length - 1 : close;
}

/**
 * Expression code in the dialect the engine accepts: Ansible's `x.0` (attribute by number) as `x[0]`, and
 * `| float` fed through `__float_input` first, so text that is not a number becomes 0.0 as in Ansible
 * instead of an error, while the engine's own `float` keeps `2.0` a float.
 */
function normaliseExpression(code: string): string {
  return pythonConcat(pythonOrdering(expandChains(keepDictOrder(pythonModulo(markSequences(roundAsPython(sortAsJinja(aggregatesWithArguments(printedFromEngineText(normaliseAccess(code)))))))))));
}

/** The parameters of Jinja2's `round`, in order, and what they default to. */
const ROUND_PARAMETERS: readonly [string, string][] = [
  ['precision', '0'],
  ['method', "'common'"],
];

/**
 * The precision and method code of a call to `round` whose arguments are tokens `from` to `close` (excluded),
 * positional or named, with their defaults; what Jinja2 refuses is refused here, at load.
 */
function roundArguments(code: string, tokens: readonly Token[], from: number, close: number): string[] {
  const values = ROUND_PARAMETERS.map(([, fallback]) => fallback);
  const given = new Set<string>();
  const argument = (start: number, end: number) => {
    if (end <= start) return;
    const named = tokens[start]!.kind === 'name' && isOp(tokens[start + 1], '=');
    const index = named ? ROUND_PARAMETERS.findIndex(([name]) => name === tokens[start]!.value) : given.size;
    const name = ROUND_PARAMETERS[index]?.[0];
    if (name === undefined) throw new JinjaSourceError(named ? `round: unknown argument '${tokens[start]!.value}' (round takes precision and method)` : 'round: too many arguments (round takes precision and method)', 1);
    if (given.has(name)) throw new JinjaSourceError(`round: '${name}' given twice`, 1);
    given.add(name);
    const first = tokens[named ? start + 2 : start]!;
    if (name === 'method' && first.kind === 'string' && end === (named ? start + 3 : start + 1) && !['common', 'ceil', 'floor'].includes(first.value)) {
      throw new JinjaSourceError(`round: method must be common, ceil or floor, not '${first.value}'`, 1);
    }
    values[index] = `(${roundAsPython(code.slice(first.pos, tokenEnd(tokens[end - 1]!)))})`;
  };
  let start = from;
  for (const comma of [...topLevelCommas(tokens, from, close), close]) {
    argument(start, comma);
    start = comma + 1;
  }
  return values;
}

/**
 * Jinja2's `round` is Python's (halves to even, on the float's exact value; 'ceil' and 'floor' methods),
 * the engine's rounds halves away from zero and has no method: `x | round(p, m)` is read as
 * `x | pprint | __py_round(p, m) | round(__py_round_precision())` (see python-round.ts), and
 * `map('round', p, m)` as `map('__py_round_value', p, m)` (the value, as a number: the engine's lists hold
 * no int/float difference a filter could keep). Arguments are checked here, so a call Jinja2 refuses is
 * refused at load.
 */
function roundAsPython(code: string): string {
  const tokens = tokenize(code);
  const edits: TextEdit[] = [];
  let after = 0;
  tokens.forEach((token, i) => {
    if (i < after || !isOp(tokens[i - 1], '|')) return;
    if (isName(token, 'round')) {
      const close = isOp(tokens[i + 1], '(') ? closingBracket(tokens, i + 1) : i;
      if (close < 0) return;
      after = close + 1;
      const values = roundArguments(code, tokens, i + 2, close);
      edits.push({ at: token.pos, end: tokenEnd(tokens[close]!), text: `pprint | __py_round(${values.join(', ')}) | round(__py_round_precision())` });
    } else if (isName(token, 'map') && isOp(tokens[i + 1], '(') && tokens[i + 2]?.kind === 'string' && tokens[i + 2]!.value === 'round') {
      const close = closingBracket(tokens, i + 1);
      if (close < 0) return;
      after = close + 1;
      const values = isOp(tokens[i + 3], ',') ? roundArguments(code, tokens, i + 4, close) : roundArguments(code, tokens, close, close);
      edits.push({ at: tokens[i + 2]!.pos, end: tokenEnd(tokens[close]!), text: `'__py_round_value', ${values.join(', ')})` });
    }
  });
  return applyEdits(code, edits);
}

/**
 * etcdops' filters that print their input, or hand its items back. The engine hands a float with no fraction
 * over as an int (2.0 as 2), so `x | NAME` is read as `x | tojson | __json_NAME`, which reads the engine's
 * own text (engine-json.ts) where `2.0` is still a float: printed, it keeps its point; handed back inside a
 * result (`{'a': 4 / 2} | combine(...)`), it is an error, since the engine would take it as an int.
 */
export const ENGINE_TEXT_FILTERS: readonly string[] = [
  'string', 'join', 'to_json', 'to_nice_json', 'to_yaml', 'to_nice_yaml', 'type_debug', 'tojson', 'pprint',
  'quote', 'b64encode', 'regex_replace', 'regex_search', 'regex_findall', 'regex_escape', 'replace', 'title', 'indent',
  'comment', 'basename', 'dirname', 'combine', 'dict2items', 'items2dict', 'zip', 'zip_longest', 'dictsort', 'items',
  'union', 'intersect', 'difference', 'flatten',
];

/** Filters the engine has without Jinja2's arguments: called with any, they are read as etcdops' (jinja-aggregates.ts). */
const WITH_ARGUMENTS: Readonly<Record<string, string>> = { sum: '__py_sum', min: '__py_min', max: '__py_max', unique: '__py_unique' };

function aggregatesWithArguments(code: string): string {
  const tokens = tokenize(code);
  const edits: TextEdit[] = tokens
    .filter((token, i) => isOp(tokens[i - 1], '|') && token.kind === 'name' && Object.hasOwn(WITH_ARGUMENTS, token.value) && isOp(tokens[i + 1], '(') && !isOp(tokens[i + 2], ')'))
    .map((token) => ({ at: token.pos, end: tokenEnd(token), text: WITH_ARGUMENTS[token.value]! }));
  return edits.length === 0 ? code : applyEdits(code, edits);
}

function printedFromEngineText(code: string): string {
  const tokens = tokenize(code);
  const edits: TextEdit[] = [];
  tokens.forEach((token, i) => {
    if (!isOp(tokens[i - 1], '|') || token.kind !== 'name') return;
    if (ENGINE_TEXT_FILTERS.includes(token.value)) edits.push({ at: token.pos, end: tokenEnd(token), text: `tojson | __json_${token.value}` });
    // `map('string')` prints each item: from the JSON too.
    const close = tokens[i + 3];
    if (token.value === 'map' && isOp(tokens[i + 1], '(') && tokens[i + 2]?.kind === 'string' && tokens[i + 2]!.value === 'string' && isOp(close, ')')) {
      edits.push({ at: token.pos, end: tokenEnd(close!), text: 'tojson | __json_map_string' });
    }
  });
  return edits.length === 0 ? code : applyEdits(code, edits);
}

/** Jinja2's `sort` parameters, in order. */
const SORT_PARAMETERS = ['reverse', 'case_sensitive', 'attribute'];

/**
 * Jinja2's `sort(reverse, case_sensitive, attribute)` from the engine's stable ascending sort: a reverse sort
 * keeps equal items in their order (Python's `reverse=True`), which the engine's does not, so it is read as
 * `| reverse | sort(...) | reverse`; and `attribute='a,b'` sorts by a, then b, read as a sort by b, then by a.
 * A `reverse` that is not written as true or false cannot be read so and is refused at load. Positional
 * arguments are passed by name, as the engine takes them.
 */
function sortAsJinja(code: string): string {
  const tokens = tokenize(code);
  const edits: TextEdit[] = [];
  tokens.forEach((token, i) => {
    if (!isOp(tokens[i - 1], '|') || !isName(token, 'sort') || !isOp(tokens[i + 1], '(')) return;
    const close = closingBracket(tokens, i + 1);
    if (close < 0) return;
    const written: Record<string, string> = {};
    let start = i + 2;
    for (const comma of [...topLevelCommas(tokens, i + 2, close), close]) {
      if (comma > start) {
        const named = tokens[start]!.kind === 'name' && isOp(tokens[start + 1], '=');
        const name = named ? tokens[start]!.value : SORT_PARAMETERS[Object.keys(written).length];
        if (name === undefined || !SORT_PARAMETERS.includes(name)) throw new JinjaSourceError(`sort: unknown argument (sort takes ${SORT_PARAMETERS.join(', ')})`, 1);
        written[name] = code.slice(tokens[named ? start + 2 : start]!.pos, tokenEnd(tokens[comma - 1]!));
      }
      start = comma + 1;
    }
    const reverse = written.reverse?.trim();
    if (reverse !== undefined && !/^(true|false|True|False)$/.test(reverse)) {
      throw new JinjaSourceError(`sort: reverse must be written as true or false (etcdops keeps equal items in order as Python does only then), not ${reverse}`, 1);
    }
    const attribute = written.attribute === undefined ? undefined : tokenize(written.attribute);
    const keys = attribute?.length === 1 && attribute[0]!.kind === 'string' ? attribute[0]!.value.split(',') : undefined;
    if (keys?.some((key) => key === '' || key.trim() !== key)) throw new JinjaSourceError(`sort: attribute '${keys.join(',')}' names an attribute with spaces or none, which Jinja cannot read`, 1);
    const backwards = reverse === 'true' || reverse === 'True';
    if (Object.keys(written).length === 0) return;
    const caseSensitive = written.case_sensitive === undefined ? [] : [`case_sensitive=${written.case_sensitive}`];
    // The engine takes these as named arguments only.
    const sorts = (keys ?? [undefined]).reverse().map((key) => `sort(${[...caseSensitive, ...(key === undefined ? (written.attribute ? [`attribute=${written.attribute}`] : []) : [`attribute=${JSON.stringify(key)}`])].join(', ')})`);
    // Each item must have the attributes: the engine sorts a missing one as none, Jinja2 fails.
    const checked = written.attribute === undefined ? [] : [`select('__py_sort_attributes', ${written.attribute})`, 'list'];
    const text = [...(backwards ? ['reverse'] : []), ...sorts, ...(backwards ? ['reverse'] : []), ...checked].join(' | ');
    edits.push({ at: token.pos, end: tokenEnd(tokens[close]!), text });
  });
  return edits.length === 0 ? code : applyEdits(code, edits);
}

/** Operators binding more loosely than `*`, `/`, `//` and `%`, and the keywords an operand stops at. */
const ADDITIVE_ENDS = ['+', '~', '==', '!=', '<', '>', '<=', '>=', ',', ':', '='];
const MULTIPLICATIVE = ['*', '/', '//', '%'];

/** Whether token `i` ends an operand of `%` walking in `step` direction (left: `*` is inside, `a * b % c`). */
function endsModuloOperand(tokens: readonly Token[], i: number, step: 1 | -1): boolean {
  const t = tokens[i]!;
  if (t.kind === 'op') {
    if (ADDITIVE_ENDS.includes(t.value)) return true;
    if (step === 1 && MULTIPLICATIVE.includes(t.value)) return true;
    return t.value === '-' && isOperandEnd(tokens[i - 1]);
  }
  return t.kind === 'name' && COMPARISON_END_NAMES.includes(t.value) && !(t.value === 'not' && isName(tokens[i - 1], 'is'));
}

/**
 * Python's `%` takes the sign of the divisor (`7 % -3` is -2, `-7.5 % 2` is 0.5); the engine's does not
 * (1 and -1.5). `a % b` is read as `[a % b, b] | select('__py_modulo') | sum`: the test keeps `b` when
 * the engine's remainder has the other sign, which adds it, and the engine's numbers keep their type.
 * With text written on the left, `%` is Python's string formatting (`'%s:%d' % (host, port)`), which the
 * engine has not: it is read as `b | tojson | __json_py_percent('text')`, so a float keeps its point.
 */
function pythonModulo(code: string): string {
  const tokens = tokenize(code);
  const spans: { first: number; at: number; last: number }[] = [];
  tokens.forEach((token, at) => {
    if (!isOp(token, '%')) return;
    const first = operandEdge(tokens, at - 1, -1, (i) => endsModuloOperand(tokens, i, -1));
    // The right operand's first token may be a sign (`a % -b`).
    const last = operandEdge(tokens, at + 1, 1, (i) => i > at + 1 && endsModuloOperand(tokens, i, 1));
    if (first < at && last > at) spans.push({ first, at, last });
  });
  const outermost = spans.filter((e) => !spans.some((o) => o !== e && o.first <= e.first && o.last >= e.last));
  return applyEdits(
    code,
    outermost.map(({ first, at, last }) => {
      const left = pythonModulo(code.slice(tokens[first]!.pos, tokens[at]!.pos).trim());
      const right = pythonModulo(code.slice(tokenEnd(tokens[at]!), tokenEnd(tokens[last]!)).trim());
      // A tuple written there (`% (a, b)`, noted by markSequences) is known here, whatever its items print as.
      const tuple = right.startsWith('([[') && right.endsWith(NOTED('tuple'));
      const text = first === at - 1 && tokens[first]!.kind === 'string'
        ? `((${right}) | tojson | __json_py_percent(${left}, ${tuple}))`
        : `([(${left}) % (${right}), (${right})] | select('__py_modulo') | sum)`;
      return { at: tokens[first]!.pos, end: tokenEnd(tokens[last]!), text };
    }),
  );
}

/** Names after which `(` and `[` open a tuple or list rather than a call or subscript. */
const NOT_CALLABLE = new Set(['and', 'or', 'not', 'in', 'is', 'if', 'else', 'elif', 'for', 'set', 'print', 'do', 'with', 'recursive']);

/** The engine's filters that make a list of a tuple's items in Python, so a list of the tuple's content. */
const LIST_FILTERS = new Set(['list', 'sort', 'unique']);

/** Tells the engine's output (python-tuples.ts) that the list inside `[[...]]` before it is a list or a tuple. */
const NOTED = (kind: 'list' | 'tuple') => ` | select('__noted_${kind}') | first)`;

/**
 * Tuple and list literals, and the lists the engine's filters make, noted as what they are (Python prints
 * `(1, 2)` and `[1, 2]`; see python-tuples.ts): `[a, b]` is read as `([[a, b]] | select('__noted_list') |
 * first)`, the same list, which the test saw. A call's or subscript's brackets, and the targets of `for`
 * and `set`, stay as written.
 */
function markSequences(code: string): string {
  const tokens = tokenize(code);
  const head = tokens[0]?.kind === 'name' ? tokens[0].value : '';
  const targetsEnd = head === 'for' ? tokens.findIndex((t) => isName(t, 'in')) : head === 'set' ? tokens.findIndex((t) => isOp(t, '=')) : 0;
  const edits: TextEdit[] = [];
  tokens.forEach((token, i) => {
    // groupby's pairs are tuples in Python (`('a', [...])`).
    if (isOp(tokens[i - 1], '|') && isName(token, 'groupby') && isOp(tokens[i + 1], '(')) {
      const close = closingBracket(tokens, i + 1);
      if (close >= 0) edits.push({ at: tokenEnd(tokens[close]!), end: tokenEnd(tokens[close]!), text: " | select('__noted_tuple') | list" });
      return;
    }
    // `map('list')` makes a list of each item (a tuple of `zip` included): each is noted as a list.
    if (isOp(tokens[i - 1], '|') && isName(token, 'map') && isOp(tokens[i + 1], '(') && tokens[i + 2]?.kind === 'string' && tokens[i + 2]!.value === 'list' && isOp(tokens[i + 3], ')')) {
      edits.push({ at: tokenEnd(tokens[i + 3]!), end: tokenEnd(tokens[i + 3]!), text: " | select('__noted_list')" });
      return;
    }
    if (isOp(tokens[i - 1], '|') && token.kind === 'name' && LIST_FILTERS.has(token.value)) {
      const end = isOp(tokens[i + 1], '(') ? closingBracket(tokens, i + 1) : i;
      // `slice(1)` makes the one-item list `[[...]]` of the filter's list.
      if (end >= 0) edits.push({ at: tokenEnd(tokens[end]!), end: tokenEnd(tokens[end]!), text: ` | slice(1)${NOTED('list').slice(0, -1)}` });
      return;
    }
    if (i < targetsEnd || !(isOp(token, '(') || isOp(token, '['))) return;
    const previous = tokens[i - 1];
    const applied = previous !== undefined && (previous.kind === 'string' || previous.kind === 'number' || (previous.kind === 'name' && !NOT_CALLABLE.has(previous.value)) || [')', ']', '}'].includes(previous.value));
    if (applied) return;
    const close = closingBracket(tokens, i);
    if (close < 0) return;
    const kind = token.value === '[' ? 'list' : close === i + 1 || topLevelCommas(tokens, i + 1, close).length > 0 ? 'tuple' : undefined;
    if (kind) edits.push({ at: token.pos, end: token.pos + 1, text: '([[' }, { at: tokens[close]!.pos, end: tokens[close]!.pos + 1, text: `]]${NOTED(kind)}` });
  });
  // Where a filter's suffix and a closing bracket meet, the suffix goes first: it belongs inside.
  return applyEdits(code, edits.sort((x, y) => x.at - y.at || x.end - x.at - (y.end - y.at)));
}

/** Index of the bracket closing the one opened at `open` (any kind of bracket), or -1. */
function closingBracket(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'op' && ['(', '[', '{'].includes(t.value)) depth++;
    else if (t.kind === 'op' && [')', ']', '}'].includes(t.value) && --depth === 0) return i;
  }
  return -1;
}

/** The commas among tokens `from` to `close` (excluded) that are outside brackets: what separates items or arguments. */
function topLevelCommas(tokens: readonly Token[], from: number, close: number): number[] {
  const commas: number[] = [];
  let depth = 0;
  for (let i = from; i < close; i++) {
    const t = tokens[i]!;
    if (t.kind === 'op' && ['(', '[', '{'].includes(t.value)) depth++;
    else if (t.kind === 'op' && [')', ']', '}'].includes(t.value)) depth--;
    else if (depth === 0 && isOp(t, ',')) commas.push(i);
  }
  return commas;
}

const ORDERINGS = ['<', '>', '<=', '>='];
/** What ends an operand of a comparison: looser operators and keywords, and another comparison (a chain). */
const COMPARISON_ENDS = [',', ':', '=', '==', '!=', ...ORDERINGS];
const COMPARISON_END_NAMES = ['and', 'or', 'not', 'if', 'else', 'in', 'elif', 'for', 'set', 'with', 'print', 'do', 'recursive'];

/** Whether token `i` ends an operand of a comparison. */
function endsComparisonOperand(tokens: readonly Token[], i: number): boolean {
  const t = tokens[i]!;
  return (t.kind === 'op' && COMPARISON_ENDS.includes(t.value)) || (t.kind === 'name' && COMPARISON_END_NAMES.includes(t.value) && !(t.value === 'not' && isName(tokens[i - 1], 'is')));
}

/**
 * Index of the first token of the operand ending at `from` (walking left), or of the last one starting there
 * (walking right); `from - step` when there is none. Brackets are skipped whole; `ends(i)` says whether token
 * `i`, outside brackets, is past the operand.
 */
function operandEdge(tokens: readonly Token[], from: number, step: 1 | -1, ends = (i: number) => endsComparisonOperand(tokens, i)): number {
  const opens = step === 1 ? ['(', '[', '{'] : [')', ']', '}'];
  const closes = step === 1 ? [')', ']', '}'] : ['(', '[', '{'];
  let depth = 0;
  let edge = from - step;
  for (let i = from; i >= 0 && i < tokens.length; i += step) {
    const t = tokens[i]!;
    if (t.kind === 'op' && opens.includes(t.value)) depth++;
    else if (t.kind === 'op' && closes.includes(t.value) && depth-- === 0) break;
    else if (depth === 0 && ends(i)) break;
    edge = i;
  }
  return edge;
}

/**
 * Python orders only values of one kind (`'2380' > 2000` raises a TypeError there; the engine would say false,
 * and a condition would silently go the other way), so each `<`, `>`, `<=`, `>=` between two operands goes
 * through `__py_order`, which compares as Python does. Chains (`0 < x < 9`) are split first (expandChains).
 */
function pythonOrdering(code: string): string {
  const tokens = tokenize(code);
  const at = tokens.flatMap((t, i) => (t.kind === 'op' && ORDERINGS.includes(t.value) ? [i] : []));
  if (at.length === 0) return code;
  const spans: { start: number; end: number; op: Token }[] = [];
  for (const i of at) {
    const first = operandEdge(tokens, i - 1, -1);
    const last = operandEdge(tokens, i + 1, 1);
    if (first > i - 1 || last < i + 1) continue;
    const before = tokens[first - 1];
    const after = tokens[last + 1];
    if ((before && before.kind === 'op' && ORDERINGS.includes(before.value)) || (after && after.kind === 'op' && ORDERINGS.includes(after.value))) continue;
    spans.push({ start: tokens[first]!.pos, end: tokenEnd(tokens[last]!), op: tokens[i]! });
  }
  // A comparison inside an operand of another (in brackets) is rewritten with that operand.
  const outermost = spans.filter((e) => !spans.some((o) => o !== e && o.start <= e.start && o.end >= e.end));
  return applyEdits(
    code,
    outermost.map(({ start, end, op }) => {
      const left = pythonOrdering(code.slice(start, op.pos).trim());
      const right = pythonOrdering(code.slice(tokenEnd(op), end).trim());
      return { at: start, end, text: `__py_order((${left}), '${op.value}', (${right}))` };
    }),
  );
}

const CHAIN_OPS = [...ORDERINGS, '==', '!='];

/** The comparison operator starting at token `i` (`<`, `==`, `in`, `not in`, ...) and how many tokens it takes. */
function comparisonAt(tokens: readonly Token[], i: number): number {
  const t = tokens[i];
  if (t?.kind === 'op' && CHAIN_OPS.includes(t.value)) return 1;
  if (isName(t, 'in') && !isName(tokens[i - 1], 'not')) return 1;
  if (isName(t, 'not') && isName(tokens[i + 1], 'in')) return 2;
  return 0;
}

/**
 * Jinja, like Python, reads `a < b < c` as `a < b and b < c` (`1 < 7 < 5` is false); the engine reads it as
 * `(a < b) < c` (true). Each chain is written out as Python means it, one comparison at a time, so the
 * Python ordering of each comparison applies too. The middle operand is written twice: templates have no
 * side effects, and `and` still stops at the first false comparison as Python does.
 */
function expandChains(code: string): string {
  // Each pass writes out one chain; a chain inside an operand is written out by a later pass.
  for (let pass = 0; pass < 100; pass++) {
    const tokens = tokenize(code);
    const chain = firstChain(tokens);
    if (!chain) return code;
    const { operands, ops } = chain;
    const text = (from: number, to: number) => code.slice(tokens[from]!.pos, tokenEnd(tokens[to]!));
    const parts = ops.map(([at, size], k) => `(${text(operands[k]![0], operands[k]![1])}) ${text(at, at + size - 1)} (${text(operands[k + 1]![0], operands[k + 1]![1])})`);
    const start = tokens[operands[0]![0]]!.pos;
    const end = tokenEnd(tokens[operands.at(-1)![1]]!);
    code = `${code.slice(0, start)}(${parts.join(' and ')})${code.slice(end)}`;
  }
  throw new JinjaSourceError('too many chained comparisons in one expression', 1);
}

/** The first chain of two or more comparisons: its operands (first and last token) and operators (token, size). */
function firstChain(tokens: readonly Token[]): { operands: [number, number][]; ops: [number, number][] } | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const size = comparisonAt(tokens, i);
    if (!size) continue;
    const first = operandEdge(tokens, i - 1, -1);
    if (first > i - 1) continue;
    const operands: [number, number][] = [[first, i - 1]];
    const ops: [number, number][] = [];
    let at = i;
    let opSize = size;
    for (;;) {
      const last = operandEdge(tokens, at + opSize, 1);
      if (last < at + opSize) break;
      ops.push([at, opSize]);
      operands.push([at + opSize, last]);
      const nextSize = comparisonAt(tokens, last + 1);
      if (!nextSize) break;
      at = last + 1;
      opSize = nextSize;
    }
    if (ops.length >= 2) return { operands, ops };
    if (ops.length === 1) i = ops[0]![0] + ops[0]![1] - 1;
  }
  return undefined;
}

/** Python's dict views, which the engine answers in sorted key order, as filters that keep insertion order. */
const DICT_VIEWS: Readonly<Record<string, string>> = { items: 'tojson | __json___dict_items', keys: '__dict_keys', values: 'tojson | __json___dict_values' };

/**
 * Python dicts keep insertion order and the engine's maps sort their keys, so what reads a dict's order goes
 * through the engine's filters that restore it: `d.items()`/`.keys()`/`.values()`, the iterable of a `for`,
 * and a dict literal with string keys (built by `__dict` from its pairs, in the order written).
 */
function keepDictOrder(code: string): string {
  const tokens = tokenize(code);
  const edits: TextEdit[] = [];
  tokens.forEach((token, i) => {
    const view = isOp(token, '.') && tokens[i + 1]?.kind === 'name' ? DICT_VIEWS[tokens[i + 1]!.value] : undefined;
    if (view && isOp(tokens[i + 2], '(') && isOp(tokens[i + 3], ')')) edits.push({ at: token.pos, end: tokens[i + 3]!.pos + 1, text: ` | ${view}` });
    if (isOp(token, '{')) edits.push(...dictLiteral(tokens, i));
    if (isName(token, 'dict') && isOp(tokens[i + 1], '(') && !isOp(tokens[i - 1], '.') && !isOp(tokens[i - 1], '|')) edits.push(...dictKeywords(tokens, i + 1));
  });
  const kept = filteredInOrder(edits.length === 0 ? code : applyEdits(code, edits));
  return isName(tokens[0], 'for') ? iteratedInOrder(kept) : kept;
}

/** The engine's filters that iterate what they are given: over a mapping they read its keys, in order. */
const ITERATING_FILTERS = new Set(['list', 'first', 'last', 'map', 'select', 'reject', 'reverse', 'batch', 'slice', 'unique']);

/**
 * `(x) | list` and the other iterating filters read a mapping's keys in the order written: a parenthesised
 * operand (a guarded variable, a group, a call such as a dict literal's `__dict(...)`) goes through
 * __in_order when it is a mapping. Only such an operand: it is short to repeat, and repeating a filter
 * chain would double at each filter.
 */
function filteredInOrder(code: string): string {
  const tokens = tokenize(code);
  const edits: TextEdit[] = [];
  tokens.forEach((token, i) => {
    if (!isOp(token, '|') || !isName(tokens[i + 1]) || !ITERATING_FILTERS.has(tokens[i + 1]!.value)) return;
    const standalone = (at: number) => !isOp(tokens[at - 1], '|') && !isOp(tokens[at - 1], '.') && !isName(tokens[at - 1], 'is');
    // A template's own variable (`{% set o = ... %}`, a loop variable), which is not guarded.
    if (isName(tokens[i - 1]) && !NOT_CALLABLE.has(tokens[i - 1]!.value) && standalone(i - 1)) {
      const name = tokens[i - 1]!.value;
      edits.push({ at: tokens[i - 1]!.pos, end: tokenEnd(tokens[i - 1]!), text: `(${name} | __in_order if ${name} is mapping else ${name})` });
      return;
    }
    if (!isOp(tokens[i - 1], ')')) return;
    let open = i - 2;
    for (let depth = 1; open >= 0 && depth > 0; open--) {
      if (isOp(tokens[open], ')')) depth++;
      else if (isOp(tokens[open], '(')) depth--;
    }
    open++;
    if (!isOp(tokens[open], '(')) return;
    const before = tokens[open - 1];
    // A filter's, test's or method's arguments, or a subscript's, belong to what comes before them.
    if (before !== undefined && ([')', ']', '}', '.'].includes(before.value) || (isName(before) && !standalone(open - 1)))) return;
    const start = isName(before) && !NOT_CALLABLE.has(before!.value) ? open - 1 : open;
    const operand = code.slice(tokens[start]!.pos, tokenEnd(tokens[i - 1]!));
    edits.push({ at: tokens[start]!.pos, end: tokenEnd(tokens[i - 1]!), text: `(${operand} | __in_order if ${operand} is mapping else ${operand})` });
  });
  return edits.length === 0 ? code : applyEdits(code, edits);
}

/**
 * `for x in ITERABLE` iterates a mapping's keys in the written order, through __in_order. Only a mapping
 * goes there: a list handed to JavaScript and back would lose its floats' `.0`.
 */
function iteratedInOrder(code: string): string {
  const iterable = forIterable(tokenize(code));
  if (!iterable) return code;
  const written = code.slice(iterable[0], iterable[1]);
  return applyEdits(code, [{ at: iterable[0], end: iterable[1], text: `((${written}) | __in_order if (${written}) is mapping else (${written}))` }]);
}

/** Where the iterable of `for TARGET in ITERABLE [if ...] [recursive]` starts and ends in the code. */
function forIterable(tokens: readonly Token[]): [number, number] | undefined {
  let depth = 0;
  let start: number | undefined;
  let end: number | undefined;
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'op' && ['(', '[', '{'].includes(t.value)) depth++;
    else if (t.kind === 'op' && [')', ']', '}'].includes(t.value)) depth--;
    else if (depth === 0 && start === undefined && isName(t, 'in')) start = i + 1;
    else if (depth === 0 && start !== undefined && (isName(t, 'if') || isName(t, 'recursive'))) break;
    if (start !== undefined && i >= start) end = i;
  }
  if (start === undefined || end === undefined || start > end) return undefined;
  return [tokens[start]!.pos, tokenEnd(tokens[end]!)];
}

/** A value handed to `__dict` as the engine's JSON of it, so a float keeps its point on the way (engine-json.ts). */
const VALUE_OPEN = '(';
const VALUE_CLOSE = ') | tojson';

/**
 * Edits turning the dict literal opened at `open` into `__dict(key, (value) | tojson, ...)` when every key
 * is a string literal.
 */
function dictLiteral(tokens: readonly Token[], open: number): TextEdit[] {
  const edits: TextEdit[] = [{ at: tokens[open]!.pos, end: tokens[open]!.pos + 1, text: '__dict(' }];
  let depth = 0;
  let entryStart = open + 1;
  let entries = 0;
  let inValue = false;
  const closeValue = (at: number) => {
    if (inValue) edits.push({ at, end: at, text: VALUE_CLOSE });
    inValue = false;
  };
  for (let i = open + 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'op' && ['(', '[', '{'].includes(t.value)) depth++;
    else if (t.kind === 'op' && [')', ']', '}'].includes(t.value) && depth-- === 0) {
      closeValue(t.pos);
      edits.push({ at: t.pos, end: t.pos + 1, text: ')' });
      // One entry or none has no order to keep.
      return entries > 1 ? edits : [];
    } else if (depth === 0 && isOp(t, ':')) {
      if (i !== entryStart + 1 || tokens[entryStart]!.kind !== 'string') return [];
      edits.push({ at: t.pos, end: t.pos + 1, text: `, ${VALUE_OPEN}` });
      entries++;
      inValue = true;
    } else if (depth === 0 && isOp(t, ',')) {
      closeValue(t.pos);
      entryStart = i + 1;
    }
  }
  return [];
}

/**
 * `dict(b=1, a=2)`: the keyword arguments as one dict built in the order written,
 * `dict(__dict('b', (1) | tojson, 'a', (2) | tojson))`, since the engine hands keyword arguments over with
 * their names sorted.
 */
function dictKeywords(tokens: readonly Token[], open: number): TextEdit[] {
  const close = closingBracket(tokens, open);
  if (close < 0) return [];
  const commas = topLevelCommas(tokens, open + 1, close);
  const ends = [...commas, close];
  const starts = [open, ...commas].map((i) => i + 1);
  const keywords = starts.map((start, n) => [start, ends[n]!] as const).filter(([i, end]) => i < end && tokens[i]!.kind === 'name' && isOp(tokens[i + 1], '='));
  if (keywords.length < 2) return [];
  return [
    { at: tokens[keywords[0]![0]]!.pos, end: tokens[keywords[0]![0]]!.pos, text: '__dict(' },
    ...keywords.flatMap(([i, end]) => [
      { at: tokens[i]!.pos, end: tokenEnd(tokens[i + 1]!), text: `${JSON.stringify(tokens[i]!.value)}, ${VALUE_OPEN}` },
      { at: tokens[end]!.pos, end: tokens[end]!.pos, text: VALUE_CLOSE },
    ]),
    { at: tokens[close]!.pos, end: tokens[close]!.pos, text: ')' },
  ];
}

const tokenEnd = (token: Token): number => token.pos + (token.kind === 'string' ? token.raw!.length : token.value.length);
const isOperandEnd = (token: Token | undefined): boolean =>
  token !== undefined && (token.kind !== 'op' || [')', ']', '}'].includes(token.value)) && !['and', 'or', 'not', 'if', 'else', 'in', 'is'].includes(token.kind === 'name' ? token.value : '');
/** Operators binding more loosely than `~` (its operands stop there); a binary `-` only after an operand. */
const LOOSER_OPS = ['~', '+', '==', '!=', '<', '>', '<=', '>=', ',', ':', '='];
/** Names that end an operand: looser operators, and the statement keywords an operand may follow. */
const LOOSER_NAMES = ['and', 'or', 'not', 'if', 'else', 'in', 'elif', 'for', 'set', 'with', 'print', 'do'];

function endsOperand(tokens: readonly Token[], i: number): boolean {
  const token = tokens[i]!;
  if (token.kind === 'op') return LOOSER_OPS.includes(token.value) || (token.value === '-' && isOperandEnd(tokens[i - 1]));
  // `is not` is a test, which binds more tightly than `~`.
  return token.kind === 'name' && LOOSER_NAMES.includes(token.value) && !(token.value === 'not' && isName(tokens[i - 1], 'is'));
}

/**
 * Python's Jinja joins `~` operands with str() (`'x' ~ true` is `xTrue`, `'a' ~ none` is `aNone`); the engine
 * would write `true` and `none`, so each operand is passed through `__pystr_json` (str() of the engine's own
 * text of it, where a float keeps its `.0`) first.
 */
function pythonConcat(code: string): string {
  const tokens = tokenize(code);
  const spans = new Map<string, [number, number, string]>();
  tokens.forEach((token, at) => {
    if (!isOp(token, '~')) return;
    const first = operandEdge(tokens, at - 1, -1, (i) => endsOperand(tokens, i) && !(i === at - 1 && tokens[i]!.kind === 'name'));
    const last = operandEdge(tokens, at + 1, 1, (i) => i > at + 1 && endsOperand(tokens, i));
    for (const [from, to] of [[first, at - 1], [at + 1, last]] as const) {
      // An int literal prints the same either way; a float literal is known to be a float only here.
      const literal = from === to && tokens[from]!.kind === 'number' ? tokens[from]!.value : undefined;
      if (to >= from && !(literal && /^[\d_]+$/.test(literal))) spans.set(`${from}:${to}`, [tokens[from]!.pos, tokenEnd(tokens[to]!), literal ? '__pyfloat' : 'tojson | __pystr_json']);
    }
  });
  if (spans.size === 0) return code;
  // Openers of longer spans first, closers of shorter spans first, closers before openers: spans nest.
  const edits = [...spans.values()].flatMap(([start, end, filter]) => [
    { at: start, end: start, text: '((', order: 1, size: -(end - start) },
    { at: end, end, text: `) | ${filter})`, order: 0, size: end - start },
  ]);
  return applyEdits(code, edits.sort((x, y) => x.at - y.at || x.order - y.order || x.size - y.size));
}

function normaliseAccess(code: string): string {
  const tokens = tokenize(code);
  let out = '';
  let last = 0;
  tokens.forEach((token, i) => {
    const previous = tokens[i - 1];
    if (token.kind === 'number' && isOp(previous, '.') && (tokens[i - 2]?.kind === 'name' || isOp(tokens[i - 2], ')') || isOp(tokens[i - 2], ']'))) {
      out += `${code.slice(last, previous!.pos)}[${token.value}]`;
      last = token.pos + token.value.length;
    } else if (isName(token, 'float') && isOp(previous, '|')) {
      const end = isOp(tokens[i + 1], '(') ? closing(tokens, i + 1) : i;
      const after = end === i ? token.pos + token.value.length : tokens[end]!.pos + 1;
      out += `${code.slice(last, token.pos)}__float_input${code.slice(token.pos + token.value.length, after)} | float`;
      last = after;
    }
  });
  return out + code.slice(last);
}

/** The path of an expression that only reads a variable (`a`, `a.b`, `a['b'].c`), or undefined. */
export function plainPath(code: string): string[] | undefined {
  let tokens: Token[];
  try {
    tokens = tokenize(code);
  } catch {
    return undefined;
  }
  const facts = analyse(tokens, { references: [], filters: [], tests: [], keys: [], locals: [] });
  const only = facts.references[0];
  if (facts.references.length !== 1 || !only || only.start !== tokens[0]?.pos || only.ends.at(-1) !== code.trimEnd().length) return undefined;
  return [...only.path];
}

/** True when `text` is exactly one `{{ expr }}` (its value then keeps its type, as in Ansible). */
export function singleExpression(text: string): string | undefined {
  if (!text.startsWith('{{') || !text.endsWith('}}')) return undefined;
  let blocks: Block[];
  try {
    blocks = splitTemplate(text);
  } catch {
    return undefined;
  }
  return blocks.length === 1 && blocks[0]!.kind === 'expr' ? blocks[0]!.code.trim() : undefined;
}

/** Whether a string holds any Jinja syntax at all (plain text is never sent to the engine). */
export function hasJinja(text: string): boolean {
  return text.includes('{{') || text.includes('{%') || text.includes('{#');
}

/**
 * A playbook value as Ansible's templar sees it (escape_backslashes): inside `{{ }}` each backslash of a string
 * literal is doubled, so the literal keeps what was written (`join('\n')` in a block scalar joins with a
 * backslash and an n, `'\\1'` reaches regex_replace as `\1`). Template files are not treated so.
 */
export function escapeBackslashes(text: string): string {
  if (!text.includes('\\') || !text.includes('{{')) return text;
  let blocks: Block[];
  try {
    blocks = splitTemplate(text);
  } catch {
    return text;
  }
  return blocks.map((block) => (block.kind === 'expr' ? doubledInStrings(block.raw) : block.raw)).join('');
}

function doubledInStrings(raw: string): string {
  const inner = raw.slice(2, -2);
  let tokens: Token[];
  try {
    tokens = tokenize(inner);
  } catch {
    return raw;
  }
  const edits = tokens.flatMap((token) =>
    token.kind === 'string' ? [{ at: token.pos, end: token.pos + token.raw.length, text: token.raw.replaceAll('\\', '\\\\') }] : [],
  );
  return `{{${applyEdits(inner, edits)}}}`;
}
