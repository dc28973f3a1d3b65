// Renders the project's own `.hbs` template files with Handlebars: strict about undefined variables and
// without HTML escaping. Everything else (task arguments, conditions, `.j2` files) is Jinja.
import type Handlebars from 'handlebars';
import { UserError, type SourceLocation } from '../errors/user-error.js';
import { onFirstUse } from '../startup/on-first-use.js';
import { TEMPLATE_HELPERS } from './template-helpers.js';

const handlebarsPackage = onFirstUse<typeof Handlebars>('handlebars');
let handlebars: typeof Handlebars | undefined;

const compiled = new Map<string, Handlebars.TemplateDelegate>();

function compile(text: string): Handlebars.TemplateDelegate {
  let template = compiled.get(text);
  if (!template) {
    if (!handlebars) {
      handlebars = handlebarsPackage().create();
      handlebars.registerHelper(TEMPLATE_HELPERS);
    }
    template = handlebars.compile(text, { strict: true, noEscape: true });
    compiled.set(text, template);
  }
  return template;
}

/** Finds the dotted path the user wrote that ends at `segment`, so errors name `result.stdout`, not `stdout`. */
function fullPath(text: string, segment: string): string {
  for (const match of text.matchAll(/[A-Za-z_@][\w.[\]-]*/g)) {
    const parts = match[0].split('.');
    const at = parts.findIndex((p) => p === segment || p === `[${segment}]`);
    if (at >= 0) return parts.slice(0, at + 1).join('.');
  }
  return segment;
}

function fail(error: unknown, text: string, where: SourceLocation, lineInText: boolean): never {
  if (error instanceof UserError) throw error;
  const message = error instanceof Error ? error.message : String(error);
  const position = / - (\d+):(\d+)$/.exec(message);
  const parseLine = /^Parse error on line (\d+)/.exec(message);
  let at = where;
  if (lineInText && position) at = { ...where, line: Number(position[1]), column: Number(position[2]) + 1 };
  else if (lineInText && parseLine) at = { ...where, line: Number(parseLine[1]) };
  const missing = /^"(.+?)" not defined in/.exec(message) ?? /^Cannot read properties of (?:undefined|null) \(reading '(.+?)'\)/.exec(message);
  if (missing) {
    const context = lineInText ? '' : ` in template "${text.length > 80 ? `${text.slice(0, 77)}...` : text}"`;
    throw new UserError(`undefined variable '${fullPath(text, missing[1]!)}'${context}`, undefined, at);
  }
  if (message.startsWith('Parse error') || message.includes('Expecting')) {
    const hint = text.includes('|') ? ' (.hbs files use Handlebars: write {{default x "y"}}, or rename the file to .j2 for Jinja filters)' : '';
    const got = /got '(\w+)'/.exec(message);
    throw new UserError(`invalid template syntax${got ? ` (unexpected ${got[1]})` : ''}${hint}`, undefined, at);
  }
  throw new UserError(`cannot render template: ${message}`, undefined, at);
}

/** Renders a whole `.hbs` file; errors point at the line inside `source`. A `{%` is Jinja, never text. */
export function renderHandlebarsFile(text: string, vars: Readonly<Record<string, unknown>>, source: string): string {
  const jinja = /\{%/.exec(text);
  if (jinja) {
    const line = text.slice(0, jinja.index).split('\n').length;
    throw new UserError(`'{%' is Jinja syntax, but a .hbs file is a Handlebars template: rename it to .j2 to use Jinja`, undefined, { file: source, line });
  }
  try {
    return compile(text)(vars);
  } catch (error) {
    return fail(error, text, { file: source }, true);
  }
}
