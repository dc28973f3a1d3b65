// Table tests for the types Ansible 2.14 gives templated text (its ansible_eval_concat and SINGLE_VAR
// shortcut); test/playbook/ansible-oracle.test.ts checks the same rules against ansible-playbook itself.
import assert from 'node:assert/strict';
import { endsInStringFilter, singleVariable, typedText } from '../../src/playbook/templated-text-types.js';

describe('typedText', () => {
  const table: { text: string; value: unknown }[] = [
    { text: '5', value: '5' },
    { text: '1.5', value: '1.5' },
    { text: 'True', value: true },
    { text: 'False', value: false },
    { text: 'None', value: 'None' },
    { text: 'true', value: 'true' },
    { text: '[1, true, null, None]', value: [1, true, null, null] },
    { text: "{'a': [1, 'x']}", value: { a: [1, 'x'] } },
    { text: '[\n  1,\n  2\n]\n', value: [1, 2] },
    { text: ' [1]', value: ' [1]' },
    { text: '[1] tail', value: '[1] tail' },
    { text: '{not a dict}', value: '{not a dict}' },
    { text: '[nan]', value: '[nan]' },
  ];
  for (const { text, value } of table) {
    it(`${JSON.stringify(text)} → ${JSON.stringify(value)}`, () => assert.deepEqual(typedText(text), value));
  }
});

describe('endsInStringFilter', () => {
  const table: { expression: string; stays: boolean }[] = [
    { expression: 'x | to_json', stays: true },
    { expression: 'x | to_nice_json(indent=2)', stays: true },
    { expression: "x['a'].b | string", stays: true },
    { expression: 'x | to_json | trim', stays: false },
    { expression: 'a ~ b | to_json', stays: false },
    { expression: '(x | to_json)', stays: true },
    { expression: '(x) | to_json', stays: true },
    { expression: '(a) ~ (b | to_json)', stays: false },
    { expression: 'x', stays: false },
  ];
  for (const { expression, stays } of table) {
    it(`${expression}: ${stays ? 'stays text' : 'read back'}`, () => assert.equal(endsInStringFilter(expression), stays));
  }
});

describe('singleVariable', () => {
  const table: { text: string; name: string | undefined }[] = [
    { text: '{{ port }}', name: 'port' },
    { text: '{{port}}', name: 'port' },
    { text: ' {{ port }}', name: undefined },
    { text: '{{ port.x }}', name: undefined },
    { text: '{{ port }}{{ x }}', name: undefined },
  ];
  for (const { text, name } of table) {
    it(`${JSON.stringify(text)} → ${String(name)}`, () => assert.equal(singleVariable(text), name));
  }
});
