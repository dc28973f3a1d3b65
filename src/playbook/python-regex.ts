// Python `re` patterns and `match.expand` templates, as Ansible's filters, tests, lineinfile and blockinfile
// use them, run with JavaScript's RegExp (under a time limit, see user-regex.ts): the syntax that differs
// (named groups, inline flags, \A \Z) is translated and what cannot be translated is refused with a
// message, never matched differently in silence.
import { TaskFailure } from '../modules/task-failure.js';
import { UserRegex } from './user-regex.js';

/** Longest pattern accepted: patterns come from playbooks, and a bound keeps a typo from becoming a hang. */
const PATTERN_LIMIT = 4096;

/** Compiles a Python pattern; `what` names the argument in errors (e.g. "regexp"); `given` holds flags asked for outside it ("i", "m"). */
export function pythonRegex(pattern: string, what: string, given = ''): UserRegex {
  if (pattern.length > PATTERN_LIMIT) throw new TaskFailure(`${what} is longer than ${PATTERN_LIMIT} characters`);
  let flags = given;
  let body = pattern;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(body);
  if (inline) {
    body = body.slice(inline[0].length);
    for (const flag of inline[1]!) {
      if (flag === 'i' || flag === 'm' || flag === 's') flags += flags.includes(flag) ? '' : flag;
      else if (flag !== 'a' && flag !== 'u') throw new TaskFailure(`${what}: the inline flag (?${flag}) is not supported; write the pattern without it`);
    }
  }
  // Walk the pattern so that escaped text and character classes are copied as they are.
  let out = '';
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\') {
      const next = body[i + 1] ?? '';
      if (next === 'A' && !inClass) out += '(?<![\\s\\S])';
      else if (next === 'Z' && !inClass) out += '(?![\\s\\S])';
      else out += c + next;
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      // A "]" right after "[" or "[^" is a literal in Python; JavaScript needs it escaped.
      if (body[i + 1] === '^') out += body[++i];
      if (body[i + 1] === ']') {
        out += '\\]';
        i++;
      }
    } else if (body.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
    } else if (body.startsWith('(?P=', i)) {
      const end = body.indexOf(')', i);
      out += `\\k<${body.slice(i + 4, end)}>`;
      i = end;
    } else if (body.startsWith('(?#', i)) {
      i = body.indexOf(')', i);
    } else if (body.startsWith('(?', i) && /^\(\?[aiLmsux-]+[:)]/.test(body.slice(i))) {
      throw new TaskFailure(`${what}: inline flags are supported only at the start of the pattern`);
    } else {
      out += c;
    }
  }
  try {
    return new UserRegex(new RegExp(out, flags), pattern, what);
  } catch (error) {
    throw new TaskFailure(`${what} ${JSON.stringify(pattern)} is not a valid regular expression: ${(error as Error).message}`);
  }
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' };

/** Python's `match.expand(template)`: \1, \g<1>, \g<name> and the character escapes; a group that did not take part is ''. */
export function expandTemplate(template: string, match: RegExpExecArray): string {
  let out = '';
  const group = (ref: string): string => {
    const value = /^\d+$/.test(ref) ? match[Number(ref)] : match.groups?.[ref];
    if (/^\d+$/.test(ref) ? Number(ref) >= match.length : !match.groups || !(ref in match.groups)) {
      throw new TaskFailure(`line refers to group ${ref}, which regexp does not have`);
    }
    return value ?? '';
  };
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const rest = template.slice(i + 1);
    const named = /^g<([^>]*)>/.exec(rest);
    const numbered = /^\d{1,2}/.exec(rest);
    if (named) {
      out += group(named[1]!);
      i += named[0].length;
    } else if (numbered && numbered[0] !== '0' && !numbered[0].startsWith('0')) {
      out += group(numbered[0]);
      i += numbered[0].length;
    } else if (rest[0] !== undefined && rest[0] in ESCAPES) {
      out += ESCAPES[rest[0]];
      i++;
    } else if (rest[0] !== undefined && /[A-Za-z0-9]/.test(rest[0])) {
      throw new TaskFailure(`line: bad escape \\${rest[0]} (Python's templates refuse it)`);
    } else {
      out += c;
    }
  }
  return out;
}
