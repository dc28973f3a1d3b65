import { strictEqual } from 'node:assert/strict';
import { exitCodeFor, Severity, worstSeverity } from '../../src/inspect/severity.js';

describe('severity', () => {
  const worst: [Severity[], Severity][] = [
    [[], Severity.OK],
    [[Severity.OK, Severity.INFO], Severity.INFO],
    [[Severity.WARNING, Severity.INFO], Severity.WARNING],
    [[Severity.CRITICAL, Severity.WARNING], Severity.CRITICAL],
    [[Severity.CRITICAL, Severity.ERROR, Severity.OK], Severity.ERROR],
  ];
  for (const [list, expected] of worst) it(`worst of [${list.join(', ')}] is ${expected}`, () => strictEqual(worstSeverity(list), expected));

  const codes: [Severity, number][] = [
    [Severity.OK, 0],
    [Severity.INFO, 0],
    [Severity.WARNING, 2],
    [Severity.CRITICAL, 2],
    [Severity.ERROR, 1],
  ];
  for (const [severity, code] of codes) it(`${severity} exits ${code}`, () => strictEqual(exitCodeFor(severity), code));
});
