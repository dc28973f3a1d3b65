import { deepStrictEqual } from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { UnsafeText, yamlOptions } from '../../src/yaml/pyyaml-compat.js';

describe('YAML as Ansible reads it', () => {
  const table: [string, unknown][] = [
    ['yes', true], ['on', true], ['True', true], ['ON', true],
    ['no', false], ['Off', false], ['false', false], ['NO', false],
    ['y', 'y'], ['n', 'n'], ['Y', 'Y'],
    ['0644', 0o644], ['1.5', 1.5], ['x', 'x'], ["!unsafe '{{ x }}'", new UnsafeText('{{ x }}')],
  ];
  for (const [text, value] of table) {
    it(`${text} → ${JSON.stringify(value)}`, () => deepStrictEqual(parseDocument(`v: ${text}`, yamlOptions).toJS().v, value));
  }
});
