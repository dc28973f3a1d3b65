// Host patterns as used by `hosts:` and `--limit`, read the way Ansible 2.14 reads them: terms separated by
// `,` (or `:`), each optionally prefixed by `&` (intersection) or `!` (exclusion); a term is a host or group
// name, a shell-style wildcard, or `~regex`, optionally followed by a subscript `[i]`, `[a:b]` or `[a:]`.
// A `~regex` runs on RE2 (linear time, so no pattern can backtrack without bound); RE2 reads Python's syntax
// that Ansible users write (`(?P<name>...)`, `(?i)`) but has no backreferences or lookarounds.
import type { RE2JS } from 're2js';
import { onFirstUse } from '../startup/on-first-use.js';
import { UserError } from '../errors/user-error.js';
import { ExitCode } from '../errors/exit-code.js';
import { parseHostAddress } from './host-address.js';
import { MAX_PATTERN_REGEX_LENGTH } from '../yaml/input-limits.js';

export enum TermKind {
  /** Hosts are added, in order. */
  UNION = 'UNION',
  /** Keeps only hosts also matched by this term (`&`). */
  INTERSECTION = 'INTERSECTION',
  /** Removes hosts matched by this term (`!`). */
  EXCLUSION = 'EXCLUSION',
}

export interface PatternTerm {
  readonly kind: TermKind;
  /** The term as written, without its `&`/`!` prefix. */
  readonly text: string;
  /** The term without its subscript. */
  readonly expression: string;
  /** Tests a host or group name. */
  readonly matches: (name: string) => boolean;
  /** `[i]` picks one host; `[a:b]` picks a range, both ends included (`end` -1 means "to the last"). */
  readonly subscript?: { readonly start: number; readonly end?: number };
}

/** RE2 loads only for a pattern with a wildcard or a `~regex`: a plain name or group is compared as it is. */
const re2js = onFirstUse<typeof import('re2js')>('re2js');

const subscripted = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/;
const colonTerm = /(?:[^\s:[\]]|\[[^\]]*\])+/g;
const colonPattern = /^[\s:]*(?:(?:[^\s:[\]]|\[[^\]]*\])+[\s:]*)*$/;

/** A pattern error: bad syntax or an impossible subscript. */
export class HostPatternError extends UserError {
  constructor(message: string, pattern: string) {
    super(`host pattern '${pattern}': ${message}`, ExitCode.BAD_OPTIONS);
    this.name = 'HostPatternError';
  }
}

/** Splits a pattern into terms; a comma wins over a colon, which also appears in addresses and ranges. */
export function splitHostPattern(pattern: string): string[] {
  let terms: string[];
  if (pattern.includes(',')) {
    terms = pattern.split(',');
  } else if (parseHostAddress(pattern)) {
    terms = [pattern];
  } else {
    if (!colonPattern.test(pattern)) throw new HostPatternError("unbalanced '[' or ']'", pattern);
    terms = pattern.match(colonTerm) ?? [];
  }
  return terms.map((term) => term.trim()).filter((term) => term.length > 0);
}

/**
 * Parses a pattern into terms in evaluation order: unions first, then intersections, then exclusions
 * (a pattern of only `&`/`!` terms starts from `all`). Throws HostPatternError on bad syntax.
 */
export function parseHostPattern(pattern: string): PatternTerm[] {
  const union: PatternTerm[] = [];
  const intersection: PatternTerm[] = [];
  const exclusion: PatternTerm[] = [];
  for (const raw of splitHostPattern(pattern)) {
    const prefix = raw[0];
    const kind = prefix === '&' ? TermKind.INTERSECTION : prefix === '!' ? TermKind.EXCLUSION : TermKind.UNION;
    const text = kind === TermKind.UNION ? raw : raw.slice(1).trim();
    if (!text) throw new HostPatternError(`'${prefix}' must be followed by a host, group or pattern`, pattern);
    const term = parseTerm(kind, text, pattern);
    (kind === TermKind.UNION ? union : kind === TermKind.INTERSECTION ? intersection : exclusion).push(term);
  }
  if (union.length === 0) union.push(parseTerm(TermKind.UNION, 'all', pattern));
  return [...union, ...intersection, ...exclusion];
}

function parseTerm(kind: TermKind, text: string, pattern: string): PatternTerm {
  if (text.startsWith('~')) {
    const source = text.slice(1);
    if (source.length > MAX_PATTERN_REGEX_LENGTH) throw new HostPatternError(`regular expression longer than ${MAX_PATTERN_REGEX_LENGTH} characters`, pattern);
    let regex: RE2JS;
    try {
      regex = re2js().RE2JS.compile(source);
    } catch (error) {
      const reason = (error as Error).message.replace(/^error parsing regexp: /, '');
      throw new HostPatternError(`invalid regular expression ${source}: ${reason} (RE2 syntax: no backreferences or lookarounds)`, pattern);
    }
    // Python's re.match, as Ansible uses: anchored at the start of the name only.
    return { kind, text, expression: text, matches: (name) => regex.matcher(name).lookingAt() };
  }
  let expression = text;
  let subscript: PatternTerm['subscript'];
  const match = subscripted.exec(text);
  if (match) {
    expression = match[1]!;
    if (match[2] !== undefined) subscript = { start: Number(match[2]) };
    // Ansible still reads the old `[x-y]` form as `[x:y]` (with a warning), so it is read the same way here.
    else subscript = { start: Number(match[3]), end: match[5] ? Number(match[5]) : -1 };
  }
  if (!/[*?[]/.test(expression)) return { kind, text, expression, matches: (name) => name === expression, ...(subscript ? { subscript } : {}) };
  const glob = globToRegExp(expression, pattern);
  return { kind, text, expression, matches: (name) => glob.matcher(name).matches(), ...(subscript ? { subscript } : {}) };
}

/** Shell-style wildcards as Python's fnmatch reads them: `*`, `?`, `[seq]`, `[!seq]`; case-sensitive; run on RE2 too. */
function globToRegExp(glob: string, pattern: string): RE2JS {
  let source = '';
  let i = 0;
  while (i < glob.length) {
    const c = glob[i++]!;
    if (c === '*') {
      if (!source.endsWith('.*')) source += '.*';
    } else if (c === '?') {
      source += '.';
    } else if (c === '[') {
      let j = i;
      if (glob[j] === '!') j++;
      if (glob[j] === ']') j++;
      while (j < glob.length && glob[j] !== ']') j++;
      if (j >= glob.length) {
        source += '\\[';
      } else {
        let set = glob.slice(i, j).replace(/\\/g, '\\\\');
        i = j + 1;
        if (set.startsWith('!')) set = '^' + set.slice(1);
        else if (set.startsWith('^') || set.startsWith('[')) set = '\\' + set;
        source += `[${set}]`;
      }
    } else {
      source += c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    }
  }
  try {
    return re2js().RE2JS.compile(`^(?:${source})$`, re2js().RE2JS.DOTALL);
  } catch (error) {
    throw new HostPatternError(`invalid wildcard ${glob}: ${(error as Error).message}`, pattern);
  }
}
