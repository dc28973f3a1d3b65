// Host ranges in inventory host names, and host:port parsing.
import { deepStrictEqual, throws } from 'node:assert';
import { expandHostRange } from '../../src/inventory/host-range.js';
import { parseHostAddress } from '../../src/inventory/host-address.js';

const ranges: readonly [string, string[]][] = [
  ['plain', ['plain']],
  ['n[1:3]', ['n1', 'n2', 'n3']],
  ['db[01:03].lab', ['db01.lab', 'db02.lab', 'db03.lab']],
  ['n[0:6:3]', ['n0', 'n3', 'n6']],
  ['n[:1]', ['n0', 'n1']],
  ['x[a:c]', ['xa', 'xb', 'xc']],
  ['r[1:2]-[a:b]', ['r1-a', 'r1-b', 'r2-a', 'r2-b']],
];

const addresses: readonly [string, ReturnType<typeof parseHostAddress>][] = [
  ['web1', { host: 'web1' }],
  ['web1:2222', { host: 'web1', port: 2222 }],
  ['10.213.0.11:22', { host: '10.213.0.11', port: 22 }],
  ['[fe80::1]:22', { host: 'fe80::1', port: 22 }],
  ['fe80::1', { host: 'fe80::1' }],
  ['n[1:3]:22', { host: 'n[1:3]', port: 22 }],
  ['web*', undefined],
  ['a:b', undefined],
];

describe('host ranges', () => {
  for (const [name, hosts] of ranges) it(`expands ${name}`, () => deepStrictEqual(expandHostRange(name), hosts));
  it('rejects unequal zero-padded bounds', () => throws(() => expandHostRange('n[01:100]'), /equal-length/));
  it('rejects a missing end', () => throws(() => expandHostRange('n[1:]'), /end value/));
  for (const [text, address] of addresses) it(`parses address ${text}`, () => deepStrictEqual(parseHostAddress(text), address));
});

describe('host range bounds', () => {
  it('refuses a range of more hosts than the cap before making any', () => {
    const started = Date.now();
    throws(() => expandHostRange('h[1:100000000]'), /stands for 100000000 hosts; etcdops takes at most 100000/);
    deepStrictEqual(Date.now() - started < 100, true);
  });
  it('multiplies several ranges before expanding them', () => throws(() => expandHostRange('h[1:1000]-[1:1000]'), /stands for 1000000 hosts/));
  it('takes a range of exactly the cap', () => deepStrictEqual(expandHostRange('h[1:20]', 20).length, 20));
  it('refuses one host over the cap', () => throws(() => expandHostRange('h[1:21]', 20), /stands for 21 hosts/));
});
