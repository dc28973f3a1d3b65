// The schemas etcdops ships are compiled without meta-schema validation at run time (start-up cost), so
// this is where each is checked against JSON Schema's meta-schema: a typo in a keyword's value (a `type`
// that is no type, a `required` that is no list) fails here instead of silently validating nothing.
import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { Ajv } from 'ajv';
import { drillSchema } from '../../src/drill/drill-spec.js';
import { baselineSchema } from '../../src/inspect/baseline.js';
import { inventorySchema, varsFileSchema } from '../../src/inventory/inventory-schema.js';
import { stateSchema } from '../../src/lab/lab-state.js';
import { modules } from '../../src/modules/registry.js';
import { schemaCompiler } from '../../src/schema/schema-compiler.js';

const shipped: Record<string, object> = {
  inventory: inventorySchema,
  'vars file': varsFileSchema,
  drill: drillSchema,
  baseline: baselineSchema,
  'lab state': stateSchema,
  ...Object.fromEntries([...modules].map(([name, module]) => [`module ${name}`, module.schema as object])),
};

/** What the meta-schema says is wrong with `schema` (empty when it is a valid draft-07 schema). */
function metaProblems(schema: object): string[] {
  const ajv = new Ajv({ strict: false });
  return ajv.validateSchema(schema) ? [] : (ajv.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('schemaCompiler', () => {
  for (const [name, schema] of Object.entries(shipped)) {
    it(`the ${name} schema is a valid JSON Schema and compiles`, () => {
      deepStrictEqual(metaProblems(schema), []);
      strictEqual(typeof schemaCompiler({ strict: false, allowUnionTypes: true }).compile(schema), 'function');
    });
  }

  it('the meta-schema check catches what the run-time compiler lets through', () => {
    const broken = [
      { type: 'object', properties: { mode: { type: 'string', description: 5 } } },
      { type: 'object', required: ['path', 'path'] },
      { type: 'object', properties: { mode: { title: ['mode'] } } },
    ];
    for (const schema of broken) {
      strictEqual(typeof schemaCompiler({ strict: false }).compile(schema), 'function');
      strictEqual(metaProblems(schema).length > 0, true, JSON.stringify(schema));
    }
  });
});
