// pause with a prompt (as Ansible's): asks the operator a question on the terminal and registers the answer
// as `user_input`. Without a terminal nobody can answer: the answer is empty and the run goes on, so a
// playbook decides what an unanswered question means (restore.yml refuses).
import { createInterface } from 'node:readline/promises';
import { noop } from '../plan/change.js';
import { defineModule } from './module.js';

export interface PauseArgs {
  readonly prompt: string;
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

export const pauseModule = defineModule<PauseArgs, string | undefined>({
  name: 'pause',
  description: 'Ask the operator a question on the terminal; the answer is registered as user_input (empty without a terminal).',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['prompt'],
    properties: {
      prompt: { type: 'string', description: 'The question shown on the terminal.' },
    },
  },
  example: `- name: Confirmation
  pause:
    prompt: Type yes to replace the data of every member
  register: answer
`,
  idempotent: true,
  controlOnly: true,
  // Reading the operator's answer is the only input this module gathers; it changes nothing anywhere.
  gather: (args) => ask(args.prompt),
  plan: (_args, answer) =>
    noop(answer === undefined ? 'not asked: no terminal to answer on' : 'answered', { user_input: answer ?? '', asked: answer !== undefined }),
  apply: async (_args, plan) => ({ changed: false, result: plan.result }),
});
