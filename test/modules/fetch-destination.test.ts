// Where fetch writes on the control node: dest/HOST/src stays inside dest/HOST whatever src says.
import { strictEqual, throws } from 'node:assert';
import { fetchDestination } from '../../src/modules/fetch.js';

describe('fetchDestination', () => {
  const kept: readonly { src: string; host: string; flat?: boolean; dest: string; want: string }[] = [
    { src: '/etc/hostname', host: 'n1', dest: 'out', want: 'out/n1/etc/hostname' },
    { src: '/etc/../etc/hostname', host: 'n1', dest: 'out', want: 'out/n1/etc/hostname' },
    { src: '/etc/etcd/pki/ca.crt', host: 'n1', dest: 'artifacts/ca.crt', flat: true, want: 'artifacts/ca.crt' },
    { src: '/etc/etcd/pki/ca.crt', host: 'n1', dest: 'artifacts/', flat: true, want: 'artifacts/ca.crt' },
  ];
  for (const c of kept) {
    it(`${c.src} of ${c.host} into ${c.dest}${c.flat ? ' (flat)' : ''} is ${c.want}`, () => {
      strictEqual(fetchDestination({ src: c.src, dest: c.dest, flat: c.flat }, c.host), c.want);
    });
  }

  const refused: readonly { src: string; host: string }[] = [
    { src: '/../../../tmp/planted', host: 'n1' },
    { src: '../x', host: 'n1' },
    { src: '/etc/hostname', host: '../../up' },
    { src: '/', host: 'n1' },
  ];
  for (const c of refused) {
    it(`refuses src ${c.src} of host ${c.host}: it would leave dest/HOST`, () => {
      throws(() => fetchDestination({ src: c.src, dest: 'out' }, c.host), /outside out\/.*name the file without '\.\.'/);
    });
  }
});
