// Validates a task's arguments against its module's schema once they are templated (types of templated
// values are only known at run time); defaults from the schema are filled in. As Ansible's argument spec
// converts, a templated "6" is accepted where a number is expected (`-e key=value` values are strings).
// Arguments that pass as they are go through the validator the loader compiled for the same schema; only
// those that need a conversion compile the converting one, which is used for nothing else.
import type { ValidateFunction } from 'ajv';
import { UserError, type SourceLocation } from '../errors/user-error.js';
import type { ModuleDefinition } from '../modules/module.js';
import { moduleArgsValidator } from '../playbook/module-args.js';
import { schemaCompiler } from '../schema/schema-compiler.js';

const converting = schemaCompiler({ allErrors: true, strict: false, useDefaults: true, coerceTypes: true });
const compiled = new WeakMap<object, ValidateFunction>();

function convertingValidator(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = converting.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

export function checkModuleArguments(
  module: ModuleDefinition<any, any>,
  args: Record<string, unknown>,
  where: SourceLocation,
): Record<string, unknown> {
  const asGiven = structuredClone(args);
  if (moduleArgsValidator(module.schema as object)(asGiven)) return asGiven;
  const validate = convertingValidator(module.schema as object);
  const copy = structuredClone(args);
  if (!validate(copy)) {
    const problems = (validate.errors ?? [])
      .map((e) => `${module.name}${e.instancePath.replace(/\//g, '.')} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${e.params.additionalProperty})` : ''}`)
      .join('; ');
    throw new UserError(`invalid arguments after templating: ${problems}`, undefined, where);
  }
  return copy;
}
