import { deepStrictEqual } from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { UnsafeText, yamlOptions } from '../../src/yaml/pyyaml-compat.js';

describe('YAML as Ansible reads it', () => {
  const table: [string, unknown][] = [
    ['yes', true], ['on', true], ['True', true], ['ON', true],
    ['no', false], ['Off', false], ['false', false], ['NO', false],
    ['y', 'y'], ['n', 'n'], ['Y', 'Y'],
    ['0644', 0o644], ['1.5', 1.5], ['x', 'x'],
    ['1.5e3', '1.5e3'], ['1e+3', '1e+3'], ['1.5e+3', 1500], ['-.5', '-.5'], ['.5', 0.5], ['.', '.'],
    ['2026-01-02', '2026-01-02'], ['2026-1-2', '2026-1-2'], ['2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.100000-05:00'],
    ['2026-01-02 03:04:05Z', '2026-01-02 03:04:05+00:00'], ['2026-1-2 3:04:05', '2026-01-02 03:04:05'], ["!unsafe '{{ x }}'", new UnsafeText('{{ x }}')],
  ];
  for (const [text, value] of table) {
    it(`${text} → ${JSON.stringify(value)}`, () => deepStrictEqual(parseDocument(`v: ${text}`, yamlOptions).toJS().v, value));
  }
});
