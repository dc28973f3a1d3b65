// The lab's state file: what `up` created (indexes, PIDs, paths), written before each thing is
// started, so that `down` can undo a crashed `up` too.
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ParseError } from '../errors/user-error.js';
import { labStateDir, labsDir } from './lab-paths.js';
import { schemaCompiler } from '../schema/schema-compiler.js';

export interface LabHostState {
  readonly name: string;
  readonly number: number;
  readonly address: string;
  readonly netns: string;
  readonly veth: string;
  readonly machine: string;
  readonly pid: number | null;
}

export interface LabState {
  readonly name: string;
  readonly index: number;
  readonly mirrorPid: number | null;
  readonly hosts: readonly LabHostState[];
}

const hostSchema = {
  type: 'object',
  description: 'One lab host.',
  required: ['name', 'number', 'address', 'netns', 'veth', 'machine', 'pid'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', description: 'Host name inside the lab (n1, n2, ...).' },
    number: { type: 'integer', minimum: 1, description: 'The host number, from which the names below derive.' },
    address: { type: 'string', description: 'IPv4 address of eth0 on the lab bridge.' },
    netns: { type: 'string', description: 'Named network namespace under /run/netns.' },
    veth: { type: 'string', description: 'Bridge-side end of the veth pair.' },
    machine: { type: 'string', description: 'systemd-nspawn machine name.' },
    pid: { type: ['integer', 'null'], description: 'PID of the systemd-nspawn process, null when not started.' },
  },
} as const;

export const stateSchema = {
  type: 'object',
  description: 'State of one lab, written by `lab up` and read by every other lab command.',
  required: ['name', 'index', 'mirrorPid', 'hosts'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', description: 'Lab name.' },
    index: { type: 'integer', minimum: 0, maximum: 254, description: 'Third octet of the lab subnet 10.213.INDEX.0/24.' },
    mirrorPid: { type: ['integer', 'null'], description: 'PID of the artifact mirror process, null when not started.' },
    hosts: { type: 'array', items: hostSchema, description: 'Hosts in creation order.' },
  },
} as const;

const validate = schemaCompiler({ allErrors: true }).compile<LabState>(stateSchema);

export function stateFile(name: string): string {
  return join(labStateDir(name), 'state.json');
}

export async function readLabState(name: string): Promise<LabState | undefined> {
  let text: string;
  try {
    text = await readFile(stateFile(name), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ParseError(`lab state is not JSON (${(error as Error).message}); remove the folder to start over`, { file: stateFile(name) });
  }
  if (!validate(data)) {
    const first = validate.errors?.[0];
    throw new ParseError(`lab state is invalid: ${first?.message ?? 'unknown'}`, { file: stateFile(name), field: first?.instancePath });
  }
  return data;
}

export async function writeLabState(state: LabState): Promise<void> {
  const file = stateFile(state.name);
  await mkdir(labStateDir(state.name), { recursive: true, mode: 0o700 });
  await writeFile(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

/** Every lab that has a state file, for subnet collision checks. */
export async function readAllLabStates(): Promise<readonly LabState[]> {
  const names = await readdir(labsDir()).catch(() => [] as string[]);
  const states = await Promise.all(names.map((name) => readLabState(name).catch(() => undefined)));
  return states.filter((state): state is LabState => state !== undefined);
}
