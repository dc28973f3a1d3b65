// Quoting round-trips through a real sh; word splitting follows shell rules without expanding anything.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { quote, sh, splitWords } from '../../src/connection/shell-quote.js';

describe('shell quoting', () => {
  const values = ['plain', "it's", 'a b', '$HOME', '`id`', '"x"', '', 'new\nline', '*', '-n', "'"];
  for (const value of values) {
    it(`${JSON.stringify(value)} reaches the command unchanged`, () => {
      assert.equal(execFileSync('/bin/sh', ['-c', `printf %s ${quote(value)}`], { encoding: 'utf8' }), value);
    });
  }
  it('sh`` quotes values and arrays, keeps code fragments', () => {
    assert.equal(sh`ls ${['-l', 'a b']} ${sh`| wc`} ${"x'y"}`.text, `ls -l 'a b' | wc 'x'\\''y'`);
  });
  const splits: [string, string[]][] = [
    ['ls -l  /tmp', ['ls', '-l', '/tmp']],
    [`echo 'a b' "c \\"d\\"" e\\ f`, ['echo', 'a b', 'c "d"', 'e f']],
    ['echo $HOME ""', ['echo', '$HOME', '']],
  ];
  for (const [line, words] of splits) {
    it(`splits ${line}`, () => assert.deepEqual(splitWords(line), words));
  }
  it('rejects an unterminated quote', () => assert.throws(() => splitWords("echo 'a"), /unterminated/));
});
