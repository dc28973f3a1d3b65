import { deepStrictEqual } from 'node:assert/strict';
import { serialBatches } from '../../src/executor/serial-batches.js';

const hosts = ['a', 'b', 'c', 'd', 'e'];

describe('serialBatches', () => {
  const table: { serial: (number | string)[]; batches: string[][] }[] = [
    { serial: [], batches: [hosts] },
    { serial: [1], batches: [['a'], ['b'], ['c'], ['d'], ['e']] },
    { serial: [2], batches: [['a', 'b'], ['c', 'd'], ['e']] },
    { serial: ['40%'], batches: [['a', 'b'], ['c', 'd'], ['e']] },
    { serial: ['10%'], batches: [['a'], ['b'], ['c'], ['d'], ['e']] },
    { serial: [1, 3], batches: [['a'], ['b', 'c', 'd'], ['e']] },
    { serial: [1, '100%'], batches: [['a'], ['b', 'c', 'd', 'e']] },
    { serial: [0], batches: [hosts] },
    { serial: [10], batches: [hosts] },
  ];
  for (const { serial, batches } of table) {
    it(`serial ${JSON.stringify(serial)}`, () => deepStrictEqual(serialBatches(hosts, serial), batches));
  }
  it('no hosts, no batches', () => deepStrictEqual(serialBatches([], [1]), []));
});
