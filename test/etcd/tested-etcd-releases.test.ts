// The releases etcdops says it tests are the ones the lab can run, and the newest of a line is found.
import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { ETCD_RELEASES } from '../../src/lab/artifact-cache.js';
import { newestTestedPatch, TESTED_ETCD_RELEASES } from '../../src/etcd/tested-etcd-releases.js';

describe('tested etcd releases', () => {
  it('the lab mirror serves every tested release', () => deepStrictEqual([...TESTED_ETCD_RELEASES].sort(), ETCD_RELEASES.map((r) => r.version).sort()));
  const rows: [major: number, minor: number, atLeast: string | undefined, newest: string | null][] = [
    [3, 5, undefined, '3.5.30'],
    [3, 5, '3.5.26', '3.5.30'],
    [3, 5, '3.5.31', null],
    [3, 4, undefined, '3.4.23'],
    [3, 6, undefined, null],
  ];
  for (const [major, minor, atLeast, newest] of rows) {
    it(`${major}.${minor}${atLeast ? ` from ${atLeast}` : ''} → ${newest}`, () => strictEqual(newestTestedPatch(major, minor, atLeast), newest));
  }
});
