// `-e` / `--extra-vars` as ansible-playbook reads it: `k=v k2=v2` (values stay strings), a YAML or JSON mapping
// starting with `{`, or `@file`. Mappings and files go through the one YAML reader, so they read as YAML 1.1
// like every other file (`0644` is octal, `yes` is true) and within the same bounds; `@/dev/zero` is refused.
import { ExitCode } from '../errors/exit-code.js';
import { UserError } from '../errors/user-error.js';
import { MAX_YAML_BYTES } from '../yaml/input-limits.js';
import { parseYamlDocument, yamlValue } from '../yaml/parse-yaml-document.js';
import { readInputFile } from '../yaml/read-input-file.js';

function mapping(value: unknown, origin: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError(`${origin}: extra vars must be a mapping of names to values`, ExitCode.BAD_OPTIONS);
  }
  return value as Record<string, unknown>;
}

/** How an inline value is named in messages: the option and the start of the value. */
function inlineLabel(text: string): string {
  return `-e '${text.length > 40 ? `${text.slice(0, 40)}…` : text}'`;
}

export function parseExtraVars(values: readonly string[]): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const raw of values) {
    const text = raw.trim();
    if (text.startsWith('@')) {
      const file = text.slice(1);
      let content: string;
      try {
        content = readInputFile(file, { what: 'extra vars file', maxBytes: MAX_YAML_BYTES, missingExitCode: ExitCode.BAD_OPTIONS });
      } catch (error) {
        if (error instanceof UserError && error.exitCode === ExitCode.BAD_OPTIONS) throw new UserError(`-e @${file}: cannot read the file`, ExitCode.BAD_OPTIONS);
        throw error;
      }
      Object.assign(merged, mapping(yamlValue(parseYamlDocument(file, content)), `-e @${file}`));
    } else if (text.startsWith('{') || text.startsWith('[')) {
      Object.assign(merged, mapping(yamlValue(parseYamlDocument(inlineLabel(text), text)), inlineLabel(text)));
    } else if (text.startsWith('/') || text.startsWith('.')) {
      throw new UserError(`-e ${text}: to read variables from this file, write -e @${text}`, ExitCode.BAD_OPTIONS);
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
