// Templating of task arguments, vars and template files. Task arguments and vars are Jinja, as in
// Ansible, and a templated string gets the type Ansible's default (non-native) templating gives it
// (templated-text-types.ts): `"{{ 5 }}"` is the string '5', `"{{ [1] }}"` a list. Template files pick
// their engine by extension: `.hbs` (the project's own templates) is Handlebars, anything else is Jinja.
import type { SourceLocation } from '../errors/user-error.js';
import { UnsafeText } from '../yaml/pyyaml-compat.js';
import { renderHandlebarsFile } from './handlebars-templating.js';
import { OMIT, evaluateJinja, renderJinja, withTextNewlines } from './jinja-engine.js';
import { escapeBackslashes, hasJinja, singleExpression } from './jinja-source.js';
import { endsInStringFilter, keepsItsType, singleVariable, typedText } from './templated-text-types.js';

function renderString(written: string, vars: Readonly<Record<string, unknown>>, where: SourceLocation): unknown {
  if (!hasJinja(written)) return written;
  const text = escapeBackslashes(written);
  // Jinja drops one final newline of a template and Ansible gives a text result back the newlines it
  // lacks, so the type is decided on what comes before it: "{{ d | to_json }}\n" stays text, "{{ 'True' }}\n"
  // is a boolean, and "{{ d | to_nice_yaml }}\n" ends in to_nice_yaml's one newline.
  if (text.endsWith('\n')) {
    const value = renderTyped(text.slice(0, -1), vars, where);
    return typeof value === 'string' ? withTextNewlines(value, text) : value;
  }
  return renderTyped(text, vars, where);
}

function renderTyped(text: string, vars: Readonly<Record<string, unknown>>, where: SourceLocation): unknown {
  const name = singleVariable(text);
  if (name !== undefined && Object.prototype.hasOwnProperty.call(vars, name)) {
    const value = vars[name];
    if (keepsItsType(value)) return value;
  }
  const single = singleExpression(text);
  if (single !== undefined) {
    const value = evaluateJinja(single, vars, where);
    // A list or dict would print as Python's repr and read back the same: skip the round trip.
    if (Array.isArray(value) || (value !== null && typeof value === 'object')) return value;
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string' && endsInStringFilter(single)) return value;
    if (typeof value === 'string') return typedText(value);
  }
  return typedText(renderJinja(text, vars, where));
}

/** Renders every string inside a nested value; `where` locates the value for error messages. */
export function renderValue(value: unknown, vars: Readonly<Record<string, unknown>>, where: SourceLocation): unknown {
  if (value instanceof UnsafeText) return value.text;
  if (typeof value === 'string') return renderString(value, vars, where);
  if (Array.isArray(value)) return value.map((item) => renderValue(item, vars, where));
  if (value !== null && typeof value === 'object') {
    // `x: "{{ y | default(omit) }}"` leaves x out when y is undefined.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderValue(v, vars, where)]).filter(([, v]) => v !== OMIT));
  }
  return value;
}

/** Renders a whole template file; the extension picks the engine, errors point at the line inside `source`. */
export function renderTemplateFile(text: string, vars: Readonly<Record<string, unknown>>, source: string): string {
  if (source.endsWith('.hbs')) return renderHandlebarsFile(text, vars, source);
  return renderJinja(text, vars, { file: source }, true);
}
