// A template's first line `#jinja2: trim_blocks: False, lstrip_blocks: True` sets how Jinja reads that one
// template, as Ansible's templar reads it (each `key: value` pair a Python literal), and is not part of the
// output. The settings etcdops' engine can follow are honoured; any other is an error, not ignored.
import { literalEval } from '../inventory/python-literal.js';

const HEADER = '#jinja2:';

export interface JinjaSettings {
  /** The template without its header line. */
  readonly body: string;
  readonly trimBlocks: boolean;
  readonly lstripBlocks: boolean;
  readonly keepTrailingNewline: boolean;
}

const KEYS: Readonly<Record<string, keyof Omit<JinjaSettings, 'body'>>> = {
  trim_blocks: 'trimBlocks',
  lstrip_blocks: 'lstripBlocks',
  keep_trailing_newline: 'keepTrailingNewline',
};

/** Ansible's defaults (trim_blocks on), changed by the template's `#jinja2:` line when it has one. */
export function jinjaSettings(text: string): JinjaSettings {
  const settings = { body: text, trimBlocks: true, lstripBlocks: false, keepTrailingNewline: false };
  if (!text.startsWith(HEADER)) return settings;
  const eol = text.indexOf('\n');
  const line = eol < 0 ? text.slice(HEADER.length) : text.slice(HEADER.length, eol);
  settings.body = eol < 0 ? '' : text.slice(eol + 1);
  for (const pair of line.split(',')) {
    const colon = pair.indexOf(':');
    if (colon < 0) throw new Error(`failed to parse jinja2 override '${pair.trim()}': write key: value pairs separated by commas`);
    const key = pair.slice(0, colon).trim();
    const setting = KEYS[key];
    if (!setting) throw new Error(`the #jinja2: line sets ${key}, which etcdops does not (it takes ${Object.keys(KEYS).join(', ')})`);
    const value = literalEval(pair.slice(colon + 1).trim())?.value;
    if (typeof value !== 'boolean') throw new Error(`the #jinja2: line sets ${key} to ${pair.slice(colon + 1).trim()}: write True or False`);
    settings[setting] = value;
  }
  return settings;
}
