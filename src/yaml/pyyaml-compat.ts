// How etcdops reads YAML: as Ansible's PyYAML does (YAML 1.1: `yes`/`on` are true, `0644` is octal),
// where the YAML library's 1.1 schema differs: a lone `y` or `n` stays a string, floats follow PyYAML's
// stricter pattern (`1e3` is a string), and a timestamp (`2026-01-02`) is the text Python prints for the
// date PyYAML builds, which is what Ansible's templates show of it.
// `!unsafe` marks a string that templating must never render (it may hold `{{` meant literally, or come
// from an untrusted source).
import type { ParseOptions, DocumentOptions, SchemaOptions, Tags } from 'yaml';

const TRUE = /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const FALSE = /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;

/** A `!unsafe` string: templating passes it through as text, never rendering what it holds. */
export class UnsafeText {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }

  toJSON(): string {
    return this.text;
  }
}

const unsafeTag = {
  tag: '!unsafe',
  identify: (value: unknown) => value instanceof UnsafeText,
  resolve: (value: string): UnsafeText => new UnsafeText(value),
};

/** PyYAML's implicit timestamp: a date with two-digit month and day, or a date and time (an optional zone). */
const TIMESTAMP =
  /^(?:([0-9]{4})-([0-9]{2})-([0-9]{2})|([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/;

/** PyYAML's floats: a dot is required, and an exponent needs its sign (`1e3` and `1.5e3` stay strings). */
const FLOAT = /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*|\.[0-9_]+)$/;
const FLOAT_EXPONENT = /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*|\.[0-9_]+)[eE][-+][0-9]+$/;

const two = (digits: string): string => digits.padStart(2, '0');

/** Python's str() of the date or datetime PyYAML makes of a timestamp: `2026-01-02`, `2026-01-02 03:04:05.500000+01:00`. */
export function pythonTimestampText(text: string): string {
  const m = TIMESTAMP.exec(text);
  if (!m) return text;
  if (m[1] !== undefined) return text;
  const [, , , , year, month, day, hour, minute, second, fraction, zone] = m;
  let out = `${year}-${two(month!)}-${two(day!)} ${two(hour!)}:${minute}:${second}`;
  const micro = (fraction ?? '').slice(0, 6).padEnd(6, '0');
  if (/[1-9]/.test(micro)) out += `.${micro}`;
  if (zone !== undefined) {
    const [h, mm] = zone === 'Z' ? ['0', '00'] : zone.slice(1).split(':');
    out += `${zone.startsWith('-') ? '-' : '+'}${two(h!)}:${mm ?? '00'}`;
  }
  return out;
}

const timestampTag = {
  tag: 'tag:yaml.org,2002:timestamp',
  default: true,
  test: TIMESTAMP,
  resolve: pythonTimestampText,
};

function ansibleTags(tags: Tags): Tags {
  const adjusted = tags.map((tag) => {
    if (typeof tag === 'object' && tag.tag === 'tag:yaml.org,2002:timestamp') return timestampTag;
    if (typeof tag === 'object' && tag.tag === 'tag:yaml.org,2002:float' && tag.test?.test('1.5')) return { ...tag, test: FLOAT };
    if (typeof tag === 'object' && tag.tag === 'tag:yaml.org,2002:float' && tag.test?.test('1.5e+3')) return { ...tag, test: FLOAT_EXPONENT };
    if (typeof tag !== 'object' || tag.tag !== 'tag:yaml.org,2002:bool' || !('test' in tag) || !tag.test) return tag;
    return { ...tag, test: tag.test.test('yes') ? TRUE : FALSE };
  });
  return [...adjusted, unsafeTag] as Tags;
}

export const yamlOptions: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  merge: true,
  prettyErrors: false,
  customTags: ansibleTags,
};
