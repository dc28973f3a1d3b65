// `-e` / `--extra-vars` as ansible-playbook reads it: `k=v k2=v2`, a JSON or YAML mapping, or `@file`.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ExitCode } from '../errors/exit-code.js';
import { UserError } from '../errors/user-error.js';

function mapping(value: unknown, origin: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError(`${origin}: extra vars must be a mapping of names to values`, ExitCode.BAD_OPTIONS);
  }
  return value as Record<string, unknown>;
}

export function parseExtraVars(values: readonly string[]): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const raw of values) {
    const text = raw.trim();
    if (text.startsWith('@')) {
      const file = text.slice(1);
      let content: string;
      try {
        content = readFileSync(file, 'utf8');
      } catch {
        throw new UserError(`-e @${file}: cannot read the file`, ExitCode.BAD_OPTIONS);
      }
      try {
        Object.assign(merged, mapping(parse(content), `-e @${file}`));
      } catch (error) {
        if (error instanceof UserError) throw error;
        throw new UserError(`-e @${file}: ${(error as Error).message}`, ExitCode.PARSE_ERROR);
      }
    } else if (text.startsWith('{')) {
      Object.assign(merged, mapping(parse(text), `-e ${text}`));
    } else {
      for (const pair of text.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? []) {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new UserError(`-e ${pair}: expected NAME=VALUE, a JSON/YAML mapping, or @FILE`, ExitCode.BAD_OPTIONS);
        merged[pair.slice(0, eq)] = pair.slice(eq + 1).replace(/^(["'])(.*)\1$/, '$2');
      }
    }
  }
  return merged;
}
