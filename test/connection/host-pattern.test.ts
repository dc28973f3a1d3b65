import { strictEqual } from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { globMatches, hostFieldMatches, hostToken, matchPatternList } from '../../src/connection/host-pattern.js';

describe('host patterns as OpenSSH matches them', () => {
  const tokens: [string, number, string][] = [
    ['10.0.0.1', 22, '10.0.0.1'],
    ['10.0.0.1', 2222, '[10.0.0.1]:2222'],
    ['Node1.Example', 22, 'node1.example'],
    ['::1', 2200, '[::1]:2200'],
  ];
  for (const [host, port, token] of tokens) {
    it(`${host} on port ${port} is recorded as ${token}`, () => strictEqual(hostToken(host, port), token));
  }

  const globs: [string, string, boolean][] = [
    ['a.example', 'a.example', true],
    ['a.example', '*.example', true],
    ['example', '*.example', false],
    ['10.0.0.5', '10.0.0.?', true],
    ['10.0.0.50', '10.0.0.?', false],
    ['[10.0.0.1]:2222', '[10.0.0.1]:2222', true],
    ['[10.0.0.1]:2222', '[10.0.0.1]:*', true],
    ['10.0.0.1', '[10.0.0.1]:2222', false],
    ['[10.0.0.1]:2222', '10.0.0.1', false],
    ['x', '[x]', false],
    ['a1b', '[a-z]1b', false],
    ['a.b.c', 'a*c', true],
    ['aaab', '*a*b', true],
    ['', '', true],
    ['', '*', true],
    ['a', '', false],
  ];
  for (const [text, pattern, expected] of globs) {
    it(`glob ${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(text)}`, () =>
      strictEqual(globMatches(text, pattern), expected));
  }

  const lists: [string, string, 1 | 0 | -1][] = [
    ['a.example', 'b.example,a.example', 1],
    ['bad.example', '*.example,!bad.example', -1],
    ['bad.example', '!bad.example,*.example', -1],
    ['good.example', '*.example,!bad.example', 1],
    ['other', '!bad.example', 0],
    ['host.example', 'HOST.Example', 1],
    ['[10.0.0.1]:2222', '10.0.0.1,[10.0.0.1]:2222', 1],
    ['a', `${'*'.repeat(1022)},a`, 1],
    ['a', `${'*'.repeat(1023)},a`, 0],
  ];
  for (const [token, list, expected] of lists) {
    it(`pattern list ${JSON.stringify(list.slice(0, 40))} gives ${expected} for ${token}`, () => strictEqual(matchPatternList(token, list), expected));
  }

  it('a hashed field matches the HMAC-SHA1 of exactly the token; a malformed one is invalid', () => {
    const salt = randomBytes(20);
    const field = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('[h.example]:2222').digest('base64')}`;
    strictEqual(hostFieldMatches('[h.example]:2222', field), true);
    strictEqual(hostFieldMatches('h.example', field), false);
    strictEqual(hostFieldMatches('h.example', '|1|c2FsdA==|aGFzaA=='), undefined);
    strictEqual(hostFieldMatches('h.example', '|2|x|y'), undefined);
  });
});
