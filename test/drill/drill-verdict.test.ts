// Table-driven: the figures and checks of a drill from recorded requests, leaders and faults (pure), and
// the drill file's validation with file:line errors.
import { deepStrictEqual, match, strictEqual, throws } from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ParseError } from '../../src/errors/user-error.js';
import { expandFaults, parseDrill } from '../../src/drill/drill-spec.js';
import { judgeDrill, percentile, type FaultRecord, type LeaderSample, type RequestSample } from '../../src/drill/drill-verdict.js';

const DRILLS = fileURLToPath(new URL('../../playbooks/drills/', import.meta.url));
/** A request every 100 ms for `ms`, failing between `from` and `to`. */
function requests(ms: number, failFrom = -1, failTo = -1, latency = 20): RequestSample[] {
  const out: RequestSample[] = [];
  for (let at = 0; at < ms; at += 100) {
    const failed = at >= failFrom && at < failTo;
    out.push({ at, ms: failed ? 1000 : latency, ok: !failed, op: out.length % 2 === 0 ? 'put' : 'get', ...(failed ? { error: 'DEADLINE_EXCEEDED' } : {}) });
  }
  return out;
}
const fault = (injectedAt: number, endsAt: number, error?: string): FaultRecord => ({ fault: 'partition', target: 'n1', asked: 'leader', requestedAt: injectedAt - 500, injectedAt, endsAt, ...(error ? { error } : {}) });
const leaders = (...seq: [number, string | null, number][]): LeaderSample[] => seq.map(([at, leader, term]) => ({ at, leader, term }));
const goodEnd = { ackedWrites: 50, lostWrites: [], consistency: { revision: 99, equal: true, detail: '3 of 3 members agree' } };

describe('drill verdict: figures', () => {
  it('the 99th percentile', () => {
    strictEqual(percentile([...Array(100).keys()].map((i) => i + 1), 99), 99);
    strictEqual(percentile([5], 99), 5);
    strictEqual(percentile([], 99), null);
  });
  const rows: [what: string, samples: RequestSample[], leaderSeq: LeaderSample[], faults: FaultRecord[], expected: Record<string, unknown>][] = [
    ['a clean run', requests(10_000), leaders([0, 'n1', 2]), [], { availabilityPercent: 100, leaderChanges: 0, recoveryMs: 0, unavailableMs: 100 }],
    ['a leader partitioned: failures while it is cut off, answered before it ends', requests(10_000, 3000, 4500), leaders([0, 'n1', 2], [3200, null, 2], [4000, 'n2', 3]), [fault(3000, 8000)],
      { availabilityPercent: 85, leaderChanges: 1, recoveryMs: 0, unavailableMs: 1600 }],
    ['failures past the end of the fault: the recovery counts from its end', requests(10_000, 3000, 7000), leaders([0, 'n1', 2], [6500, 'n2', 3]), [fault(3000, 5000)],
      { availabilityPercent: 60, leaderChanges: 1, recoveryMs: 2020, unavailableMs: 4100 }],
    ['a leader gone and back is no change; a new one is', requests(1000), leaders([0, 'n1', 2], [100, null, 2], [200, 'n1', 3], [300, 'n3', 4], [400, 'n1', 5]), [], { leaderChanges: 2 }],
  ];
  for (const [what, samples, leaderSeq, faults, expected] of rows) {
    it(what, () => {
      const { figures } = judgeDrill({}, 10_000, samples, leaderSeq, faults, goodEnd);
      const actual: Record<string, unknown> = { availabilityPercent: figures.availabilityPercent, leaderChanges: figures.leaderChanges, recoveryMs: figures.recoveryMs, unavailableMs: figures.unavailable.ms };
      for (const key of Object.keys(actual)) if (!(key in expected)) delete actual[key];
      deepStrictEqual(actual, expected);
    });
  }
});

describe('drill verdict: checks', () => {
  const partitioned = () => judgeDrill(
    { availability_percent: 90, p99_ms: 500, leader_changes: 0, recovery_s: 1 },
    10_000, requests(10_000, 3000, 7000), leaders([0, 'n1', 2], [6500, 'n2', 3]), [fault(3000, 5000)], goodEnd,
  );
  it('names every check that fails, with what was expected and seen', () => {
    const verdict = partitioned();
    strictEqual(verdict.passed, false);
    deepStrictEqual(verdict.checks.filter((c) => !c.ok).map((c) => [c.name, c.expected, c.actual]), [
      ['availability_percent', '≥ 90 %', '60.00 %'],
      ['leader_changes', '≤ 0', '1'],
      ['recovery_s', '≤ 1 s', '2.0 s'],
    ]);
  });
  it('lost writes fail even without a threshold, naming the keys', () => {
    const verdict = judgeDrill({}, 1000, requests(1000), leaders([0, 'n1', 2]), [], { ...goodEnd, lostWrites: ['/d/00000004'] });
    const lost = verdict.checks.find((c) => c.name === 'lost_writes')!;
    deepStrictEqual([lost.ok, lost.actual], [false, '1 of 50 (/d/00000004)']);
  });
  it('a fault not injected fails the drill', () => {
    const verdict = judgeDrill({}, 1000, requests(1000), leaders([0, 'n1', 2]), [fault(100, 100, 'refusing to inject stop on n2')], goodEnd);
    deepStrictEqual(verdict.checks.filter((c) => !c.ok).map((c) => c.name), ['faults']);
  });
  it('a timeline in order, with the fault, the leader change and the unavailable window', () => {
    const lines = partitioned().timeline.map((e) => `${e.at} ${e.what}`);
    deepStrictEqual(lines.slice(0, 3), ['0 load started', '0 leader n1 (term 2)', '2500 fault partition on n1 (the leader): fault.yml started']);
    match(lines.join('\n'), /3000 fault partition on n1 in place \(fault\.yml done\)\n.*\n5000 fault partition on n1 cleared by its host/);
    match(lines.join('\n'), /7020 recovered, 2\.0 s after the end of the faults/);
    match(lines.join('\n'), /6500 leader n1 → n2 \(term 3\)/);
    match(lines.join('\n'), /longest time without an answer begins \(4\.1 s\)/);
  });
});

describe('drill files', () => {
  it('every shipped drill parses, with its faults over before its load ends on 3 members', () => {
    const files = readdirSync(DRILLS).filter((f) => f.endsWith('.yml'));
    strictEqual(files.length >= 8, true, files.join(' '));
    for (const file of files) {
      const spec = parseDrill(readFileSync(DRILLS + file, 'utf8'), file);
      strictEqual(`${spec.name}.yml`, file);
      expandFaults(spec, ['n1', 'n2', 'n3'], 'n2');
    }
  });
  const bad: [what: string, text: string, message: RegExp][] = [
    ['an unknown field, at its line', 'name: x\nload: {rate: 1, duration: 5}\nchecks:\n  availabilty_percent: 9\n', /x\.yml:4:3 \(checks\): not a drill: must NOT have additional properties "availabilty_percent"/],
    ['a fault outlasting the load', 'name: x\nload: {rate: 1, duration: 5}\nfaults:\n  - {at: 3, fault: kill, target: leader, duration: 2}\nchecks: {}\n', /x\.yml:4:5 \(faults\.0\): the fault ends at 5 s, not before the load ends \(5 s\)/],
    ['a flood', 'name: x\nload: {rate: 100000, duration: 5}\nchecks: {}\n', /x\.yml:2:14 \(load\.rate\): not a drill: must be <= 1000/],
  ];
  for (const [what, text, message] of bad) {
    it(`refuses ${what}`, () => throws(() => parseDrill(text, 'x.yml'), (e: Error) => e instanceof ParseError && message.test(e.message)));
  }
  it('each: followers in order, the leader last, spaced', () => {
    const spec = parseDrill('name: r\nload: {rate: 1, duration: 30}\nfaults:\n  - {at: 2, fault: stop, target: each, duration: 1, spacing: 8}\nchecks: {}\n', 'r.yml');
    deepStrictEqual(expandFaults(spec, ['n1', 'n2', 'n3'], 'n1').map((f) => [f.target, f.at]), [['n2', 2], ['n3', 10], ['n1', 18]]);
    throws(() => expandFaults(spec, ['n1', 'n2', 'n3', 'n4', 'n5'], 'n1'), /would end at 35 s, not before the load ends \(30 s\) on these 5 members/);
  });
});
