// Validates a task's arguments against its module's schema once they are templated (types of templated
// values are only known at run time); defaults from the schema are filled in. As Ansible's argument spec
// converts, a templated "6" is accepted where a number is expected (`-e key=value` values are strings).
import type { ValidateFunction } from 'ajv';
import { UserError, type SourceLocation } from '../errors/user-error.js';
import type { ModuleDefinition } from '../modules/module.js';
import { schemaCompiler } from '../schema/schema-compiler.js';

const ajv = schemaCompiler({ allErrors: true, strict: false, useDefaults: true, coerceTypes: true });
const compiled = new WeakMap<object, ValidateFunction>();

export function checkModuleArguments(
  module: ModuleDefinition<any, any>,
  args: Record<string, unknown>,
  where: SourceLocation,
): Record<string, unknown> {
  let validate = compiled.get(module);
  if (!validate) {
    validate = ajv.compile(module.schema as object);
    compiled.set(module, validate);
  }
  const copy = structuredClone(args);
  if (!validate(copy)) {
    const problems = (validate.errors ?? [])
      .map((e) => `${module.name}${e.instancePath.replace(/\//g, '.')} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${e.params.additionalProperty})` : ''}`)
      .join('; ');
    throw new UserError(`invalid arguments after templating: ${problems}`, undefined, where);
  }
  return copy;
}
