// Python's ordering comparisons (<, >, <=, >=) for template values: numbers and booleans with each other,
// text with text, lists element by element; anything else raises Python's TypeError, so a condition such as
// `'2380' > 2000` fails as it does in Ansible instead of quietly being false.
import { pyTypeName } from './python-values.js';

function numeric(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return undefined;
}

function equal(a: unknown, b: unknown): boolean {
  const x = numeric(a);
  const y = numeric(b);
  if (x !== undefined && y !== undefined) return x === y;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** -1, 0 or 1 as Python orders `a` and `b`; throws Python's TypeError for values it cannot order. */
function order(a: unknown, b: unknown, op: string): number {
  const x = numeric(a);
  const y = numeric(b);
  if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (!equal(a[i], b[i])) return order(a[i], b[i], op);
    return Math.sign(a.length - b.length);
  }
  throw new Error(`'${op}' not supported between instances of '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
}

export function pythonOrder(a: unknown, op: unknown, b: unknown): boolean {
  const sign = order(a, b, String(op));
  switch (op) {
    case '<':
      return sign < 0;
    case '<=':
      return sign <= 0;
    case '>':
      return sign > 0;
    default:
      return sign >= 0;
  }
}
