// The `round` filter against Jinja2 itself (Python's round: halves to even on the float's exact value; the
// 'ceil' and 'floor' methods): a few hundred generated cases rendered by python3's jinja2 and by etcdops.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { KNOWN_FILTERS, KNOWN_TESTS } from '../../src/playbook/condition.js';
import { jinjaSyntaxProblem, renderJinja } from '../../src/playbook/jinja-engine.js';

const where = { file: 'site.yml', line: 1 };

/** A small deterministic generator, so a failure names the same cases on every run. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** Values as Jinja and Python literals: halves, decimal halves stored below or above, negatives, ints, big and small. */
function values(): string[] {
  const random = generator(7);
  const fixed = [
    '2.5', '3.5', '-2.5', '0.5', '-0.5', '1.5', '0.125', '0.375', '2.675', '1.005', '1.125', '-1.125', '2.345', '0.0', '-0.0',
    '0.4', '-0.4', '1e300', '-1e300', '1e-300', '5e-324', '1.7976931348623157e308', '12345678.123456789', '4503599627370497.0',
    '0', '2', '-2', '125', '-125', '135', '15', '-15', '12345678901234567', '9007199254740993', 'true', '1e16', '2.5e15',
  ];
  const generated = Array.from({ length: 30 }, () => {
    const exponent = Math.floor(random() * 12) - 6;
    const digits = Math.floor(random() * 1e6) * 10 + 5;
    const sign = random() < 0.3 ? '-' : '';
    return `${sign}${digits}e${exponent - 6}`;
  });
  return [...fixed, ...generated];
}

const PRECISIONS = [0, 1, 2, 3, -1, -2, 5, 12];
const CASES = values().flatMap((value) => [
  `{{ (${value}) | round }}`,
  ...PRECISIONS.flatMap((precision) => [
    `{{ (${value}) | round(${precision}) }}`,
    ...['common', 'ceil', 'floor'].map((method) => `{{ (${value}) | round(${precision}, '${method}') }}`),
  ]),
]);

/** What Jinja2 renders for each template, or `error` when it raises. */
function jinja2Renders(templates: readonly string[]): string[] {
  const script = [
    'import json, sys, jinja2',
    'env = jinja2.Environment()',
    'out = []',
    'for t in json.load(sys.stdin):',
    '    try: out.append(env.from_string(t).render())',
    "    except Exception: out.append('error')",
    'print(json.dumps(out))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(templates), encoding: 'utf8' })) as string[];
}

function etcdopsRenders(template: string): string {
  try {
    return renderJinja(template, {}, where);
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

/** A float the engine cannot hold (no fraction, between 2**52 and 2**53) is refused, never given as another value. */
function refusedAsUnrepresentable(jinja2: string, etcdops: string): boolean {
  const magnitude = Math.abs(Number(jinja2));
  return /cannot hold the float result/.test(etcdops) && jinja2.endsWith('.0') && magnitude >= 2 ** 52 && magnitude <= 2 ** 53;
}

describe('round renders as Jinja2 (python3 oracle)', () => {
  it(`${CASES.length} generated cases`, () => {
    const expected = jinja2Renders(CASES);
    const differences = CASES.map((template, i) => ({ template, jinja2: expected[i], etcdops: etcdopsRenders(template) })).filter(
      (c) => c.jinja2 !== c.etcdops && !(c.jinja2 === 'error' && c.etcdops.startsWith('error')) && !refusedAsUnrepresentable(c.jinja2!, c.etcdops),
    );
    assert.deepEqual(differences, []);
  });

  it('keyword arguments and the default precision', () => {
    const templates = ['{{ 2.5 | round }}', "{{ 2.7 | round(method='floor') }}", "{{ 0.125 | round(precision=2) }}", "{{ 1.21 | round(method='ceil', precision=1) }}", '{{ 7 | round }}'];
    assert.deepEqual(templates.map(etcdopsRenders), jinja2Renders(templates));
  });
});

describe("map('round') gives Jinja2's numbers", () => {
  // Inside a list the engine prints a float with nothing after the point as an int, so the numbers are compared.
  const list = '[2.5, 3.5, -2.5, 0.125, 2.675, 1.125, 125, 7, 1.21, -0.4]';
  const templates = ["map('round')", "map('round', 2)", "map('round', -1)", "map('round', 1, 'ceil')", "map('round', method='floor', precision=1)"].map(
    (call) => `{{ ${list} | ${call} | list }}`,
  );
  it('halves, decimal halves, ints, negative precision, ceil and floor, keyword arguments', () => {
    // The engine holds no negative zero in a list: -0.0 and 0 are the same number here.
    const numbers = (printed: string) => (JSON.parse(printed) as number[]).map((n) => n + 0);
    assert.deepEqual(templates.map((t) => numbers(etcdopsRenders(t))), jinja2Renders(templates).map(numbers));
  });
});

describe('round arguments Jinja2 refuses are refused at load', () => {
  const table: [string, RegExp][] = [
    ["{{ 2.5 | round(0, 'up') }}", /method must be common, ceil or floor/],
    ['{{ 2.5 | round(0, "common", 3) }}', /too many arguments/],
    ['{{ 2.5 | round(digits=1) }}', /unknown argument 'digits'/],
    ["{{ [2.5] | map('round', 0, 'nearest') | list }}", /method must be common, ceil or floor/],
  ];
  for (const [template, message] of table) it(template, () => assert.match(jinjaSyntaxProblem(template, KNOWN_FILTERS, KNOWN_TESTS)?.message ?? 'accepted', message));
  it('names the line of the template', () => {
    assert.deepEqual(jinjaSyntaxProblem("first\nsecond {{ x }}\n{{ 2.5 | round(0, 'up') }}", KNOWN_FILTERS, KNOWN_TESTS), {
      message: "round: method must be common, ceil or floor, not 'up'",
      line: 3,
    });
  });
});
