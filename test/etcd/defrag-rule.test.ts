// Table-driven: when the defragmentation rule picks a member (free MiB and free share of the file, both
// needed), and what it says about the sizes either way.
import { deepStrictEqual, match } from 'node:assert/strict';
import { defragDecision } from '../../src/etcd/defrag-rule.js';

const MIB = 1024 * 1024;
const rule = { minFreeMiB: 100, minFreePercent: 25 };

describe('defragDecision', () => {
  const rows: [what: string, dbSize: number, inUse: number, force: boolean, defragment: boolean, freePercent: number, reason: RegExp][] = [
    ['both thresholds reached', 1000 * MIB, 400 * MIB, false, true, 60, /db size 1000\.0 MiB, in use 400\.0 MiB, free 600\.0 MiB \(60%\): at least 100 MiB and 25% free is reached/],
    ['exactly at both thresholds', 400 * MIB, 300 * MIB, false, true, 25, /free 100\.0 MiB \(25%\)/],
    ['enough MiB, too small a share', 8000 * MIB, 7800 * MIB, false, false, 2.5, /under 25% free, the rule needs at least 100 MiB and 25% free/],
    ['a large share, too few MiB', 40 * MIB, 10 * MIB, false, false, 75, /under 100 MiB free/],
    ['neither', 40 * MIB, 39 * MIB, false, false, 2.5, /under 100 MiB and under 25% free/],
    ['an empty file', 0, 0, false, false, 0, /free 0\.0 MiB \(0%\)/],
    ['forced whatever the sizes', 40 * MIB, 39 * MIB, true, true, 2.5, /every member is defragmented to recover space/],
    ['in use above the file (a status read mid-write) counts as nothing free', 10 * MIB, 11 * MIB, false, false, 0, /free 0\.0 MiB/],
  ];
  for (const [what, dbSize, dbSizeInUse, force, defragment, freePercent, reason] of rows) {
    it(what, () => {
      const decision = defragDecision({ dbSize, dbSizeInUse }, rule, force);
      deepStrictEqual({ defragment: decision.defragment, freePercent: decision.freePercent }, { defragment, freePercent });
      match(decision.reason, reason);
    });
  }
});
