// The bounded cache templating keeps: a hit returns what was computed, the least recently used entry goes
// first when it is full, a computation that throws is not kept, and keys over the length limit are not kept.
import { deepStrictEqual, strictEqual, throws } from 'node:assert/strict';
import { BoundedCache } from '../../src/playbook/bounded-cache.js';

describe('BoundedCache', () => {
  it('computes once per key and drops the least recently used entry when full', () => {
    const computed: string[] = [];
    const cache = new BoundedCache<string>(2);
    const get = (key: string) => cache.get(key, () => (computed.push(key), key.toUpperCase()));
    const rows: [string, string][] = [
      ['a', 'A'],
      ['b', 'B'],
      ['a', 'A'], // a is now the most recently used
      ['c', 'C'], // full: b goes
      ['a', 'A'],
      ['b', 'B'], // computed again; c goes
      ['c', 'C'],
    ];
    for (const [key, value] of rows) strictEqual(get(key), value);
    deepStrictEqual(computed, ['a', 'b', 'c', 'b', 'c']);
    strictEqual(cache.size, 2);
  });

  it('keeps nothing when the computation throws', () => {
    const cache = new BoundedCache<number>(4);
    throws(() => cache.get('k', () => { throw new Error('bad template'); }), /bad template/);
    strictEqual(cache.size, 0);
    strictEqual(cache.get('k', () => 7), 7);
  });

  it('keeps an undefined result as a result', () => {
    let calls = 0;
    const cache = new BoundedCache<undefined>(4);
    cache.get('k', () => void calls++);
    cache.get('k', () => void calls++);
    strictEqual(calls, 1);
  });

  it('computes keys over the length limit every time, without keeping them', () => {
    let calls = 0;
    const cache = new BoundedCache<number>(4, 5);
    cache.get('123456', () => ++calls);
    cache.get('123456', () => ++calls);
    strictEqual(calls, 2);
    strictEqual(cache.size, 0);
  });
});
