// Writes schemas/playbook.schema.json from the keyword tables: `npx tsx src/playbook/write-playbook-schema.ts`.
import { writeFile } from 'node:fs/promises';
import { modules } from '../modules/registry.js';
import { playbookJsonSchema } from './playbook-schema.js';

await writeFile(new URL('../../schemas/playbook.schema.json', import.meta.url), `${JSON.stringify(playbookJsonSchema(modules), null, 2)}\n`);
