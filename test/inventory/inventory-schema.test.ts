// The shipped schema file must be exactly the schema the loader validates with.
import { deepStrictEqual } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { inventorySchema } from '../../src/inventory/inventory-schema.js';

describe('schemas/inventory.schema.json', () => {
  it('matches the schema in src/inventory/inventory-schema.ts', async () => {
    const shipped: unknown = JSON.parse(await readFile(new URL('../../schemas/inventory.schema.json', import.meta.url), 'utf8'));
    deepStrictEqual(shipped, JSON.parse(JSON.stringify(inventorySchema)));
  });
});
