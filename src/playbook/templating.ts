// Renders Handlebars templates in task arguments and `.hbs` files: strict about undefined variables,
// no HTML escaping, and a value that is exactly one `{{ expr }}` keeps its native type as in Ansible.
import Handlebars from 'handlebars';
import { UserError, type SourceLocation } from '../errors/user-error.js';
import { TEMPLATE_HELPERS } from './template-helpers.js';

const handlebars = Handlebars.create();
handlebars.registerHelper(TEMPLATE_HELPERS);

// Holds the value of a single-expression template; rendering is synchronous, so one slot suffices.
let captured: unknown;
handlebars.registerHelper('__capture', (value: unknown) => {
  captured = value;
  return '';
});

const compiled = new Map<string, Handlebars.TemplateDelegate>();

function compile(text: string): Handlebars.TemplateDelegate {
  let template = compiled.get(text);
  if (!template) {
    template = handlebars.compile(text, { strict: true, noEscape: true });
    compiled.set(text, template);
  }
  return template;
}

const PATH = /^(?:this\.)?[A-Za-z_][\w-]*(?:\.(?:[\w-]+|\[[^\]]+\]))*$/;
const SINGLE = /^\{\{(?![{#/^!>&])\s*(.*?)\s*\}\}$/s;

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
    const hint = text.includes('|') ? ' (templates use Handlebars: write {{default x "y"}} rather than Jinja filters like {{ x | default("y") }})' : '';
    const got = /got '(\w+)'/.exec(message);
    throw new UserError(`invalid template syntax${got ? ` (unexpected ${got[1]})` : ''}${hint}`, undefined, at);
  }
  throw new UserError(`cannot render template: ${message}`, undefined, at);
}

function resolvePath(path: string, vars: Readonly<Record<string, unknown>>, where: SourceLocation): unknown {
  let value: unknown = vars;
  const parts = path.replace(/^this\./, '').split('.');
  parts.forEach((raw, i) => {
    const part = raw.replace(/^\[(.*)\]$/, '$1');
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) {
      throw new UserError(`undefined variable '${parts.slice(0, i + 1).join('.')}'`, undefined, where);
    }
    value = (value as Record<string, unknown>)[part];
  });
  return value;
}

function renderString(text: string, vars: Readonly<Record<string, unknown>>, where: SourceLocation): unknown {
  if (!text.includes('{{')) return text;
  const single = SINGLE.exec(text);
  if (single && !single[1]!.includes('{{') && !single[1]!.includes('}}')) {
    const inner = single[1]!;
    if (PATH.test(inner)) return resolvePath(inner, vars, where);
    const head = inner.split(/\s/, 1)[0]!;
    if (Object.hasOwn(TEMPLATE_HELPERS, head) || head === 'lookup') {
      captured = undefined;
      try {
        compile(`{{__capture (${inner})}}`)(vars);
      } catch (error) {
        fail(error, text, where, false);
      }
      return captured;
    }
  }
  try {
    return compile(text)(vars);
  } catch (error) {
    return fail(error, text, where, false);
  }
}

/** Renders every string inside a nested value; `where` locates the value for error messages. */
export function renderValue(value: unknown, vars: Readonly<Record<string, unknown>>, where: SourceLocation): unknown {
  if (typeof value === 'string') return renderString(value, vars, where);
  if (Array.isArray(value)) return value.map((item) => renderValue(item, vars, where));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderValue(v, vars, where)]));
  }
  return value;
}

/** Renders a whole template file (`.hbs`); errors point at the line inside `source`. */
export function renderTemplateFile(text: string, vars: Readonly<Record<string, unknown>>, source: string): string {
  try {
    return compile(text)(vars);
  } catch (error) {
    return fail(error, text, { file: source }, true);
  }
}
