// The three readings of Ansible's yes/no words, as a table (the oracle test in test/cli compares them with
// ansible-playbook on a run).
import assert from 'node:assert/strict';
import { booleanWord, boolFilter, setFactValue } from '../../src/playbook/ansible-boolean.js';

describe('Ansible yes/no words', () => {
  const table: [unknown, boolean | undefined, boolean, unknown][] = [
    // value, module argument, bool filter, set_fact
    ['y', true, false, 'y'], ['Yes', true, true, true], ['on', true, true, 'on'], ['1', true, true, '1'],
    ['t', true, false, 't'], ['TRUE', true, true, true], ['n', false, false, 'n'], ['NO', false, false, false],
    ['off', false, false, 'off'], ['0', false, false, '0'], ['f', false, false, 'f'], ['False', false, false, false],
    [' yes', undefined, false, ' yes'], ['x', undefined, false, 'x'],
  ];
  for (const [value, word, filter, fact] of table) {
    it(`${JSON.stringify(value)}: argument ${word}, | bool ${filter}, set_fact ${JSON.stringify(fact)}`, () => {
      assert.equal(booleanWord(value as string), word);
      assert.equal(boolFilter(value), filter);
      assert.equal(setFactValue(value), fact);
    });
  }
  it('reads numbers and booleans in the bool filter as Ansible does', () => {
    assert.deepEqual([1, 0, 2, 1.0, true, false].map(boolFilter), [true, false, false, true, true, false]);
  });
});
