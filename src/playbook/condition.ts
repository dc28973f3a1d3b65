// Evaluates `when`, `until`, `changed_when`, `failed_when` and `assert` conditions as Ansible does: a
// Jinja expression, tested with Python truthiness, through the same engine as every other template.
import type { SourceLocation } from '../errors/user-error.js';
import { ENGINE_FILTERS, ENGINE_TESTS, FILTERS, TESTS } from './ansible-filters.js';
import { evaluateJinja, jinjaSyntaxProblem, testJinja } from './jinja-engine.js';
import { hasJinja } from './jinja-source.js';
import { truthy } from './python-values.js';
import { renderValue } from './templating.js';

/** The expression inside `{{ x }}`: what is evaluated, or checked at load, for a value written with braces. */
function unwrapMustache(text: string): string {
  const match = /^\s*\{\{(.*)\}\}\s*$/s.exec(text);
  return match && !match[1]!.includes('}}') && !match[1]!.includes('{{') ? match[1]!.trim() : text.trim();
}

/** Evaluates an Ansible expression to its value; an undefined variable is a UserError naming it and `where`. */
export function evaluateExpression(expr: string, vars: Readonly<Record<string, unknown>>, where: SourceLocation): unknown {
  return evaluateJinja(unwrapMustache(expr), vars, where);
}

/**
 * Evaluates a condition to a boolean with Python truthiness. A condition holding `{{ }}` is rendered first,
 * as Ansible does: a value that is not text (`"{{ 'False' }}"` reads back as False) decides by itself, and
 * text is then evaluated as the condition (`"{{ flag }}"` with flag 'false' is false, not a non-empty string).
 */
export function evaluateCondition(expr: string | boolean, vars: Readonly<Record<string, unknown>>, where: SourceLocation): boolean {
  if (typeof expr === 'boolean') return expr;
  if (!hasJinja(expr)) return testJinja(expr, vars, where);
  const rendered = renderValue(expr, vars, where);
  if (typeof rendered !== 'string' || rendered === '') return truthy(rendered);
  return testJinja(rendered, vars, where);
}

export const KNOWN_FILTERS: ReadonlySet<string> = new Set([...ENGINE_FILTERS, ...Object.keys(FILTERS)]);
export const KNOWN_TESTS: ReadonlySet<string> = new Set([...ENGINE_TESTS, ...Object.keys(TESTS)]);

/** Why `expr` does not parse (or names an unknown filter or test), or undefined: lets the loader reject it before running. */
export function expressionSyntaxProblem(expr: string): string | undefined {
  return jinjaSyntaxProblem(`{{ ${unwrapMustache(expr)} }}`, KNOWN_FILTERS, KNOWN_TESTS)?.message;
}
