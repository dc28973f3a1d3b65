// raw: sends a command line to the host's shell as written, with no module machinery (Ansible's use:
// bootstrapping hosts). It cannot be idempotent: creates/removes are not raw's (use command or shell).
import { sh } from '../connection/shell-quote.js';
import { ChangeAction } from '../plan/change.js';
import { defineModule } from './module.js';
import { TaskFailure } from './task-failure.js';

export interface RawArgs {
  readonly cmd: string;
  readonly executable?: string;
}

const lines = (text: string): string[] => text.split('\n').filter((line, i, all) => line !== '' || i < all.length - 1);

export const rawModule = defineModule<RawArgs, undefined>({
  name: 'raw',
  description: "Run a command line through the host's shell as written (not idempotent: guard it with changed_when).",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['cmd'],
    properties: {
      cmd: { type: 'string', description: "The command line, given to the login shell (or to executable with -c) unchanged." },
      executable: { type: 'string', description: 'Absolute path of the shell that runs the command, e.g. /bin/bash.' },
    },
  },
  example: `- name: Install python on a bare host
  raw: test -e /usr/bin/python3 || (apt-get update && apt-get install -y python3-minimal)
`,
  freeForm: 'cmd',
  idempotent: false,
  gather: async () => undefined,
  plan(args) {
    if (!args.cmd.trim()) throw new TaskFailure('no command given');
    return { changes: [{ action: ChangeAction.RUN, target: args.cmd, reason: 'a raw command always runs; its effect cannot be known in advance' }] };
  },
  async apply(args, _plan, ctx) {
    const line = args.executable ? sh`exec ${args.executable} -c ${args.cmd}`.text : args.cmd;
    const out = await ctx.connection.exec(line, { become: ctx.become });
    // Unlike command, Ansible's raw keeps the output as the shell wrote it.
    const result = { rc: out.code, stdout: out.stdout, stderr: out.stderr, stdout_lines: lines(out.stdout), stderr_lines: lines(out.stderr) };
    if (out.code !== 0) return { changed: true, failed: true, msg: `non-zero return code`, result };
    return { changed: true, result };
  },
});
