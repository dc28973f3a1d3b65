// Every registered module: a schema that compiles, a description on every property, and an example
// whose arguments validate against the schema.
import assert from 'node:assert/strict';
import { Ajv } from 'ajv';
import YAML from 'yaml';
import { modules } from '../../src/modules/registry.js';
import { checkTemplates } from '../../src/playbook/template-checks.js';

describe('module registry', () => {
  it('holds the modules the engine promises', () => {
    const engine = ['assert', 'command', 'copy', 'debug', 'fetch', 'file', 'get_url', 'group', 'set_fact', 'shell', 'systemd', 'template', 'unarchive', 'user', 'wait_for'];
    assert.deepEqual(engine.filter((name) => !modules.has(name)), []);
  });
  for (const [name, module] of modules) {
    it(`${name}: schema, descriptions and example`, () => {
      assert.equal(module.name, name);
      assert.ok(module.description.length > 10);
      const schema = module.schema as { properties?: Record<string, { description?: string }>; additionalProperties?: unknown };
      for (const [prop, spec] of Object.entries(schema.properties ?? {})) assert.ok(spec.description, `${name}.${prop} has a description`);
      const validate = new Ajv({ allErrors: true, strict: false }).compile(module.schema);
      const [task] = YAML.parse(module.example) as Record<string, unknown>[];
      // A module without required arguments may be written bare (`etcd_health:`).
      const args = (task[name] ?? {}) as Record<string, unknown> | string;
      const asObject = typeof args === 'string' ? { [module.freeForm as string]: args, ...(task.args as object) } : args;
      // A templated value's type is only known at run time: the loader checks it then, and so does this test.
      const templated = (path: string) => {
        const value = (asObject as Record<string, unknown>)[path.split('/')[1] ?? ''];
        return typeof value === 'string' && value.includes('{{');
      };
      const problems = validate(asObject) ? [] : (validate.errors ?? []).filter((e) => !templated(e.instancePath));
      assert.deepEqual(problems, []);
      // Examples are Jinja, as task arguments are: they must pass the loader's template checks.
      assert.doesNotThrow(() => checkTemplates(YAML.parse(module.example), () => ({ file: `${name} example` })));
    });
  }
});
