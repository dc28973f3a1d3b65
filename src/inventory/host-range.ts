// Expands host ranges in inventory host names: `db[01:03]` is db01, db02, db03; `node[a:c]` and a step
// (`[1:9:2]`) work too, as in Ansible. Several ranges in one name multiply out, left to right.

const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function hasHostRange(name: string): boolean {
  return name.includes('[');
}

/** All host names a ranged name stands for; throws an Error with the reason when the range is malformed. */
export function expandHostRange(name: string): string[] {
  const open = name.indexOf('[');
  const close = name.indexOf(']', open);
  if (open < 0) return [name];
  if (close < 0) throw new Error(`host range in '${name}' is missing its closing ']'`);
  const head = name.slice(0, open);
  const tail = name.slice(close + 1);
  const bounds = name.slice(open + 1, close).split(':');
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
  const items: string[] = [];
  const alphaBegin = begin.length === 1 ? letters.indexOf(begin) : -1;
  const alphaEnd = end.length === 1 ? letters.indexOf(end) : -1;
  if (alphaBegin >= 0 && alphaEnd >= 0) {
    if (alphaBegin > alphaEnd) throw new Error('host range must have begin <= end');
    for (let i = alphaBegin; i <= alphaEnd; i += step) items.push(letters[i]!);
  } else {
    const from = Number(begin);
    const to = Number(end);
    if (!/^[0-9]+$/.test(begin) || !/^[0-9]+$/.test(end)) throw new Error(`host range [${bounds.join(':')}] is neither numeric nor alphabetic`);
    for (let i = from; i <= to; i += step) items.push(String(i).padStart(width, '0'));
  }
  return items.flatMap((item) => expandHostRange(head + item + tail));
}
