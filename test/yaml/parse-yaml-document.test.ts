// The one YAML reader: YAML 1.1 as Ansible reads it, for files and `-e` alike, and every bound ends in a
// ParseError at file:line (and field where known) before anything is expanded or built.
import { deepStrictEqual, strictEqual, throws } from 'node:assert';
import { ParseError } from '../../src/errors/user-error.js';
import { parseExtraVars } from '../../src/cli/extra-vars.js';
import { parseYamlDocument, yamlValue } from '../../src/yaml/parse-yaml-document.js';
import { MAX_ALIAS_EXPANSION, MAX_YAML_BYTES, MAX_YAML_DEPTH } from '../../src/yaml/input-limits.js';

function bomb(levels: number): string {
  const lines = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < levels; i++) lines.push(`l${i}: &l${i} [${Array(10).fill(i === 1 ? '*a' : `*l${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

interface Refusal {
  readonly name: string;
  readonly text: string;
  readonly line: number;
  readonly field?: string;
  readonly says: RegExp;
}

const refusals: readonly Refusal[] = [
  { name: 'billion laughs', text: bomb(9), line: 5, field: 'l4[7]', says: new RegExp(`aliases expand to more than ${MAX_ALIAS_EXPANSION} values`) },
  { name: 'merge keys that multiply', text: `${bomb(4)}m: &m {<<: *l3, x: 1}\n${Array.from({ length: 120 }, (_, i) => `n${i}: {<<: *m}`).join('\n')}\n`, line: 12, field: 'n6.<<', says: /aliases expand/ },
  { name: 'flow nesting', text: `x: ${'['.repeat(MAX_YAML_DEPTH + 1)}${']'.repeat(MAX_YAML_DEPTH + 1)}\n`, line: 1, says: new RegExp(`nested deeper than ${MAX_YAML_DEPTH} levels`) },
  { name: 'block nesting', text: Array.from({ length: MAX_YAML_DEPTH + 2 }, (_, i) => `${'  '.repeat(i)}k:`).join('\n'), line: MAX_YAML_DEPTH + 1, says: /nested deeper/ },
  { name: 'a !vault value', text: 'user: admin\npassword: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  3131\n', line: 2, field: 'password', says: /!vault value: etcdops does not decrypt Ansible Vault: decrypt the value/ },
  { name: 'a vault-encrypted file', text: '$ANSIBLE_VAULT;1.1;AES256\n3131\n', line: 1, says: /encrypted with ansible-vault/ },
  { name: 'an alias before its anchor', text: 'a: *x\nb: &x 1\n', line: 1, says: /alias|anchor/i },
  { name: 'a float with nothing after its point', text: 'etcd:\n  version: 3.0\n', line: 2, field: 'etcd.version', says: /float 3\.0 has nothing after its point: .*quote it/ },
  { name: 'a whole float in a list', text: 'ratios: [0.5, 1.]\n', line: 1, field: 'ratios[1]', says: /float 1\. has/ },
  { name: 'a whole float with an exponent', text: 'n: 1.5e+3\n', line: 1, field: 'n', says: /float 1\.5e\+3 has/ },
  { name: 'a float tag on an int', text: 'n: !!float 2\n', line: 1, field: 'n', says: /float 2 has/ },
  { name: 'a syntax error', text: 'a: [1\nb: 2\n', line: 2, says: /YAML syntax error/ },
];

describe('the YAML reader', () => {
  for (const refusal of refusals) {
    it(`refuses ${refusal.name} at its line`, () => {
      const started = Date.now();
      throws(
        () => parseYamlDocument('f.yml', refusal.text),
        (error: unknown) => {
          strictEqual(error instanceof ParseError, true);
          const where = (error as ParseError).where!;
          strictEqual(where.file, 'f.yml');
          strictEqual(where.line, refusal.line, (error as Error).message);
          if (refusal.field) strictEqual(where.field, refusal.field);
          return refusal.says.test((error as Error).message);
        },
      );
      strictEqual(Date.now() - started < 1000, true, 'refused at once');
    });
  }

  it('refuses a document larger than the cap', () => throws(() => parseYamlDocument('f.yml', `x: "${'a'.repeat(MAX_YAML_BYTES)}"\n`), /larger than/));

  it('reads aliases and merge keys that real files use', () => {
    const value = yamlValue(parseYamlDocument('f.yml', 'd: &d {user: root, port: 22}\nh1: {<<: *d, port: 2222}\nh2: *d\n')) as Record<string, unknown>;
    deepStrictEqual(value.h1, { user: 'root', port: 2222 });
    deepStrictEqual(value.h2, { user: 'root', port: 22 });
  });

  it('keeps floats with a fraction, quoted text and ints as they are', () => {
    deepStrictEqual(yamlValue(parseYamlDocument('f.yml', 'a: 1.5\nb: "3.0"\nc: 3\nd: 0x10\ne: .5\n')), { a: 1.5, b: '3.0', c: 3, d: 16, e: 0.5 });
  });

  it('brackets inside quotes and comments are not nesting', () => {
    const text = `a: '${'['.repeat(300)}'\nb: "${'{'.repeat(300)}"\n# ${'['.repeat(300)}\n`;
    deepStrictEqual(Object.keys(yamlValue(parseYamlDocument('f.yml', text)) as object), ['a', 'b']);
  });
});

describe('-e through the same reader', () => {
  const table: [string, Record<string, unknown>][] = [
    ['{mode: 0644}', { mode: 0o644 }],
    ['{flag: yes, other: off}', { flag: true, other: false }],
    ['{"json": [1, "a"]}', { json: [1, 'a'] }],
    ['mode=0644 flag=yes', { mode: '0644', flag: 'yes' }],
    ['version=3.0', { version: '3.0' }],
  ];
  for (const [text, value] of table) it(`-e ${text}`, () => deepStrictEqual(parseExtraVars([text]), value));

  it("-e '{' is a ParseError at the option, line and column", () => {
    throws(() => parseExtraVars(['{']), (error: unknown) => error instanceof ParseError && /^-e '\{':1:2: YAML syntax error/.test((error as Error).message));
  });
  it('-e @/dev/zero is refused as not a regular file', () => {
    throws(() => parseExtraVars(['@/dev/zero']), (error: unknown) => error instanceof ParseError && /\/dev\/zero: .*not a regular file/.test((error as Error).message));
  });
  it('-e with a list is not a mapping', () => throws(() => parseExtraVars(['[1, 2]']), /must be a mapping/));
});
