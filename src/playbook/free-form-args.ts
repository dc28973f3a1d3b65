// Ansible's reading of a module's arguments written as one string (`file: path=/x state=touch`,
// `command: ls creates=/x`): words split as its split_args does (quotes and Jinja blocks keep spaces),
// `key=value` words taken out as options, and for command-like modules every other word left, in order,
// as the command line. Done on the text before templating, as Ansible does, so a template never adds options.

/** Modules whose string is a command line (Ansible's FREEFORM_ACTIONS); only listed words are options. */
export const COMMAND_LIKE_MODULES: readonly string[] = ['command', 'shell', 'raw', 'script'];

/** The words Ansible 2.14 takes out of a command line as options (all others stay in the command). */
export const COMMAND_OPTION_WORDS: readonly string[] = [
  'creates', 'removes', 'chdir', 'executable', 'warn', 'stdin', 'stdin_add_newline', 'strip_empty_ends',
];

/** A string argument Ansible would refuse to split; the message says why. */
export class FreeFormProblem extends Error {}

export interface FreeFormArgs {
  /** The `key=value` options, values unquoted and escapes decoded. */
  readonly options: Readonly<Record<string, string>>;
  /** The words that are not options, joined back as written; undefined when there are none. */
  readonly rest?: string;
}

const occurrences = (text: string, part: string): number => text.split(part).length - 1;

/** The quote still open after `token`, given the one open before it (a backslash escapes a quote). */
function openQuoteAfter(token: string, open: string | undefined): string | undefined {
  let quote = open;
  for (let i = 0; i < token.length; i++) {
    const char = token[i]!;
    if ((char !== '"' && char !== "'") || (i > 0 && token[i - 1] === '\\')) continue;
    if (quote === undefined) quote = char;
    else if (char === quote) quote = undefined;
  }
  return quote;
}

/** Splits on spaces and newlines, joining back words split inside quotes or `{{ }}`, `{% %}`, `{# #}`. */
export function splitArgs(text: string): string[] {
  const words: string[] = [];
  const appendToLast = (part: string): void => {
    if (words.length === 0) throw new FreeFormProblem('Unable to parse argument string (it starts with spaces or a blank line)');
    words[words.length - 1] += part;
  };
  let quote: string | undefined;
  const depth = { print: 0, block: 0, comment: 0 };
  const delimiters = { print: ['{{', '}}'], block: ['{%', '%}'], comment: ['{#', '#}'] } as const;
  const inJinja = (): boolean => depth.print + depth.block + depth.comment > 0;
  const lines = text.split('\n');
  for (const [lineIndex, line] of lines.entries()) {
    const tokens = line.split(' ');
    let continued = false;
    for (const [index, token] of tokens.entries()) {
      // Runs of spaces are kept on the word before them, so the command line keeps its spacing.
      if (token === '' && index !== 0) {
        appendToLast(' ');
        continue;
      }
      if (token === '\\' && quote === undefined) {
        continued = true;
        continue;
      }
      const wasQuoted = quote !== undefined;
      quote = openQuoteAfter(token, quote);
      const quoted = quote !== undefined;
      let appended = false;
      if (quoted && !wasQuoted && !inJinja()) {
        words.push(token);
        appended = true;
      } else if (inJinja() || quoted || wasQuoted) {
        if (index === 0 && wasQuoted) appendToLast(token);
        else if (tokens.length > 1) appendToLast(`${index > 0 ? ' ' : ''}${token}`);
        else appendToLast(`\n${token}`);
        appended = true;
      }
      for (const kind of ['print', 'block', 'comment'] as const) {
        const [open, close] = delimiters[kind];
        const change = occurrences(token, open) - occurrences(token, close);
        if (change === 0) continue;
        const before = depth[kind];
        depth[kind] = Math.max(0, before + change);
        if (depth[kind] !== before && !appended) {
          words.push(token);
          appended = true;
        }
      }
      if (!inJinja() && !quoted && !appended && token !== '') words.push(token);
    }
    if (lines.length > 1 && lineIndex !== lines.length - 1 && !continued) appendToLast('\n');
  }
  if (inJinja() || quote !== undefined) {
    throw new FreeFormProblem(`failed at splitting arguments, either an unbalanced jinja2 block or quotes: ${text}`);
  }
  return words;
}

/** Joins split words back with one space, keeping the spaces and newlines each word carries. */
function joinWords(words: readonly string[]): string {
  return words.reduce((line, word) => (line === '' || line.endsWith('\n') ? line + word : `${line} ${word}`), '');
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

/** Python's backslash escapes (`\n`, `\x41`, `\u00e9`, `\U0001F600`) as Ansible decodes them in `key=value` words. */
function decodeEscapes(word: string): string {
  return word.replace(/\\U[0-9a-fA-F]{8}|\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}|\\N\{[^}]+\}|\\[\\'"abfnrtv]/g, (escape) => {
    const kind = escape[1]!;
    if (kind === 'N') throw new FreeFormProblem(`named escapes such as ${escape} are not supported; write the character itself`);
    if (kind === 'U' || kind === 'u' || kind === 'x') {
      const code = Number.parseInt(escape.slice(2), 16);
      if (code > 0x10ffff) throw new FreeFormProblem(`${escape} is not a Unicode character`);
      return String.fromCodePoint(code);
    }
    return SIMPLE_ESCAPES[kind]!;
  });
}

const unquote = (value: string): string =>
  value.length > 1 && value[0] === value.at(-1) && (value[0] === '"' || value[0] === "'") && value.at(-2) !== '\\' ? value.slice(1, -1) : value;

/** The first `=` that is not escaped and not the word's first character, or -1. */
function separatorIndex(word: string): number {
  for (let i = word.indexOf('=', 1); i !== -1; i = word.indexOf('=', i + 1)) {
    if (word[i - 1] !== '\\') return i;
  }
  return -1;
}

/**
 * Ansible's parse_kv: with `commandLike`, only COMMAND_OPTION_WORDS become options and the other words are
 * the command; otherwise every `key=value` word is an option and other words are left in `rest`.
 */
export function parseFreeForm(text: string, commandLike: boolean): FreeFormArgs {
  const options: Record<string, string> = {};
  const rest: string[] = [];
  for (const word of splitArgs(text)) {
    const decoded = decodeEscapes(word);
    if (!decoded.includes('=')) {
      rest.push(word);
      continue;
    }
    const at = separatorIndex(decoded);
    if (at === -1) {
      rest.push(decoded.replaceAll('\\=', '='));
      continue;
    }
    const key = decoded.slice(0, at);
    if (commandLike && !COMMAND_OPTION_WORDS.includes(key)) rest.push(word);
    else options[key.trim()] = unquote(decoded.slice(at + 1).trim());
  }
  return rest.length > 0 ? { options, rest: joinWords(rest) } : { options };
}
