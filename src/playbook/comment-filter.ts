// Ansible's `comment` filter: text turned into a comment block of a style (plain `#`, erlang `%`, c `//`,
// cblock `/* */`, xml `<!-- -->`), with the same keyword overrides (beginning, prefix, prefix_count,
// decoration, postfix, postfix_count, end, newline) and the same bytes, e.g. `{{ ansible_managed | comment }}`.
import { pyStr } from './python-values.js';

interface CommentStyle {
  readonly beginning?: string;
  readonly decoration: string;
  readonly end?: string;
}

const STYLES: Readonly<Record<string, CommentStyle>> = {
  plain: { decoration: '# ' },
  erlang: { decoration: '% ' },
  c: { decoration: '// ' },
  cblock: { beginning: '/*', decoration: ' * ', end: ' */' },
  xml: { beginning: '<!--', decoration: ' - ', end: '-->' },
};

const isOptions = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

export function commentFilter(text: unknown, ...args: unknown[]): string {
  const options = isOptions(args.at(-1)) ? (args.pop() as Record<string, unknown>) : {};
  const styleName = String(args[0] ?? options.style ?? 'plain');
  const style = STYLES[styleName];
  if (!style) throw new Error(`unknown comment style '${styleName}' (known: ${Object.keys(STYLES).join(', ')})`);
  // The prefix and postfix lines default to the style's decoration without its trailing space.
  const edge = String(options.decoration ?? style.decoration).trimEnd();
  const given = (key: string, fallback: string): string => (options[key] === undefined ? fallback : pyStr(options[key]));
  const newline = given('newline', '\n');
  const beginning = given('beginning', style.beginning ?? '');
  const prefix = given('prefix', edge);
  const decoration = given('decoration', style.decoration);
  const postfix = given('postfix', edge);
  const end = given('end', style.end ?? '');
  const prefixCount = Number(options.prefix_count ?? 1);
  const postfixCount = Number(options.postfix_count ?? 1);

  const head = beginning ? beginning + newline : '';
  const prefixLines = prefix ? (prefix === newline ? newline : prefix + newline).repeat(prefixCount) : '';
  // Every line gets the decoration; a line that is only the decoration loses its trailing spaces.
  const body = (decoration + pyStr(text).split(newline).join(newline + decoration)).split(decoration + newline).join(decoration.trimEnd() + newline);
  const postfixLines = Array.from({ length: postfixCount }, () => newline + postfix).join('');
  const tail = end ? newline + end : '';
  return head + prefixLines + body + postfixLines + tail;
}
