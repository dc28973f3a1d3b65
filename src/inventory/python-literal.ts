// Reads a value of an INI inventory the way Ansible does, with Python's ast.literal_eval: numbers (`1_000`,
// `0x1f`, `1.5e3`), quoted strings (escapes, `r''`, adjacent strings joined), True/False/None, lists, tuples,
// dicts and sets of those, a sign on a number. Anything else (`yes`, `a b`, `hello # note`) is not a literal
// and Ansible keeps the text as it is: `undefined` here tells the caller to do the same. Templating uses
// the same reader on rendered text (templated-text-types.ts), with the two differences Ansible has there.

import { WHOLE_FLOAT_ADVICE } from '../yaml/parse-yaml-document.js';

type Literal = string | number | boolean | null | Literal[] | { [key: string]: Literal };

class NotLiteral extends Error {}

/**
 * A literal holding a float with no fraction (`1.0`): etcdops would hold it as the int 1 and print it so,
 * where Ansible prints `1.0`, so the value is refused rather than read differently.
 */
export class WholeFloatLiteral extends Error {
  constructor(readonly written: string) {
    super(`the float ${written} has nothing after its point: ${WHOLE_FLOAT_ADVICE}`);
    this.name = 'WholeFloatLiteral';
  }
}

/** How rendered template text differs from an INI value (Ansible's ansible_eval_concat). */
export interface LiteralOptions {
  /** `true`, `false` and `null` read as True, False and None (Ansible rewrites JSON's names first). */
  readonly jsonNames?: boolean;
  /** Line breaks are blanks: a rendered `[` spans lines, Python joins lines inside brackets. */
  readonly lineBreaks?: boolean;
}

interface Token {
  readonly kind: 'num' | 'str' | 'name' | 'op' | 'end';
  readonly text: string;
  readonly value?: number | string;
  /** For strings: a bytes literal (b'..'), which Python will not join with a text string. */
  readonly bytes?: boolean;
  readonly imaginary?: boolean;
  /** A float with no fraction (`1.0`, `2.`, `1e3`). */
  readonly wholeFloat?: boolean;
}

const NUMBER = new RegExp(
  [
    '0[xX](?:_?[0-9a-fA-F])+',
    '0[oO](?:_?[0-7])+',
    '0[bB](?:_?[01])+',
    // Floats and decimals, with an optional exponent and `j` for imaginary numbers.
    '(?:[0-9](?:_?[0-9])*\\.(?:[0-9](?:_?[0-9])*)?|\\.[0-9](?:_?[0-9])*)(?:[eE][+-]?[0-9](?:_?[0-9])*)?[jJ]?',
    '[0-9](?:_?[0-9])*(?:[eE][+-]?[0-9](?:_?[0-9])*)[jJ]?',
    '[0-9](?:_?[0-9])*[jJ]',
    '[0-9](?:_?[0-9])*',
  ]
    .map((form) => `(?:${form})`)
    .join('|'),
  'y',
);
const STRING_PREFIX = /(?:[rR][bB]?|[bB][rR]?|[uU])?(?='|")/y;
const NAME = /[\p{L}_][\p{L}\p{N}_]*/uy;

function tokenize(text: string, lineBreaks: boolean): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\f' || (lineBreaks && (c === '\n' || c === '\r'))) {
      i++;
      continue;
    }
    if (c === '#') {
      if (!lineBreaks) break;
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(text);
    if (number && /[0-9.]/.test(c)) {
      const end = i + number[0].length;
      // `1abc` or `0123` are syntax errors in Python, so not literals.
      if (end < text.length && /[\p{L}\p{N}_.]/u.test(text[end]!)) throw new NotLiteral();
      tokens.push(numberToken(number[0]));
      i = end;
      continue;
    }
    STRING_PREFIX.lastIndex = i;
    const prefix = STRING_PREFIX.exec(text);
    if (prefix) {
      const [token, end] = readString(text, i + prefix[0].length, prefix[0].toLowerCase());
      tokens.push(token);
      i = end;
      continue;
    }
    NAME.lastIndex = i;
    const name = NAME.exec(text);
    if (name) {
      tokens.push({ kind: 'name', text: name[0] });
      i += name[0].length;
      continue;
    }
    if ('[](){},:+-'.includes(c)) {
      tokens.push({ kind: 'op', text: c });
      i++;
      continue;
    }
    throw new NotLiteral();
  }
  tokens.push({ kind: 'end', text: '' });
  return tokens;
}

function numberToken(text: string): Token {
  const clean = text.replace(/_/g, '');
  if (/[jJ]$/.test(clean)) return { kind: 'num', text, value: Number(clean.slice(0, -1)), imaginary: true };
  if (/^0[xXoObB]/.test(clean)) return { kind: 'num', text, value: Number(clean.toLowerCase()) };
  if (/^[0-9]+$/.test(clean)) {
    // Python forbids leading zeros in a decimal integer other than zero itself.
    if (/^0+[1-9]/.test(clean)) throw new NotLiteral();
  }
  const value = Number(clean);
  return { kind: 'num', text, value, ...(/[.eE]/.test(clean) && Number.isInteger(value) ? { wholeFloat: true } : {}) };
}

function readString(text: string, start: number, prefix: string): [Token, number] {
  const quote = text[start]!;
  const triple = text.startsWith(quote.repeat(3), start);
  const delimiter = triple ? quote.repeat(3) : quote;
  const raw = prefix.includes('r');
  let i = start + delimiter.length;
  let value = '';
  while (true) {
    if (i >= text.length) throw new NotLiteral();
    if (text.startsWith(delimiter, i)) break;
    const c = text[i]!;
    if (c === '\\') {
      if (i + 1 >= text.length) throw new NotLiteral();
      if (raw) {
        value += c + text[i + 1]!;
        i += 2;
        continue;
      }
      const [decoded, length] = escape(text, i + 1, prefix.includes('b'));
      value += decoded;
      i += 1 + length;
      continue;
    }
    if (!triple && c === '\n') throw new NotLiteral();
    if (prefix.includes('b') && c.charCodeAt(0) > 0x7f) throw new NotLiteral();
    value += c;
    i++;
  }
  return [{ kind: 'str', text: text.slice(start, i), value, bytes: prefix.includes('b') }, i + delimiter.length];
}

const SIMPLE_ESCAPES: Record<string, string> = { '\n': '', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** One escape after a backslash at `i`: the text it stands for and how many characters it used. */
function escape(text: string, i: number, bytes: boolean): [string, number] {
  const c = text[i]!;
  if (Object.hasOwn(SIMPLE_ESCAPES, c)) return [SIMPLE_ESCAPES[c]!, 1];
  const octal = /^[0-7]{1,3}/.exec(text.slice(i, i + 3));
  if (octal) return [String.fromCharCode(parseInt(octal[0], 8)), octal[0].length];
  const hexLength = c === 'x' ? 2 : !bytes && c === 'u' ? 4 : !bytes && c === 'U' ? 8 : 0;
  if (hexLength > 0) {
    const digits = text.slice(i + 1, i + 1 + hexLength);
    if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(digits)) throw new NotLiteral();
    const code = parseInt(digits, 16);
    if (code > 0x10ffff) throw new NotLiteral();
    return [String.fromCodePoint(code), 1 + hexLength];
  }
  // \N{NAME} needs Python's Unicode name table; such a value stays text.
  if (!bytes && c === 'N') throw new NotLiteral();
  // Python keeps an unknown escape as it is (with a warning).
  return ['\\' + c, 1];
}

class Parser {
  private position = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly jsonNames: boolean,
  ) {}

  private peek(): Token {
    return this.tokens[this.position]!;
  }

  private next(): Token {
    return this.tokens[this.position++]!;
  }

  private isOp(text: string): boolean {
    const token = this.peek();
    return token.kind === 'op' && token.text === text;
  }

  private expect(text: string): void {
    if (!this.isOp(text)) throw new NotLiteral();
    this.position++;
  }

  /** The whole input: one expression, or a bare tuple `1, 2`. */
  parseAll(): Literal {
    const first = this.expression();
    let value = first;
    if (this.isOp(',')) {
      const items = [first];
      while (this.isOp(',')) {
        this.position++;
        if (this.peek().kind === 'end') break;
        items.push(this.expression());
      }
      value = items;
    }
    if (this.peek().kind !== 'end') throw new NotLiteral();
    return value;
  }

  private expression(): Literal {
    const token = this.peek();
    if (token.kind === 'op' && (token.text === '-' || token.text === '+')) {
      this.position++;
      const operand = this.next();
      if (operand.kind !== 'num') throw new NotLiteral();
      return this.complexTail(token.text === '-' ? -(operand.value as number) : (operand.value as number), operand);
    }
    if (token.kind === 'num') {
      this.position++;
      return this.complexTail(token.value as number, token);
    }
    if (token.kind === 'str') return this.strings();
    if (token.kind === 'name') {
      this.position++;
      if (token.text === 'True') return true;
      if (token.text === 'False') return false;
      if (token.text === 'None') return null;
      if (this.jsonNames && token.text === 'true') return true;
      if (this.jsonNames && token.text === 'false') return false;
      if (this.jsonNames && token.text === 'null') return null;
      if (token.text === 'set' && this.isOp('(')) {
        this.position++;
        this.expect(')');
        return [];
      }
      throw new NotLiteral();
    }
    if (this.isOp('[')) return this.sequence('[', ']');
    if (this.isOp('(')) return this.parenthesized();
    if (this.isOp('{')) return this.braces();
    throw new NotLiteral();
  }

  /** A complex number (`1+2j`) prints as Python's `(1+2j)`, which JSON cannot hold: etcdops keeps it as text. */
  private complexTail(value: number, token: Token): Literal {
    if (token.imaginary) throw new NotLiteral();
    if (this.isOp('+') || this.isOp('-')) throw new NotLiteral();
    if (token.wholeFloat) throw new WholeFloatLiteral(token.text);
    return value;
  }

  private strings(): string {
    let value = '';
    let bytes: boolean | undefined;
    while (this.peek().kind === 'str') {
      const token = this.next();
      if (bytes !== undefined && bytes !== token.bytes) throw new NotLiteral();
      bytes = token.bytes;
      value += token.value as string;
    }
    return value;
  }

  private sequence(open: string, close: string): Literal[] {
    this.expect(open);
    const items: Literal[] = [];
    while (!this.isOp(close)) {
      items.push(this.expression());
      if (!this.isOp(',')) break;
      this.position++;
    }
    this.expect(close);
    return items;
  }

  private parenthesized(): Literal {
    this.expect('(');
    if (this.isOp(')')) {
      this.position++;
      return [];
    }
    const first = this.expression();
    if (this.isOp(')')) {
      this.position++;
      return first;
    }
    const items = [first];
    while (this.isOp(',')) {
      this.position++;
      if (this.isOp(')')) break;
      items.push(this.expression());
    }
    this.expect(')');
    return items;
  }

  private braces(): Literal {
    this.expect('{');
    if (this.isOp('}')) {
      this.position++;
      return {};
    }
    const first = this.expression();
    if (!this.isOp(':')) {
      // A set: Python orders it by hash, so its order cannot be predicted; it is kept as a list.
      const items = [first];
      while (this.isOp(',')) {
        this.position++;
        if (this.isOp('}')) break;
        items.push(this.expression());
      }
      this.expect('}');
      return items;
    }
    const result: Record<string, Literal> = {};
    let key = first;
    while (true) {
      this.expect(':');
      if (key !== null && typeof key === 'object') throw new NotLiteral();
      result[String(key)] = this.expression();
      if (!this.isOp(',')) break;
      this.position++;
      if (this.isOp('}')) break;
      key = this.expression();
    }
    this.expect('}');
    return result;
  }
}

/** The value Python's ast.literal_eval gives for `text`, or undefined when it is not a literal. */
export function literalEval(text: string, options: LiteralOptions = {}): { readonly value: Literal } | undefined {
  const { jsonNames = false, lineBreaks = false } = options;
  try {
    const trimmed = text.replace(/^[ \t]+/, '');
    if (trimmed === '' || (!lineBreaks && /[\r\n]/.test(trimmed))) return undefined;
    return { value: new Parser(tokenize(trimmed, lineBreaks), jsonNames).parseAll() };
  } catch (error) {
    if (error instanceof NotLiteral) return undefined;
    throw error;
  }
}
