// A drill file: the steady-state hypothesis of a chaos experiment (after chaos-mesh's Schedule and the
// Principles of Chaos): a client load, the faults with their timing, and the checks the run is judged by.
// Read through the one YAML reader (bounded) and validated against the schema below; every error points
// at file:line and the field.
import type { Document } from 'yaml';
import { ParseError } from '../errors/user-error.js';
import { parseYamlDocument, yamlValue } from '../yaml/parse-yaml-document.js';
import { schemaCompiler } from '../schema/schema-compiler.js';

export interface DrillFault {
  /** Seconds after the load starts. */
  readonly at: number;
  /** A fault kind of playbooks/fault.yml. */
  readonly fault: string;
  /** `leader`, `follower`, `each` (every member in turn, the leader last) or a member's inventory name. */
  readonly target: string;
  /** For `each`: seconds from one member's fault to the next one's (default: the duration + 5). */
  readonly spacing?: number;
  /** Seconds the fault lasts (the host clears it itself). */
  readonly duration: number;
  /** The kind's own settings, passed to fault.yml with -e. */
  readonly settings?: Readonly<Record<string, string | number | boolean>>;
}

export interface DrillChecks {
  readonly availability_percent?: number;
  readonly p99_ms?: number;
  readonly leader_changes?: number;
  readonly recovery_s?: number;
  readonly lost_writes?: number;
  readonly consistent?: boolean;
}

export interface DrillSpec {
  readonly name: string;
  readonly description?: string;
  readonly load: { readonly rate: number; readonly duration: number; readonly timeout_ms?: number };
  readonly faults: readonly DrillFault[];
  readonly checks: DrillChecks;
  readonly schedule?: string;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 2000;
/** Bounds that keep a typo from becoming an hour of load or a flood. */
const MAX_LOAD_SECONDS = 3600;
const MAX_RATE = 1000;

const scalar = { type: ['string', 'number', 'boolean'] };
export const drillSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'load', 'checks'],
  description: 'A failure drill: load, faults, checks (`etcdops drill FILE -i INV`).',
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$', maxLength: 64, description: 'Name of the drill (used in the report file name).' },
    description: { type: 'string', maxLength: 2000, description: 'What the drill rehearses, in words.' },
    load: {
      type: 'object',
      additionalProperties: false,
      required: ['rate', 'duration'],
      description: 'The client load: writes and linearizable reads in turn, over every endpoint.',
      properties: {
        rate: { type: 'number', exclusiveMinimum: 0, maximum: MAX_RATE, description: 'Requests per second.' },
        duration: { type: 'number', exclusiveMinimum: 0, maximum: MAX_LOAD_SECONDS, description: 'Seconds of load; the faults must be over before it ends.' },
        timeout_ms: { type: 'number', minimum: 100, maximum: 60000, description: `A request not answered in this time (trying each endpoint) has failed (default ${DEFAULT_REQUEST_TIMEOUT_MS}).` },
      },
    },
    faults: {
      type: 'array',
      maxItems: 100,
      description: 'Faults injected during the load (playbooks/fault.yml).',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['at', 'fault', 'target', 'duration'],
        description: 'One fault.',
        properties: {
          at: { type: 'number', minimum: 0, description: 'Seconds after the load starts.' },
          fault: { type: 'string', pattern: '^[a-z_]+$', description: 'The fault kind (etcdops doc etcd_fault).' },
          target: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$', description: 'leader, follower, each (every member in turn, the leader last), or a member name.' },
          spacing: { type: 'number', exclusiveMinimum: 0, maximum: MAX_LOAD_SECONDS, description: 'For target each: seconds from one member\'s fault to the next one\'s (default: duration + 5).' },
          duration: { type: 'number', exclusiveMinimum: 0, maximum: MAX_LOAD_SECONDS, description: 'Seconds the fault lasts.' },
          settings: { type: 'object', additionalProperties: scalar, description: 'The kind\'s settings (percent, traffic, rate, ...).' },
        },
      },
    },
    checks: {
      type: 'object',
      additionalProperties: false,
      description: 'The steady-state hypothesis: every check given must hold.',
      properties: {
        availability_percent: { type: 'number', minimum: 0, maximum: 100, description: 'Requests answered in time, at least this % of all.' },
        p99_ms: { type: 'number', minimum: 0, description: 'The 99th percentile latency of the answered requests, at most.' },
        leader_changes: { type: 'integer', minimum: 0, description: 'Leader changes seen, at most.' },
        recovery_s: { type: 'number', minimum: 0, description: 'Seconds from the end of the last fault until requests succeed again, at most.' },
        lost_writes: { type: 'integer', minimum: 0, description: 'Acknowledged writes missing at the end, at most (default 0).' },
        consistent: { type: 'boolean', description: 'Every member\'s HashKV equal at the end (default true).' },
      },
    },
    schedule: { type: 'string', pattern: '^@every [0-9]+[smhd]$', description: 'How often playbooks/drill-schedule.yml runs the drill on the host chosen, e.g. @every 10m.' },
  },
} as const;

const validate = schemaCompiler({ allErrors: false, allowUnionTypes: true }).compile<DrillSpec>(drillSchema);

function where(file: string, doc: Document, lines: { linePos(offset: number): { line: number; col: number } }, path: readonly string[]) {
  const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
  const pos = node?.range ? lines.linePos(node.range[0]) : undefined;
  return { file, line: pos?.line, column: pos?.col, field: path.join('.') || undefined };
}

/** Pure: the drill in `text`, or a ParseError at the file, line and field at fault. */
export function parseDrill(text: string, file: string): DrillSpec {
  const parsed = parseYamlDocument(file, text, { wholeFloatsAsNumbers: true });
  const value = yamlValue(parsed);
  if (!validate(value)) {
    const first = validate.errors![0]!;
    const path = first.instancePath.split('/').slice(1);
    const extra = first.params && 'additionalProperty' in first.params ? ` "${String(first.params.additionalProperty)}"` : '';
    throw new ParseError(`not a drill: ${first.message ?? 'invalid'}${extra}`, where(file, parsed.doc, parsed.lines, path));
  }
  value.faults?.forEach((fault, i) => {
    if (fault.at + fault.duration >= value.load.duration) {
      throw new ParseError(
        `the fault ends at ${fault.at + fault.duration} s, not before the load ends (${value.load.duration} s): lengthen load.duration so the recovery is measured`,
        where(file, parsed.doc, parsed.lines, ['faults', String(i)]),
      );
    }
    if (fault.spacing !== undefined && fault.target !== 'each') {
      throw new ParseError(
        `spacing is for target each, not ${fault.target}`,
        where(file, parsed.doc, parsed.lines, ['faults', String(i)]),
      );
    }
  });
  return { ...value, faults: value.faults ?? [] };
}

/** The spacing of a fault on `each` member. */
export const spacingOf = (fault: DrillFault): number => fault.spacing ?? fault.duration + 5;

/**
 * Pure: the faults with `each` expanded into one fault per member (followers in inventory order, the
 * leader last, so the cluster changes leader once); an error when one would outlast the load.
 */
export function expandFaults(spec: DrillSpec, members: readonly string[], leader: string | null): DrillFault[] {
  const order = [...members.filter((m) => m !== leader), ...members.filter((m) => m === leader)];
  const faults = spec.faults.flatMap((f) => (f.target === 'each' ? order.map((m, i) => ({ ...f, target: m, at: f.at + i * spacingOf(f) })) : [f]));
  const late = faults.find((f) => f.at + f.duration >= spec.load.duration);
  if (late) throw new Error(`the fault ${late.fault} on ${late.target} would end at ${late.at + late.duration} s, not before the load ends (${spec.load.duration} s) on these ${members.length} members: lengthen load.duration or shorten spacing`);
  return faults;
}
