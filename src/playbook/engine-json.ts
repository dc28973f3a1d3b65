// A value read back from the engine's own `tojson` text. The engine hands values to JavaScript as numbers
// where a float with no fraction (2.0) becomes 2 and an int past 2**53 loses digits; its JSON text still
// has `2.0` and every digit. What prints a value Python's way (text, `~`, `| string`, `| to_json`,
// `| type_debug`) reads it from that text instead.
import { WholeFloat } from './python-values.js';

/** Reads the engine's JSON: objects as Maps (as the engine hands mappings over), `2.0` as a WholeFloat, big ints as bigints. */
export function readEngineJson(text: string): unknown {
  let at = 0;
  const fail = (): never => {
    throw new Error(`unreadable value from the template engine at offset ${at}`);
  };
  const space = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++;
  };
  const value = (): unknown => {
    space();
    const c = text[at];
    if (c === '{') {
      at++;
      const map = new Map<string, unknown>();
      space();
      if (text[at] === '}') return at++, map;
      for (;;) {
        space();
        const key = string();
        space();
        if (text[at++] !== ':') fail();
        map.set(key, value());
        space();
        const next = text[at++];
        if (next === '}') return map;
        if (next !== ',') fail();
      }
    }
    if (c === '[') {
      at++;
      const items: unknown[] = [];
      space();
      if (text[at] === ']') return at++, items;
      for (;;) {
        items.push(value());
        space();
        const next = text[at++];
        if (next === ']') return items;
        if (next !== ',') fail();
      }
    }
    if (c === '"') return string();
    for (const [word, meaning] of [['true', true], ['false', false], ['null', undefined]] as const) {
      if (text.startsWith(word, at)) return (at += word.length), meaning;
    }
    const number = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(at, at + 400));
    if (!number) return fail();
    at += number[0].length;
    const read = Number(number[0]);
    if (number[1] === undefined && number[2] === undefined) return Number.isSafeInteger(read) ? read : BigInt(number[0]);
    return Number.isInteger(read) ? new WholeFloat(read) : read;
  };
  const string = (): string => {
    if (text[at] !== '"') fail();
    let end = at + 1;
    while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
    const read = JSON.parse(text.slice(at, end + 1)) as string;
    at = end + 1;
    return read;
  };
  const read = value();
  space();
  if (at !== text.length) fail();
  return read;
}

/** Whether JSON `text` holds a float with no fraction anywhere (which a JavaScript number would hold as an int). */
export function holdsWholeFloat(text: string): boolean {
  const holds = (read: unknown): boolean =>
    read instanceof WholeFloat || (read instanceof Map ? [...read.values()].some(holds) : Array.isArray(read) && read.some(holds));
  return /[.eE]/.test(text) && holds(readEngineJson(text));
}
