// Expands host ranges in inventory host names: `db[01:03]` is db01, db02, db03; `node[a:c]` and a step
// (`[1:9:2]`) work too, as in Ansible. Several ranges in one name multiply out, left to right. How many
// names a range stands for is worked out before any is made, so `h[1:100000000]` is refused at once.
import { MAX_HOSTS } from '../yaml/input-limits.js';

const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

interface Range {
  readonly count: number;
  readonly item: (index: number) => string;
}

export function hasHostRange(name: string): boolean {
  return name.includes('[');
}

/**
 * All host names a ranged name stands for; throws an Error with the reason when the range is malformed or
 * stands for more than `max` hosts.
 */
export function expandHostRange(name: string, max = MAX_HOSTS): string[] {
  const literals: string[] = [];
  const ranges: Range[] = [];
  let rest = name;
  for (let open = rest.indexOf('['); open >= 0; open = rest.indexOf('[')) {
    const close = rest.indexOf(']', open);
    if (close < 0) throw new Error(`host range in '${name}' is missing its closing ']'`);
    literals.push(rest.slice(0, open));
    ranges.push(readRange(rest.slice(open + 1, close)));
    rest = rest.slice(close + 1);
  }
  literals.push(rest);
  const total = ranges.reduce((product, range) => product * range.count, 1);
  if (total > max) throw new Error(`host range '${name}' stands for ${total} hosts; etcdops takes at most ${max} per inventory`);
  let names = [literals[0]!];
  ranges.forEach((range, index) => {
    const next: string[] = [];
    for (const head of names) for (let i = 0; i < range.count; i++) next.push(head + range.item(i) + literals[index + 1]!);
    names = next;
  });
  return names;
}

function readRange(text: string): Range {
  const bounds = text.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) throw new Error('host range must be begin:end or begin:end:step');
  const begin = bounds[0] || '0';
  const end = bounds[1]!;
  const step = bounds.length === 3 ? Number(bounds[2]) : 1;
  if (!end) throw new Error('host range must specify an end value');
  if (!Number.isInteger(step) || step <= 0) throw new Error('host range step must be a positive integer');
  let width = 0;
  if (begin.length > 1 && begin.startsWith('0')) {
    if (begin.length !== end.length) throw new Error('host range must use equal-length begin and end when zero-padded');
    width = begin.length;
  }
  const alphaBegin = begin.length === 1 ? letters.indexOf(begin) : -1;
  const alphaEnd = end.length === 1 ? letters.indexOf(end) : -1;
  if (alphaBegin >= 0 && alphaEnd >= 0) {
    if (alphaBegin > alphaEnd) throw new Error('host range must have begin <= end');
    return { count: Math.floor((alphaEnd - alphaBegin) / step) + 1, item: (i) => letters[alphaBegin + i * step]! };
  }
  if (!/^[0-9]+$/.test(begin) || !/^[0-9]+$/.test(end)) throw new Error(`host range [${bounds.join(':')}] is neither numeric nor alphabetic`);
  const from = Number(begin);
  const to = Number(end);
  const count = to < from ? 0 : Math.floor((to - from) / step) + 1;
  return { count, item: (i) => String(from + i * step).padStart(width, '0') };
}
