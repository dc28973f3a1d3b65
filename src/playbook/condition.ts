// Evaluates `when`, `until`, `changed_when` and `failed_when` expressions in Ansible's syntax with
// expr-eval (no eval): the text is translated once, then evaluated against a task's variables.
import { Parser, type Expression } from 'expr-eval';
import { UserError, type SourceLocation } from '../errors/user-error.js';
import { ExpressionSyntaxError, translateExpression } from './jinja-expression.js';
import { FILTERS, contains, looseEqual, truthy } from './jinja-filters.js';

/** Thrown by a strict lookup; carries the variable path the user wrote. */
class UndefinedVariable extends Error {
  constructor(readonly path: string) {
    super(path);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

function lookup(target: unknown, key: unknown): { found: boolean; value?: unknown } {
  // Own properties only: `x.constructor` or `x.__proto__` must never reach JS internals.
  if (isRecord(target) && Object.hasOwn(target, String(key))) return { found: true, value: target[String(key)] };
  return { found: false };
}

function registeredResult(value: unknown, test: string): Record<string, unknown> {
  if (!isRecord(value) || Array.isArray(value)) {
    throw new Error(`'is ${test}' needs a registered task result, not ${value === null ? 'null' : typeof value}`);
  }
  return value;
}

function hasFailed(result: Record<string, unknown>): boolean {
  if (result.failed !== undefined) return truthy(result.failed);
  return typeof result.rc === 'number' && result.rc !== 0;
}

const parser = new Parser({ allowMemberAccess: false });
const fixedFunctions: Record<string, (...args: never[]) => unknown> = {
  __none: () => null,
  __isdefined: (v: unknown) => v !== undefined,
  __truthy: truthy,
  __not: (v: unknown) => !truthy(v),
  __equal: looseEqual,
  __in: contains,
  __concat: (a: unknown, b: unknown) => `${String(a)}${String(b)}`,
  __optget: (target: unknown, key: unknown) => lookup(target, key).value,
  __f_default: (value: unknown, fallback: unknown = '', onFalsy: unknown = false) =>
    value === undefined || (truthy(onFalsy) && !truthy(value)) ? fallback : value,
  __t_succeeded: (v: unknown) => !hasFailed(registeredResult(v, 'succeeded')),
  __t_failed: (v: unknown) => hasFailed(registeredResult(v, 'failed')),
  __t_changed: (v: unknown) => truthy(registeredResult(v, 'changed').changed),
  __t_skipped: (v: unknown) => truthy(registeredResult(v, 'skipped').skipped),
  __t_none: (v: unknown) => v === null,
  __t_string: (v: unknown) => typeof v === 'string',
  __t_number: (v: unknown) => typeof v === 'number',
  __t_boolean: (v: unknown) => typeof v === 'boolean',
  __t_mapping: (v: unknown) => isRecord(v) && !Array.isArray(v),
  __t_sequence: (v: unknown) => Array.isArray(v) || typeof v === 'string',
};
for (const [name, fn] of Object.entries(FILTERS)) fixedFunctions[`__f_${name}`] = fn;
Object.assign(parser.functions, fixedFunctions);

const compiled = new Map<string, Expression>();

function compile(text: string, where: SourceLocation): Expression {
  const cached = compiled.get(text);
  if (cached) return cached;
  let expression: Expression;
  try {
    expression = parser.parse(translateExpression(text));
  } catch (error) {
    const reason = error instanceof ExpressionSyntaxError ? error.message : String(error);
    throw new UserError(`invalid expression "${text}": ${reason}`, undefined, where);
  }
  compiled.set(text, expression);
  return expression;
}

/** Ansible tolerates `when: "{{ x }}"`; the braces add nothing to an expression, so drop them. */
function unwrapMustache(text: string): string {
  const match = /^\s*\{\{(.*)\}\}\s*$/s.exec(text);
  return match && !match[1]!.includes('}}') ? match[1]!.trim() : text.trim();
}

/** Evaluates an Ansible expression to its value; an undefined variable is a UserError naming it and `where`. */
export function evaluateExpression(expr: string, vars: Readonly<Record<string, unknown>>, where: SourceLocation): unknown {
  const text = unwrapMustache(expr);
  const expression = compile(text, where);
  const scope = {
    __var: (name: string) => {
      const found = lookup(vars, name);
      if (!found.found) throw new UndefinedVariable(name);
      return found.value;
    },
    __optvar: (name: string) => lookup(vars, name).value,
    __get: (target: unknown, key: unknown, path: string) => {
      const found = lookup(target, key);
      if (!found.found) throw new UndefinedVariable(path);
      return found.value;
    },
  };
  try {
    // expr-eval's typings only admit its own value shapes; our resolvers return arbitrary JSON values.
    return expression.evaluate(scope as never) as unknown;
  } catch (error) {
    if (error instanceof UndefinedVariable) {
      throw new UserError(`undefined variable '${error.path}' in "${text}" (test it with "${error.path} is defined" or give a default)`, undefined, where);
    }
    throw new UserError(`cannot evaluate "${text}": ${error instanceof Error ? error.message : String(error)}`, undefined, where);
  }
}

/** Evaluates a condition to a boolean with Python truthiness (a bare `flag` works like `flag | bool` for booleans). */
export function evaluateCondition(expr: string, vars: Readonly<Record<string, unknown>>, where: SourceLocation): boolean {
  return truthy(evaluateExpression(expr, vars, where));
}

/** Why `expr` does not parse, or undefined when it does: lets the loader reject bad conditions before running. */
export function expressionSyntaxProblem(expr: string): string | undefined {
  try {
    parser.parse(translateExpression(unwrapMustache(expr)));
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
