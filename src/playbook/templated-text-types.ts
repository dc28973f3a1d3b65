// The type a templated string gets, as Ansible 2.14 gives it with its default settings (jinja2_native off):
// the template renders to text, and only text that reads as a list, a dict, `True` or `False` becomes that
// value again (Python's literal_eval, JSON's true/false/null allowed); numbers stay strings, so
// `x: "{{ 5 }}"` is '5'. Two exceptions keep a value: `"{{ name }}"` of a variable holding a number, a
// bool or None returns it untouched, and text whose last step is a string filter (`to_json`, `string`...)
// stays text.
import { literalEval } from '../inventory/python-literal.js';
import { tokenize, type Token } from './jinja-source.js';

/** Ansible's STRING_TYPE_FILTERS: their output is never read back as a literal. */
const STRING_TYPE_FILTERS = new Set(['string', 'to_json', 'to_nice_json', 'to_yaml', 'to_nice_yaml', 'ppretty', 'json']);

/** Ansible's SINGLE_VAR: the whole string is `{{ name }}`, nothing around the braces. */
const SINGLE_VARIABLE = /^\{\{\s*(\w*)\s*\}\}$/;

/** The variable a string names as a whole (`{{ name }}`), or undefined. */
export function singleVariable(text: string): string | undefined {
  return SINGLE_VARIABLE.exec(text)?.[1] || undefined;
}

/** Values Ansible's SINGLE_VAR shortcut hands back as they are, without rendering them to text. */
export function keepsItsType(value: unknown): boolean {
  return value === null || typeof value === 'number' || typeof value === 'boolean';
}

const OPENING: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };

/** The index of the token closing the bracket opened at `open`. */
function closingOf(tokens: readonly Token[], open: number): number {
  const closers: string[] = [];
  for (let i = open; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind !== 'op') continue;
    if (OPENING[token.value]) closers.push(OPENING[token.value]!);
    else if (token.value === closers.at(-1)) {
      closers.pop();
      if (closers.length === 0) return i;
    }
  }
  return -1;
}

/**
 * Whether the expression's last step is a string filter (`x | to_json`, `x | string`): its output is
 * Ansible's NativeJinjaText. Only a chain of filters on one operand counts; `a ~ b | to_json` ends in `~`, and a string filter in
 * one branch of `x if c else y` is not seen (Ansible decides by the value).
 */
export function endsInStringFilter(expression: string): boolean {
  let tokens: Token[];
  try {
    tokens = tokenize(expression);
  } catch {
    return false;
  }
  // `(x | to_json)`: the parentheses change nothing about the value.
  const [first, end] = [tokens[0], tokens.at(-1)];
  if (first?.kind === 'op' && first.value === '(' && end?.kind === 'op' && end.value === ')' && closingOf(tokens, 0) === tokens.length - 1) {
    return endsInStringFilter(expression.slice(first.pos + 1, end.pos));
  }
  let last: string | undefined;
  const closers: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'op' && OPENING[token.value]) {
      closers.push(OPENING[token.value]!);
      continue;
    }
    if (closers.length > 0) {
      if (token.kind === 'op' && token.value === closers.at(-1)) closers.pop();
      continue;
    }
    if (token.kind === 'op' && token.value === '|') {
      const name = tokens[i + 1];
      last = name?.kind === 'name' ? name.value : undefined;
      i++;
      continue;
    }
    if (token.kind === 'op' && token.value !== '.') return false;
    if (token.kind === 'name' && ['and', 'or', 'not', 'in', 'is', 'if', 'else'].includes(token.value)) return false;
    // An operand after a filter's name (other than its arguments) means something else follows.
    if (last !== undefined && token.kind !== 'op') return false;
  }
  return last !== undefined && STRING_TYPE_FILTERS.has(last);
}

/** Rendered text as Ansible types it: a list, dict or bool when it reads as one, else the text. */
export function typedText(text: string): unknown {
  if (!(text.startsWith('{') || text.startsWith('[') || text === 'True' || text === 'False')) return text;
  const literal = literalEval(text, { jsonNames: true, lineBreaks: true });
  return literal === undefined ? text : literal.value;
}
