// The shipped JSON Schema is the generated one, and it accepts the good fixture and rejects a bad play keyword.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { modules } from '../../src/modules/registry.js';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { playbookJsonSchema } from '../../src/playbook/playbook-schema.js';
import { FAKE_MODULES } from './fake-modules.js';

describe('playbook JSON Schema', () => {
  it('schemas/playbook.schema.json is up to date (regenerate with src/playbook/write-playbook-schema.ts)', async () => {
    const shipped = JSON.parse(await readFile('schemas/playbook.schema.json', 'utf8')) as unknown;
    assert.deepEqual(shipped, playbookJsonSchema(modules));
  });

  const shippedValidate = new Ajv({ strict: false, allErrors: true }).compile(playbookJsonSchema(modules));
  for (const file of readdirSync('playbooks').filter((f) => f.endsWith('.yml'))) {
    it(`the shipped playbooks/${file} validates in an editor`, async () => {
      const playbook = parse(await readFile(`playbooks/${file}`, 'utf8'), { version: '1.1' }) as unknown;
      assert.ok(shippedValidate(playbook), JSON.stringify(shippedValidate.errors?.slice(0, 3)));
    });
  }

  const corpus = 'test/fixtures/ansible-corpus';
  for (const file of readdirSync(corpus).filter((f) => f.endsWith('.yml') && f !== 'inventory.yml')) {
    it(`the Ansible corpus ${file} (blocks, includes, roles, import_playbook) validates in an editor`, async () => {
      const playbook = parse(await readFile(`${corpus}/${file}`, 'utf8'), { version: '1.1' }) as unknown;
      assert.ok(shippedValidate(playbook), JSON.stringify(shippedValidate.errors?.slice(0, 3)));
    });
  }

  for (const file of ['bad/unknown-arg.yml', 'bad/missing-required.yml', 'bad/wrong-arg-type.yml']) {
    it(`an editor flags the module arguments of ${file}`, async () => {
      const playbook = parse(await readFile(`test/fixtures/playbooks/${file}`, 'utf8'), { version: '1.1' }) as unknown;
      assert.equal(shippedValidate(playbook), false);
    });
  }

  const validate = new Ajv({ strict: false }).compile(playbookJsonSchema(FAKE_MODULES));
  const read = async (file: string) => parse(await readFile(`test/fixtures/playbooks/${file}`, 'utf8'), { version: '1.1' }) as unknown;

  it('accepts the good playbook', async () => {
    assert.ok(validate(await read('good/site.yml')), JSON.stringify(validate.errors));
  });

  for (const file of ['bad/unknown-play-keyword.yml', 'bad/bad-serial.yml', 'bad/unknown-module.yml', 'bad/no-hosts.yml']) {
    it(`rejects ${file}`, async () => {
      assert.equal(validate(await read(file)), false);
    });
  }
});
