// `etcdops doc [MODULE]`: the modules, or one module's arguments from its schema, with an example
// (as ansible-doc does). The schema is the single source, so this page cannot drift from validation.
import type { Command } from 'commander';
import { ExitCode } from '../errors/exit-code.js';
import { UserError } from '../errors/user-error.js';
import { modules } from '../modules/registry.js';

interface PropertySchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
}

function describeModule(name: string): string {
  const module = modules.get(name);
  if (!module) {
    throw new UserError(`no module named "${name}"; \`etcdops doc\` lists them`, ExitCode.BAD_OPTIONS);
  }
  const schema = module.schema as { properties?: Record<string, PropertySchema>; required?: string[] };
  const required = new Set(schema.required ?? []);
  const lines = [`> ${module.name}: ${module.description}`, ''];
  if (!module.idempotent) lines.push('  Not idempotent by itself: use creates/removes/changed_when.', '');
  lines.push('OPTIONS (= is mandatory):', '');
  for (const [option, property] of Object.entries(schema.properties ?? {})) {
    const type = Array.isArray(property.type) ? property.type.join('|') : (property.type ?? 'any');
    lines.push(`${required.has(option) ? '=' : '-'} ${option}  (${type})`);
    lines.push(`    ${property.description ?? ''}`);
    if (property.enum) lines.push(`    choices: ${property.enum.map((v) => JSON.stringify(v)).join(', ')}`);
    if (property.default !== undefined) lines.push(`    default: ${JSON.stringify(property.default)}`);
    const aliases = Object.entries(module.aliases ?? {}).filter(([, argument]) => argument === option).map(([alias]) => alias);
    if (aliases.length > 0) lines.push(`    aliases: ${aliases.join(', ')}`);
  }
  lines.push('', 'EXAMPLE:', '', module.example.trimEnd(), '');
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('doc')
    .argument('[module]', 'module to describe')
    .description('list modules, or describe one module’s arguments')
    .action((name?: string) => {
      if (name) {
        process.stdout.write(describeModule(name));
        return;
      }
      const width = Math.max(...[...modules.keys()].map((n) => n.length));
      for (const module of [...modules.values()].sort((a, b) => a.name.localeCompare(b.name))) {
        process.stdout.write(`${module.name.padEnd(width)}  ${module.description}\n`);
      }
    });
}
