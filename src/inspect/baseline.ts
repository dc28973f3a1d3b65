// The prefix baseline: per-prefix key counts and bytes saved to a JSON file, so a later inspection shows
// how each prefix grew since. Written atomically; validated on read against the schema below.
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ExitCode } from '../errors/exit-code.js';
import { ParseError, UserError } from '../errors/user-error.js';
import type { PrefixStats } from './prefixes.js';
import { schemaCompiler } from '../schema/schema-compiler.js';

export const BASELINE_FORMAT = 'etcdops-inspect-baseline';

export interface Baseline {
  readonly format: typeof BASELINE_FORMAT;
  readonly version: 1;
  readonly takenAt: string;
  readonly revision: number;
  readonly depth: number;
  readonly prefixes: readonly PrefixStats[];
}

export const baselineSchema = {
  type: 'object',
  description: 'Key counts and bytes per prefix of an etcd keyspace at one moment, written by `etcdops inspect --save-baseline`.',
  required: ['format', 'version', 'takenAt', 'revision', 'depth', 'prefixes'],
  additionalProperties: false,
  properties: {
    format: { const: BASELINE_FORMAT, description: 'Marks the file as an etcdops inspection baseline.' },
    version: { const: 1, description: 'Version of this file format.' },
    takenAt: { type: 'string', description: 'When the keyspace was read (ISO 8601).' },
    revision: { type: 'integer', minimum: 0, description: 'The etcd revision the keyspace was read at.' },
    depth: { type: 'integer', minimum: 1, description: 'How many `/`-separated segments make a prefix.' },
    prefixes: {
      type: 'array',
      description: 'Every prefix present at that revision.',
      items: {
        type: 'object',
        description: 'One prefix.',
        required: ['prefix', 'keys', 'bytes'],
        additionalProperties: false,
        properties: {
          prefix: { type: 'string', description: 'The prefix, e.g. `/app/users/`.' },
          keys: { type: 'integer', minimum: 0, description: 'Number of keys under the prefix.' },
          bytes: { type: 'integer', minimum: 0, description: 'Bytes of those keys and their values.' },
        },
      },
    },
  },
} as const;

const validate = schemaCompiler({ allErrors: true }).compile<Baseline>(baselineSchema);

export function makeBaseline(revision: number, depth: number, prefixes: readonly PrefixStats[], takenAt = new Date()): Baseline {
  return { format: BASELINE_FORMAT, version: 1, takenAt: takenAt.toISOString(), revision, depth, prefixes };
}

/** Pure: the baseline in `text`, or a ParseError naming the file and the field at fault. */
export function parseBaseline(text: string, file: string): Baseline {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ParseError(`not JSON: ${(error as Error).message}`, { file });
  }
  if (!validate(value)) {
    const first = validate.errors![0]!;
    throw new ParseError(`not an inspection baseline: ${first.message ?? 'invalid'}`, { file, field: first.instancePath.slice(1).replace(/\//g, '.') || undefined });
  }
  return value;
}

export async function readBaseline(file: string): Promise<Baseline> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read the baseline ${file}: ${(error as Error).message}`, ExitCode.ERROR);
  }
  return parseBaseline(text, file);
}

export async function writeBaseline(file: string, baseline: Baseline): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, `${JSON.stringify(baseline, null, 2)}\n`);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw new UserError(`cannot write the baseline ${file}: ${(error as Error).message}`, ExitCode.ERROR);
  }
}
