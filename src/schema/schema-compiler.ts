// The one way etcdops turns its JSON Schemas (module arguments, inventories, vars files, drills, lab state,
// baselines) into validators. They are constants of this code: JSON Schema's meta-schema checks them once,
// in test/schema/schema-compiler.test.ts, not on every start, and ajv's code optimiser stays off. Both cost
// a no-op run most of its start-up (meta-schema ~25 ms per ajv instance; optimising made compiling a
// module's schema about five times slower) and buy nothing that matters when validating a task's arguments.
import { Ajv, type Options } from 'ajv';

/** An ajv instance with `options` for etcdops' own schemas (never for a schema a user supplies). */
export function schemaCompiler(options: Omit<Options, 'validateSchema' | 'code'> = {}): Ajv {
  return new Ajv({ ...options, validateSchema: false, code: { optimize: false } });
}
