// pause (as Ansible's): waits `seconds` or `minutes`, or asks the operator a question on the terminal and
// registers the answer as `user_input`. Without a terminal nobody can answer a question: the answer is
// empty and the run goes on, so a playbook decides what an unanswered question means (restore.yml refuses).
import { createInterface } from 'node:readline/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { noop } from '../plan/change.js';
import { defineModule } from './module.js';
import { TaskFailure } from './task-failure.js';

export interface PauseArgs {
  readonly prompt?: string;
  readonly seconds?: number | string;
  readonly minutes?: number | string;
  readonly echo?: boolean;
}

/** What the pause did: waited a set time, or asked (answer undefined when there was no terminal). */
type Pause = { readonly waited: { readonly start: Date; readonly stop: Date; readonly unit: 'seconds' | 'minutes' } } | { readonly answer: string | undefined };

/** Ansible converts seconds/minutes with Python's int(): a float is truncated, a string must be an integer. */
function wholeNumber(name: string, value: number | string): number {
  if (typeof value === 'number') return Math.trunc(value);
  if (/^\s*[-+]?\d+\s*$/.test(value)) return Number(value);
  throw new TaskFailure(`${name} must be a whole number, not ${JSON.stringify(value)}`);
}

/** The operator's answer, or undefined when standard input is not a terminal. */
async function ask(prompt: string): Promise<string | undefined> {
  if (!process.stdin.isTTY) return undefined;
  const terminal = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return (await terminal.question(`\n${prompt}: `)).trim();
  } finally {
    terminal.close();
    // Reading put stdin in flowing mode; paused again, it no longer keeps the process alive.
    process.stdin.pause();
  }
}

async function wait(seconds: number, unit: 'seconds' | 'minutes'): Promise<Pause> {
  const start = new Date();
  // As Ansible: less than a second still pauses one.
  await sleep(Math.max(1, seconds) * 1000);
  return { waited: { start, stop: new Date(), unit } };
}

/** Ansible's datetime text: `2026-11-30 07:14:24.385094` (local time, microseconds). */
function pythonTime(date: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}000`;
}

/** Python's str() of a float rounded to 2 places: always with a fraction (`8.0`, `8.01`). */
function pythonFloat(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return Number.isInteger(rounded) ? `${rounded}.0` : String(rounded);
}

function waitResult(waited: { start: Date; stop: Date; unit: 'seconds' | 'minutes' }, echo: boolean): Record<string, unknown> {
  const elapsed = (waited.stop.getTime() - waited.start.getTime()) / 1000;
  const shown = waited.unit === 'minutes' ? elapsed / 60 : elapsed;
  return {
    start: pythonTime(waited.start),
    stop: pythonTime(waited.stop),
    delta: Math.trunc(elapsed),
    stdout: `Paused for ${pythonFloat(shown)} ${waited.unit}`,
    stderr: '',
    rc: 0,
    echo,
    user_input: '',
  };
}

export const pauseModule = defineModule<PauseArgs, Pause>({
  name: 'pause',
  description: 'Wait a number of seconds or minutes, or ask the operator a question on the terminal (the answer is registered as user_input; empty without a terminal).',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      prompt: { type: 'string', description: 'The question shown on the terminal.' },
      seconds: { type: ['integer', 'number', 'string'], description: 'Wait this many seconds (a whole number; at least 1) instead of for an answer.' },
      minutes: { type: ['integer', 'number', 'string'], description: 'Wait this many minutes (a whole number) instead of for an answer.' },
      echo: { type: 'boolean', default: true, description: 'Show what the operator types.' },
    },
  },
  example: `- name: Confirmation
  pause:
    prompt: Type yes to replace the data of every member
  register: answer

- name: Let the new leader settle
  pause:
    seconds: 5
`,
  idempotent: true,
  controlOnly: true,
  waits: true,
  // Waiting, or reading the operator's answer, is all this module does; it changes nothing anywhere.
  gather: async (args) => {
    if (args.minutes !== undefined && args.seconds !== undefined) throw new TaskFailure('parameters are mutually exclusive: minutes|seconds');
    if (args.minutes !== undefined) return wait(wholeNumber('minutes', args.minutes) * 60, 'minutes');
    if (args.seconds !== undefined) return wait(wholeNumber('seconds', args.seconds), 'seconds');
    return { answer: await ask(args.prompt ?? 'Press enter to continue, Ctrl+C to interrupt') };
  },
  plan: (args, pause) =>
    'waited' in pause
      ? noop('waited', waitResult(pause.waited, args.echo ?? true))
      : noop(pause.answer === undefined ? 'not asked: no terminal to answer on' : 'answered', { user_input: pause.answer ?? '', asked: pause.answer !== undefined }),
  apply: async (_args, plan) => ({ changed: false, result: plan.result }),
});
