// Shell quoting for POSIX sh: every value that reaches a command line goes through here, so no user
// value is ever interpreted by the remote shell.

/** A fragment already written as shell code (built with `sh` or from constants), embedded as-is. */
export class ShellCode {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Quotes one word for POSIX sh: single quotes, with embedded single quotes closed and escaped. */
export function quote(value: string | number): string {
  const text = String(value);
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Quotes each word and joins them with spaces. */
export function quoteArgv(argv: readonly (string | number)[]): string {
  return argv.map(quote).join(' ');
}

type ShellValue = string | number | ShellCode | readonly (string | number)[];

/**
 * Tagged template for shell code: the literal parts are code, every interpolated value is quoted
 * (arrays become several quoted words) unless it is a `ShellCode` fragment.
 */
export function sh(strings: TemplateStringsArray, ...values: ShellValue[]): ShellCode {
  let text = strings[0];
  values.forEach((value, i) => {
    if (value instanceof ShellCode) text += value.text;
    else if (Array.isArray(value)) text += quoteArgv(value);
    else text += quote(value as string | number);
    text += strings[i + 1];
  });
  return new ShellCode(text);
}

/** Joins code fragments with a separator (newline by default). */
export function joinCode(parts: readonly ShellCode[], separator = '\n'): ShellCode {
  return new ShellCode(parts.map((p) => p.text).join(separator));
}

/**
 * Splits a command line into words the way a shell would for simple commands (quotes and backslashes),
 * without expanding anything; used by the `command` module, which must not run a shell.
 */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quoteChar: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoteChar === "'") {
      if (c === "'") quoteChar = null;
      else word += c;
    } else if (quoteChar === '"') {
      if (c === '"') quoteChar = null;
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quoteChar = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quoteChar) throw new Error(`unterminated ${quoteChar} quote in: ${line}`);
  if (inWord) words.push(word);
  return words;
}
