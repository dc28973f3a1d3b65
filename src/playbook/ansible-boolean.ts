// Ansible's yes/no words, in one place. Ansible itself reads them three ways, and etcdops must match each:
// a module argument (`key=value` words) takes the full set of boolean(); the `bool` filter takes only
// yes/on/1/true and calls everything else false; set_fact turns only true/false/yes/no strings into
// booleans. The words are compared in lower case, never trimmed. A templated keyword takes boolean() strictly.
import { UserError, type SourceLocation } from '../errors/user-error.js';

/** Ansible's boolean() (module_utils/parsing/convert_bool.py): what a module argument accepts as a boolean. */
const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = {
  y: true, yes: true, on: true, '1': true, true: true, t: true,
  n: false, no: false, off: false, '0': false, false: false, f: false,
};

/** The words the `bool` filter reads as true. */
const FILTER_TRUE_WORDS: readonly string[] = ['yes', 'on', '1', 'true'];

/** The only strings set_fact turns into booleans. */
const SET_FACT_WORDS: readonly string[] = ['true', 'false', 'yes', 'no'];

/** A module argument word as a boolean, or undefined when it is not one of Ansible's boolean words. */
export function booleanWord(word: string): boolean | undefined {
  return BOOLEAN_WORDS[word.toLowerCase()];
}

/** Ansible's `bool` filter: None stays None; true for true, 1 and the strings yes/on/1/true (any case); false otherwise. */
export function boolFilter(value: unknown): boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1;
  return typeof value === 'string' && FILTER_TRUE_WORDS.includes(value.toLowerCase());
}

/** A set_fact value: the strings true/false/yes/no (any case) become booleans, anything else is kept. */
export function setFactValue(value: unknown): unknown {
  if (typeof value !== 'string' || !SET_FACT_WORDS.includes(value.toLowerCase())) return value;
  return booleanWord(value);
}

/**
 * A templated boolean keyword (`ignore_errors: "{{ flag }}"`) as Ansible's strict boolean() reads it:
 * a boolean, 0/1, or one of the yes/no words; anything else is an error naming the keyword.
 */
export function keywordBoolean(value: unknown, keyword: string, where: SourceLocation): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  const word = typeof value === 'string' ? booleanWord(value) : undefined;
  if (word !== undefined) return word;
  throw new UserError(`${keyword} rendered to ${JSON.stringify(value)}, which is not a boolean (give true/false, yes/no, on/off or 1/0)`, undefined, where);
}
