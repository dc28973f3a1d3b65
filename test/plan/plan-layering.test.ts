// Plans are data that reporters render: nothing in src/plan may import a reporter, so the two never import
// each other (the plan once was rebuilt from reporter events, and plan/ and reporters/ imported each other).
import { deepStrictEqual } from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const planDir = fileURLToPath(new URL('../../src/plan/', import.meta.url));

describe('src/plan', () => {
  it('imports nothing from src/reporters', () => {
    const offending = readdirSync(planDir)
      .filter((name) => name.endsWith('.ts'))
      .flatMap((name) => [...readFileSync(planDir + name, 'utf8').matchAll(/from '([^']*reporters\/[^']*)'/g)].map((m) => `${name}: ${m[1]}`));
    deepStrictEqual(offending, []);
  });
});
