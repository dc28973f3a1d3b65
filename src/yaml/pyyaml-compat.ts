// How etcdops reads YAML: as Ansible's PyYAML does (YAML 1.1: `yes`/`on` are true, `0644` is octal),
// except that a lone `y` or `n` stays a string, as it does for PyYAML. `!unsafe` marks a string that
// templating must never render (it may hold `{{` meant literally, or come from an untrusted source).
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

function ansibleTags(tags: Tags): Tags {
  const adjusted = tags.map((tag) => {
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
