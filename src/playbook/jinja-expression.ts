// Translates Ansible's (Jinja) condition syntax into expr-eval source text: `x is defined`, filters
// (`x | length`), `not in`, `a['b']`, Python truthiness. Variables and attribute reads become calls to
// resolver functions so every lookup is strict, named in errors, and never touches JS prototypes.
import { FILTERS } from './jinja-filters.js';

type Token =
  | { readonly kind: 'string'; readonly value: string; readonly pos: number }
  | { readonly kind: 'number'; readonly value: string; readonly pos: number }
  | { readonly kind: 'name'; readonly value: string; readonly pos: number }
  | { readonly kind: 'op'; readonly value: string; readonly pos: number }
  | { readonly kind: 'end'; readonly value: ''; readonly pos: number };

type Node =
  | { readonly t: 'code'; readonly code: string }
  | { readonly t: 'var'; readonly name: string }
  | { readonly t: 'get'; readonly target: Node; readonly key: Node; readonly text: string }
  | { readonly t: 'call'; readonly fn: string; readonly args: readonly Node[] }
  | { readonly t: 'default'; readonly value: Node; readonly args: readonly Node[] }
  | { readonly t: 'defined'; readonly value: Node }
  | { readonly t: 'binary'; readonly op: string; readonly left: Node; readonly right: Node }
  | { readonly t: 'not'; readonly value: Node }
  | { readonly t: 'neg'; readonly value: Node }
  | { readonly t: 'list'; readonly items: readonly Node[] };

/** A malformed expression; `message` says what was expected where. */
export class ExpressionSyntaxError extends Error {}

const OPERATORS = ['==', '!=', '<=', '>=', '<', '>', '(', ')', '[', ']', '.', ',', '|', '+', '-', '*', '/', '%', '~'];
const COMPARISONS = new Set(['==', '!=', '<', '>', '<=', '>=']);
const LITERAL_NAMES: Readonly<Record<string, string>> = {
  true: 'true', True: 'true', false: 'false', False: 'false', none: '__none()', None: '__none()', null: '__none()',
};
/** Jinja tests (`x is T`) and the resolver function each one maps to. */
export const TESTS: Readonly<Record<string, string>> = {
  succeeded: '__t_succeeded', success: '__t_succeeded', failed: '__t_failed', failure: '__t_failed',
  changed: '__t_changed', change: '__t_changed', skipped: '__t_skipped', skip: '__t_skipped',
  none: '__t_none', string: '__t_string', number: '__t_number', mapping: '__t_mapping',
  sequence: '__t_sequence', iterable: '__t_sequence', boolean: '__t_boolean',
};

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '"' || c === "'") {
      let value = '';
      let j = i + 1;
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\' && j + 1 < text.length) {
          const next = text[j + 1]!;
          value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
          j += 2;
        } else {
          value += text[j];
          j++;
        }
      }
      if (j >= text.length) throw new ExpressionSyntaxError(`unterminated string starting at column ${i + 1}`);
      tokens.push({ kind: 'string', value, pos: i });
      i = j + 1;
      continue;
    }
    const number = /^\d+(\.\d+)?/.exec(text.slice(i));
    if (number) { tokens.push({ kind: 'number', value: number[0], pos: i }); i += number[0].length; continue; }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (name) { tokens.push({ kind: 'name', value: name[0], pos: i }); i += name[0].length; continue; }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw new ExpressionSyntaxError(`unexpected character '${c}' at column ${i + 1}`);
    tokens.push({ kind: 'op', value: op, pos: i });
    i += op.length;
  }
  tokens.push({ kind: 'end', value: '', pos: text.length });
  return tokens;
}

/** Recursive descent over Jinja's precedence: or < and < not < comparison < arithmetic < filters/tests < postfix. */
class ExpressionParser {
  private index = 0;
  constructor(private readonly text: string, private readonly tokens: readonly Token[]) {}

  parse(): Node {
    const node = this.or();
    const rest = this.peek();
    if (rest.kind !== 'end') throw this.unexpected(rest);
    return node;
  }

  private peek(offset = 0): Token { return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)]!; }
  private next(): Token { return this.tokens[this.index++]!; }
  private isOp(value: string, offset = 0): boolean { const t = this.peek(offset); return t.kind === 'op' && t.value === value; }
  private isName(value: string, offset = 0): boolean { const t = this.peek(offset); return t.kind === 'name' && t.value === value; }
  private expectOp(value: string): void {
    const t = this.next();
    if (t.kind !== 'op' || t.value !== value) throw this.unexpected(t, `'${value}'`);
  }
  private unexpected(t: Token, expected?: string): ExpressionSyntaxError {
    const found = t.kind === 'end' ? 'end of expression' : `'${t.value}' at column ${t.pos + 1}`;
    return new ExpressionSyntaxError(expected ? `expected ${expected} but found ${found}` : `unexpected ${found}`);
  }

  private or(): Node {
    let left = this.and();
    while (this.isName('or')) { this.next(); left = { t: 'binary', op: 'or', left, right: this.and() }; }
    return left;
  }

  private and(): Node {
    let left = this.not();
    while (this.isName('and')) { this.next(); left = { t: 'binary', op: 'and', left, right: this.not() }; }
    return left;
  }

  private not(): Node {
    if (this.isName('not')) { this.next(); return { t: 'not', value: this.not() }; }
    return this.comparison();
  }

  private comparison(): Node {
    let left = this.arithmetic();
    for (;;) {
      const t = this.peek();
      if (t.kind === 'op' && COMPARISONS.has(t.value)) {
        this.next();
        left = { t: 'binary', op: t.value, left, right: this.arithmetic() };
      } else if (this.isName('in')) {
        this.next();
        left = { t: 'call', fn: '__in', args: [left, this.arithmetic()] };
      } else if (this.isName('not') && this.isName('in', 1)) {
        this.next();
        this.next();
        left = { t: 'not', value: { t: 'call', fn: '__in', args: [left, this.arithmetic()] } };
      } else {
        return left;
      }
    }
  }

  private arithmetic(): Node {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || !['+', '-', '*', '/', '%', '~'].includes(t.value)) return left;
      this.next();
      const right = this.unary();
      left = t.value === '~'
        ? { t: 'call', fn: '__concat', args: [left, right] }
        : { t: 'binary', op: t.value, left, right };
    }
  }

  private unary(): Node {
    if (this.isOp('-')) { this.next(); return { t: 'neg', value: this.unary() }; }
    return this.filtered();
  }

  /** Filters and tests bind tighter than arithmetic, and apply left to right. */
  private filtered(): Node {
    let value = this.postfix();
    for (;;) {
      if (this.isOp('|')) {
        this.next();
        const name = this.next();
        if (name.kind !== 'name') throw this.unexpected(name, 'a filter name');
        const args = this.isOp('(') ? this.callArguments() : [];
        const isDefault = name.value === 'default' || name.value === 'd';
        if (!isDefault && !Object.hasOwn(FILTERS, name.value)) {
          throw new ExpressionSyntaxError(`unknown filter '${name.value}'; known filters: default, ${Object.keys(FILTERS).join(', ')}`);
        }
        value = isDefault
          ? { t: 'default', value, args }
          : { t: 'call', fn: `__f_${name.value}`, args: [value, ...args] };
      } else if (this.isName('is')) {
        this.next();
        const negate = this.isName('not');
        if (negate) this.next();
        const test = this.next();
        if (test.kind !== 'name') throw this.unexpected(test, 'a test name such as defined');
        let result: Node;
        if (test.value === 'defined') result = { t: 'defined', value };
        else if (test.value === 'undefined') result = { t: 'not', value: { t: 'defined', value } };
        else if (TESTS[test.value]) result = { t: 'call', fn: TESTS[test.value]!, args: [value] };
        else throw new ExpressionSyntaxError(`unknown test 'is ${test.value}'; known tests: defined, undefined, ${Object.keys(TESTS).join(', ')}`);
        value = negate ? { t: 'not', value: result } : result;
      } else {
        return value;
      }
    }
  }

  private callArguments(): Node[] {
    this.expectOp('(');
    const args: Node[] = [];
    while (!this.isOp(')')) {
      args.push(this.or());
      if (!this.isOp(')')) this.expectOp(',');
    }
    this.expectOp(')');
    return args;
  }

  private postfix(): Node {
    const start = this.peek().pos;
    let node = this.primary();
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        const key = this.next();
        if (key.kind !== 'name' && key.kind !== 'number') throw this.unexpected(key, 'an attribute name');
        node = { t: 'get', target: node, key: { t: 'code', code: JSON.stringify(key.value) }, text: this.text.slice(start, key.pos + key.value.length) };
      } else if (this.isOp('[')) {
        this.next();
        const key = this.or();
        const close = this.peek();
        this.expectOp(']');
        node = { t: 'get', target: node, key, text: this.text.slice(start, close.pos + 1) };
      } else if (this.isOp('(')) {
        throw new ExpressionSyntaxError(`function and method calls are not supported (column ${this.peek().pos + 1}); use a filter such as "x | length"`);
      } else {
        return node;
      }
    }
  }

  private primary(): Node {
    const t = this.next();
    if (t.kind === 'string') return { t: 'code', code: JSON.stringify(t.value) };
    if (t.kind === 'number') return { t: 'code', code: t.value };
    if (t.kind === 'name') {
      if (LITERAL_NAMES[t.value]) return { t: 'code', code: LITERAL_NAMES[t.value]! };
      if (['and', 'or', 'not', 'in', 'is'].includes(t.value)) throw this.unexpected(t, 'a value');
      return { t: 'var', name: t.value };
    }
    if (t.kind === 'op' && t.value === '(') {
      const inner = this.or();
      this.expectOp(')');
      return inner;
    }
    if (t.kind === 'op' && t.value === '[') {
      const items: Node[] = [];
      while (!this.isOp(']')) {
        items.push(this.or());
        if (!this.isOp(']')) this.expectOp(',');
      }
      this.expectOp(']');
      return { t: 'list', items };
    }
    throw this.unexpected(t, 'a value');
  }
}

/** Emits expr-eval code; `optional` lookups yield undefined instead of failing (for `is defined`, `default`). */
function emit(node: Node, optional = false): string {
  switch (node.t) {
    case 'code': return node.code;
    case 'var': return `${optional ? '__optvar' : '__var'}(${JSON.stringify(node.name)})`;
    case 'get':
      return `${optional ? '__optget' : '__get'}(${emit(node.target, optional)}, ${emit(node.key)}, ${JSON.stringify(node.text)})`;
    case 'call': return `${node.fn}(${node.args.map((a) => emit(a)).join(', ')})`;
    case 'default': return `__f_default(${[emit(node.value, true), ...node.args.map((a) => emit(a))].join(', ')})`;
    case 'defined': return `__isdefined(${emit(node.value, true)})`;
    case 'binary':
      if (node.op === 'and' || node.op === 'or') return `(__truthy(${emit(node.left)}) ${node.op} __truthy(${emit(node.right)}))`;
      if (node.op === '==' || node.op === '!=') return `${node.op === '!=' ? '__not(' : '('}__equal(${emit(node.left)}, ${emit(node.right)}))`;
      return `(${emit(node.left)} ${node.op} ${emit(node.right)})`;
    case 'not': return `__not(${emit(node.value)})`;
    case 'neg': return `(-${emit(node.value)})`;
    case 'list': return `[${node.items.map((i) => emit(i)).join(', ')}]`;
  }
}

/** Translates one Ansible expression into expr-eval source text; throws ExpressionSyntaxError. */
export function translateExpression(text: string): string {
  const tokens = tokenize(text);
  if (tokens.length === 1) throw new ExpressionSyntaxError('empty expression');
  return emit(new ExpressionParser(text, tokens).parse());
}
