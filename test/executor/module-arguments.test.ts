// Run-time checks of a task's templated arguments: defaults filled in, a templated "6" converted where a
// number is expected, a wrong value refused; and a schema the loader compiled is not compiled again.
import { deepStrictEqual, strictEqual, throws } from 'node:assert/strict';
import { Ajv } from 'ajv';
import { UserError } from '../../src/errors/user-error.js';
import { checkModuleArguments } from '../../src/executor/module-arguments.js';
import type { ModuleDefinition } from '../../src/modules/module.js';
import { checkModuleArgs } from '../../src/playbook/module-args.js';

const where = { file: 'play.yml', line: 4 };

/** A fresh module each time, so no validator of another test is at hand. */
function fakeModule(): ModuleDefinition<any, any> {
  const schema = {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string' },
      count: { type: 'integer', default: 3 },
      force: { anyOf: [{ type: 'boolean' }, { type: 'string', enum: ['yes', 'no'] }] },
    },
  };
  return { name: 'fake', schema } as unknown as ModuleDefinition<any, any>;
}

describe('run-time checks of module arguments', () => {
  const rows: { title: string; args: Record<string, unknown>; expected?: Record<string, unknown>; error?: RegExp }[] = [
    { title: 'valid as given: the default is filled in', args: { name: 'a' }, expected: { name: 'a', count: 3 } },
    { title: 'a value that is given keeps it', args: { name: 'a', count: 7, force: 'yes' }, expected: { name: 'a', count: 7, force: 'yes' } },
    { title: 'a templated "6" where a number is expected becomes 6', args: { name: 'a', count: '6' }, expected: { name: 'a', count: 6 } },
    { title: 'text where a number is expected is refused', args: { name: 'a', count: 'six' }, error: /fake\.count must be integer/ },
    { title: 'an unknown argument is refused', args: { name: 'a', colour: 'red' }, error: /must NOT have additional properties \(colour\)/ },
  ];
  for (const row of rows) {
    it(row.title, () => {
      const given = structuredClone(row.args);
      const check = () => checkModuleArguments(fakeModule(), given, where);
      if (row.error) throws(check, (e: unknown) => e instanceof UserError && row.error!.test(e.message));
      else deepStrictEqual(check(), row.expected);
      deepStrictEqual(given, row.args, 'the task arguments themselves are left as they were');
    });
  }

  it('compiles no second validator for arguments the loader already checked', () => {
    const module = fakeModule();
    strictEqual(checkModuleArgs('fake', { schema: module.schema as object }, { name: '{{ who }}' }), undefined);
    const compile = Ajv.prototype.compile;
    let compiled = 0;
    Ajv.prototype.compile = function (this: Ajv, ...args: Parameters<Ajv['compile']>) {
      compiled++;
      return compile.apply(this, args);
    } as Ajv['compile'];
    try {
      deepStrictEqual(checkModuleArguments(module, { name: 'web' }, where), { name: 'web', count: 3 });
      strictEqual(compiled, 0);
      // Converting needs its own validator: compiled the first time only.
      deepStrictEqual(checkModuleArguments(module, { name: 'web', count: '2' }, where), { name: 'web', count: 2 });
      deepStrictEqual(checkModuleArguments(module, { name: 'web', count: '4' }, where), { name: 'web', count: 4 });
      strictEqual(compiled, 1);
    } finally {
      Ajv.prototype.compile = compile;
    }
  });
});
