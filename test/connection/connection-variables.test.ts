// Each row is what ansible-playbook 2.14 did with the same variable on a `command` task (checked by hand
// against the real ansible-playbook): the value used, or the host failed / unreachable with that message.
import { deepStrictEqual, match, strictEqual } from 'node:assert/strict';
import { pythonInt, readConnectionVariables } from '../../src/connection/connection-variables.js';
import { sshSettingsFor } from '../../src/connection/ssh-settings.js';

type Outcome = { use: Record<string, unknown> } | { failed: RegExp } | { unreachable: RegExp };

const rows: [string, Record<string, unknown>, Outcome][] = [
  ['a word as port', { ansible_port: 'twenty-two' }, { failed: /the field 'port' has an invalid value \(twenty-two\), and could not be converted to an int/ }],
  ['an empty port', { ansible_port: '' }, { failed: /the field 'port' has an invalid value \(\)/ }],
  ['a decimal string as port', { ansible_port: '22.5' }, { failed: /invalid value \(22\.5\)/ }],
  ['port 70000', { ansible_port: 70000 }, { unreachable: /Bad port '70000'/ }],
  ['port 0', { ansible_port: 0 }, { unreachable: /Bad port '0'/ }],
  ['port -1', { ansible_port: -1 }, { unreachable: /Bad port '-1'/ }],
  ['a port string', { ansible_port: ' 2222 ' }, { use: { port: 2222 } }],
  ['ansible_ssh_port', { ansible_ssh_port: '2200' }, { use: { port: 2200 } }],
  ['a decimal number as port (int() truncates)', { ansible_port: 22.5 }, { use: { port: 22 } }],
  ['a null port', { ansible_port: null }, { use: { port: 22 } }],
  ['an empty address', { ansible_host: '' }, { unreachable: /ansible_host is empty/ }],
  ['an address with a space', { ansible_host: 'a b' }, { unreachable: /hostname contains invalid characters/ }],
  ['an address that is an ssh option', { ansible_host: '-oProxyCommand=x' }, { unreachable: /hostname contains invalid characters/ }],
  ['an address with shell characters', { ansible_host: 'a$b' }, { unreachable: /hostname contains invalid characters/ }],
  ['a list as address', { ansible_host: [1, 2] }, { unreachable: /hostname contains invalid characters: ansible_host is \[1,2\]/ }],
  ['a null address', { ansible_host: null }, { use: { address: 'web1' } }],
  ['ansible_ssh_host', { ansible_ssh_host: '10.0.0.7' }, { use: { address: '10.0.0.7' } }],
  ['a list as user', { ansible_user: ['a'] }, { unreachable: /remote username contains invalid characters/ }],
  ['a user that is an option', { ansible_user: '-x' }, { unreachable: /remote username contains invalid characters/ }],
  ['a number as user', { ansible_user: 42 }, { use: { user: '42' } }],
  ['a word as timeout', { ansible_timeout: 'soon' }, { failed: /the field 'timeout' has an invalid value \(soon\)/ }],
  ['a negative timeout', { ansible_timeout: -5 }, { unreachable: /invalid time value/ }],
  ['a timeout string', { ansible_timeout: '7' }, { use: { connectTimeoutMs: 7000 } }],
  ['no variables', {}, { use: { address: 'web1', port: 22, connectTimeoutMs: 10_000 } }],
];

describe('connection variables, checked as Ansible checks them', () => {
  for (const [name, vars, outcome] of rows) {
    it(`${name}: ${JSON.stringify(outcome, (_, v) => (v instanceof RegExp ? String(v) : v))}`, () => {
      const read = readConnectionVariables('web1', vars);
      if ('use' in outcome) {
        strictEqual(read.problem, undefined);
        deepStrictEqual(Object.fromEntries(Object.keys(outcome.use).map((k) => [k, read[k as keyof typeof read]])), outcome.use);
      } else {
        strictEqual(read.problem?.unreachable, 'unreachable' in outcome, read.problem?.message);
        match(read.problem!.message, 'unreachable' in outcome ? outcome.unreachable : outcome.failed);
      }
    });
  }

  it('an empty user means ssh logs in as the local user, as when none is given', () =>
    strictEqual(readConnectionVariables('h', { ansible_user: '' }).user, readConnectionVariables('h', {}).user));

  it('a ConnectTimeout in ansible_ssh_common_args is checked too', () =>
    match(sshSettingsFor('h', { ansible_ssh_common_args: '-o ConnectTimeout=later' }, '/').problem!.message, /'timeout' has an invalid value \(later\)/));

  const ints: [unknown, number | undefined][] = [[' 12 ', 12], ['-3', -3], ['1_000', 1000], [true, 1], [7.9, 7], ['0x10', undefined], [Infinity, undefined], [{}, undefined]];
  for (const [value, expected] of ints) {
    it(`int(${JSON.stringify(value)}) is ${expected}`, () => strictEqual(pythonInt(value), expected));
  }
});
