// Validates a task's module arguments against the module's JSON Schema with ajv, before anything runs.
// Values that are templates (`{{ ... }}`, `{% ... %}`, `!unsafe` text) are only known at run time, so their type checks are skipped.
// The same compiled validator checks the templated arguments at run time (executor/module-arguments.ts):
// compiling a module's schema is most of what checking costs, so each schema is compiled once per run.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { didYouMean } from './suggest.js';
import { UnsafeText } from '../yaml/pyyaml-compat.js';
import { hasJinja } from './jinja-source.js';
import { schemaCompiler } from '../schema/schema-compiler.js';

export interface ModuleSpec {
  readonly schema: object;
  readonly freeForm?: string;
  /** Other names of arguments (alias → argument), as Ansible's argument specs declare them. */
  readonly aliases?: Readonly<Record<string, string>>;
}

export interface ArgProblem {
  /** Path below the module's arguments, e.g. `['mode']`. */
  readonly path: readonly (string | number)[];
  /** Whether the problem is a key (an unknown argument) rather than a value. */
  readonly isKey: boolean;
  readonly message: string;
}

// useDefaults fills the schema's defaults in at run time; at load the validator works on a copy.
const ajv = schemaCompiler({ allErrors: true, strict: false, useDefaults: true });
const validators = new WeakMap<object, ValidateFunction>();

/**
 * The validator of a module's arguments, compiled once per schema: types are checked as they are (no
 * conversion), and missing arguments with a default in the schema get it in the validated object.
 */
export function moduleArgsValidator(schema: object): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}

function pathOf(instancePath: string): (string | number)[] {
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let value = root;
  for (const part of path) value = (value as Record<string | number, unknown> | undefined)?.[part];
  return value;
}

const isTemplate = (value: unknown): boolean => (typeof value === 'string' && hasJinja(value)) || value instanceof UnsafeText;

function propertyNames(schema: object, path: readonly (string | number)[]): string[] {
  let node = schema as { properties?: Record<string, object> };
  for (const part of path) node = (node.properties?.[String(part)] ?? {}) as typeof node;
  return Object.keys(node.properties ?? {});
}

function describe(error: ErrorObject, module: string, schema: object, args: unknown): ArgProblem {
  const path = pathOf(error.instancePath);
  const where = path.length > 0 ? `argument '${path.join('.')}' of module ${module}` : `module ${module}`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const known = propertyNames(schema, path);
      return {
        path: [...path, name],
        isKey: true,
        message: `unknown argument '${name}' for ${where}${didYouMean(name, known)}; valid arguments: ${known.join(', ')}`,
      };
    }
    case 'required':
      return { path, isKey: true, message: `missing required argument '${String(params.missingProperty)}' for ${where}` };
    case 'enum':
      return { path, isKey: false, message: `${where} must be one of: ${(params.allowedValues as unknown[]).map(String).join(', ')}` };
    case 'type': {
      const value = valueAt(args, path);
      return { path, isKey: false, message: `${where} must be ${String(params.type)}, not ${Array.isArray(value) ? 'a list' : typeof value}` };
    }
    case 'pattern': {
      const node = path.reduce<{ properties?: Record<string, object>; items?: object; description?: string }>(
        (n, part) => ((typeof part === 'number' ? n.items : n.properties?.[part]) ?? {}) as typeof n,
        schema as object,
      );
      return { path, isKey: false, message: `${where} is not valid (${JSON.stringify(valueAt(args, path))}): ${node.description ?? error.message}` };
    }
    default:
      return { path, isKey: false, message: `${where} ${error.message ?? 'is invalid'}` };
  }
}

/** The first problem with `args` for `module`, or undefined when they are valid. */
export function checkModuleArgs(module: string, spec: ModuleSpec, args: Readonly<Record<string, unknown>>): ArgProblem | undefined {
  const validate = moduleArgsValidator(spec.schema);
  if (validate(structuredClone(args))) return undefined;
  const errors = (validate.errors ?? []).filter((error) => {
    // A template's type is only known at run time; combinator and if/then errors repeat the specific ones.
    if (['if', 'then', 'else'].includes(error.keyword)) return false;
    return !isTemplate(valueAt(args, pathOf(error.instancePath)));
  });
  // Prefer problems a user fixes by name (unknown or missing arguments), then the most specific value problem.
  const ranked = [...errors].sort((a, b) => rank(a) - rank(b) || pathOf(b.instancePath).length - pathOf(a.instancePath).length);
  const first = ranked[0];
  return first ? describe(first, module, spec.schema, args) : undefined;
}

function rank(error: ErrorObject): number {
  if (error.keyword === 'additionalProperties' || error.keyword === 'required') return 0;
  if (error.keyword === 'anyOf' || error.keyword === 'oneOf') return 2;
  return 1;
}
