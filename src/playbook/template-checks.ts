// Checks on a task's templates made at load, before any host changes: every Jinja text parses and
// names only known filters and tests, and every value templated into a shell line is quoted.
import { ParseError, type SourceLocation } from '../errors/user-error.js';
import { UnsafeText } from '../yaml/pyyaml-compat.js';
import { KNOWN_FILTERS, KNOWN_TESTS } from './condition.js';
import { jinjaSyntaxProblem } from './jinja-engine.js';
import { escapeBackslashes, hasJinja, splitTemplate, tokenize, type Token } from './jinja-source.js';

type PathSegment = string | number;

/** Every templated string inside `value`, with its path. */
function templatedStrings(value: unknown, path: readonly PathSegment[], out: [readonly PathSegment[], string][] = []): [readonly PathSegment[], string][] {
  if (value instanceof UnsafeText) return out;
  if (typeof value === 'string') {
    if (hasJinja(value)) out.push([path, value]);
  } else if (Array.isArray(value)) value.forEach((v, i) => templatedStrings(v, [...path, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) templatedStrings(v, [...path, k], out);
  return out;
}

/** Throws a ParseError for the first template in `value` that does not parse; `locate` maps a path to file:line. */
export function checkTemplates(value: unknown, locate: (path: readonly PathSegment[]) => SourceLocation): void {
  for (const [path, text] of templatedStrings(value, [])) {
    const problem = jinjaSyntaxProblem(escapeBackslashes(text), KNOWN_FILTERS, KNOWN_TESTS);
    if (problem) {
      const where = locate(path);
      const clipped = text.trim().length > 60 ? `${text.trim().slice(0, 57)}...` : text.trim();
      throw new ParseError(`invalid Jinja in "${clipped}": ${problem.message}`, where);
    }
  }
}

/** Whether an expression's whole value passes through `quote` last (nothing may follow or bypass it). */
function endsQuoted(tokens: readonly Token[]): boolean {
  let depth = 0;
  let lastPipe = -1;
  let conditional = false;
  tokens.forEach((token, i) => {
    if (token.kind === 'name' && depth === 0 && token.value === 'if') conditional = true;
    if (token.kind !== 'op') return;
    if (['(', '[', '{'].includes(token.value)) depth++;
    else if ([')', ']', '}'].includes(token.value)) depth--;
    else if (token.value === '|' && depth === 0) lastPipe = i;
  });
  const filter = tokens[lastPipe + 1];
  if (conditional || lastPipe < 0 || filter?.kind !== 'name' || filter.value !== 'quote') return false;
  const rest = tokens.slice(lastPipe + 2);
  return rest.length === 0 || (rest[0]!.value === '(' && rest.at(-1)!.value === ')');
}

/** The first `{{ expr }}` in a shell line whose value is not quoted with `| quote`, or undefined. */
export function unquotedShellValue(text: string): string | undefined {
  for (const block of splitTemplate(text)) {
    if (block.kind !== 'expr') continue;
    try {
      if (!endsQuoted(tokenize(block.code))) return block.raw;
    } catch {
      return block.raw;
    }
  }
  return undefined;
}

/** Refuses a `shell:`/`command:` line that pastes a templated value unquoted (a value could run commands). */
export function checkShellQuoting(module: string, args: Readonly<Record<string, unknown>>, where: SourceLocation): void {
  if (module !== 'shell' && module !== 'command') return;
  const line = args.cmd;
  if (typeof line !== 'string') return;
  const unquoted = unquotedShellValue(line);
  if (unquoted) {
    const fix = unquoted.replace(/\s*-?\}\}$/, ' | quote }}').replace(/^\{\{-?\s*/, '{{ ');
    throw new ParseError(
      `${module}: ${unquoted} is pasted into the shell line unquoted, so a value with spaces, quotes or $(...) changes the command; write ${fix}`,
      where,
    );
  }
}
