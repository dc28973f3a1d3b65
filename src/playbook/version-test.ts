// Ansible's `version` test (also `version_compare`): `'3.5.9' is version('3.5.10', '<')`. Versions are
// compared as Ansible compares them: LooseVersion by default (numbers and letter runs; a number against
// text is an error, as in Python 3), StrictVersion with `strict=true` or `version_type='strict'`, and
// semantic versions with `version_type='semver'`. What etcdops cannot compare (pep440) is refused.
import type Semver from 'semver';
import { onFirstUse } from '../startup/on-first-use.js';

const semver = onFirstUse<typeof Semver>('semver');

const OPERATORS: Readonly<Record<string, (c: number) => boolean>> = {
  '==': (c) => c === 0, eq: (c) => c === 0, '=': (c) => c === 0,
  '!=': (c) => c !== 0, '<>': (c) => c !== 0, ne: (c) => c !== 0,
  '<': (c) => c < 0, lt: (c) => c < 0, '<=': (c) => c <= 0, le: (c) => c <= 0,
  '>': (c) => c > 0, gt: (c) => c > 0, '>=': (c) => c >= 0, ge: (c) => c >= 0,
};

type Part = number | string;

/** LooseVersion's components: numbers (as ints), runs of a-z, and whatever lies between them except dots. */
function looseParts(version: string): Part[] {
  return version
    .split(/(\d+|[a-z]+|\.)/)
    .filter((piece) => piece !== '' && piece !== '.')
    .map((piece) => (/^\d+$/.test(piece) ? Number(piece) : piece));
}

/** Python's comparison of two lists of ints and strings: an int against a string is a TypeError. */
function compareParts(x: readonly Part[], y: readonly Part[], operator: string): number {
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const [p, q] = [x[i]!, y[i]!];
    if (typeof p !== typeof q) {
      throw new Error(`Version comparison failed: '${operator}' not supported between instances of '${typeof p === 'number' ? 'int' : 'str'}' and '${typeof q === 'number' ? 'int' : 'str'}'`);
    }
    if (p !== q) return p < q ? -1 : 1;
  }
  return Math.sign(x.length - y.length);
}

const STRICT = /^(\d+)\.(\d+)(?:\.(\d+))?(?:([ab])(\d+))?$/;

/** StrictVersion: `1.2`, `1.2.3`, `1.2a1`, `1.2.3b4`; a pre-release sorts before its release. */
function strictParts(version: string): Part[] {
  const m = STRICT.exec(version);
  if (!m) throw new Error(`Version comparison failed: invalid version number '${version}'`);
  const release = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  // 'z' sorts after 'a' and 'b': no pre-release is later than any.
  return m[4] ? [...release, m[4], Number(m[5])] : [...release, 'z', 0];
}

function semanticVersion(version: string): Semver.SemVer {
  const parsed = semver().parse(version);
  if (!parsed) throw new Error(`Version comparison failed: invalid semantic version '${version}'`);
  return parsed;
}

/** `value is version(version, operator, strict=..., version_type=...)`. */
export function versionTest(value: unknown, version: unknown, ...rest: unknown[]): boolean {
  const options = rest.length > 0 && rest.at(-1) !== null && typeof rest.at(-1) === 'object' ? (rest.pop() as Record<string, unknown>) : {};
  const operator = String(rest[0] ?? options.operator ?? 'eq');
  const check = Object.hasOwn(OPERATORS, operator) ? OPERATORS[operator] : undefined;
  if (!check) throw new Error(`unknown operator '${operator}' (use one of ${Object.keys(OPERATORS).join(' ')})`);
  const [a, b] = [String(value ?? ''), String(version ?? '')];
  if (a === '') throw new Error('Input version value cannot be empty');
  if (b === '') throw new Error('Version parameter to compare against cannot be empty');
  const type = String(options.version_type ?? (options.strict === true ? 'strict' : 'loose'));
  if (type === 'loose') return check(compareParts(looseParts(a), looseParts(b), operator));
  if (type === 'strict') return check(compareParts(strictParts(a), strictParts(b), operator));
  if (type === 'semver' || type === 'semantic') return check(semver().compare(semanticVersion(a), semanticVersion(b)));
  throw new Error(`version_type '${type}' is not supported by etcdops (it compares loose, strict and semver versions)`);
}
