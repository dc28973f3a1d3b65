// What command and shell share: commands cannot be idempotent, so they always plan RUN unless `creates`
// already exists or `removes` does not; the result carries rc, stdout and stderr for register.
import { pathsExist } from '../facts/paths-exist.js';
import { ShellCode, quoteArgv, sh, splitWords } from '../connection/shell-quote.js';
import { ChangeAction, type TaskPlan, noop } from '../plan/change.js';
import { type ModuleDefinition, defineModule } from './module.js';
import { TaskFailure } from './task-failure.js';

export interface CommandArgs {
  readonly cmd?: string;
  readonly argv?: readonly string[];
  readonly creates?: string;
  readonly removes?: string;
  readonly chdir?: string;
  readonly stdin?: string;
  readonly stdin_add_newline?: boolean;
}

/** Which of creates/removes exist on the host (absent keys were not asked). */
export type CommandFacts = Readonly<Record<string, boolean>>;

const properties = (viaShell: boolean): Record<string, unknown> => ({
  cmd: {
    type: 'string',
    description: viaShell
      ? 'Shell code run by /bin/sh -c: pipes, redirections and variables work.'
      : 'The command line, split into words like a shell would but never interpreted by one (no pipes, redirections or variables).',
  },
  ...(viaShell
    ? {}
    : { argv: { type: 'array', items: { type: 'string' }, description: 'The command as a list of words, instead of cmd.' } }),
  creates: { type: 'string', description: 'A path; when it exists the command is not run.' },
  removes: { type: 'string', description: 'A path; when it does not exist the command is not run.' },
  chdir: { type: 'string', description: 'Folder to run in (also the base of relative creates/removes).' },
  stdin: { type: 'string', description: 'Text fed to the command on its standard input.' },
  stdin_add_newline: { type: 'boolean', description: 'Append a newline to stdin (default true).' },
});

/** The text shown as the command, and recorded as `cmd` in the result. */
export function commandText(args: CommandArgs): string {
  return args.argv ? quoteArgv(args.argv) : (args.cmd ?? '');
}

export function planCommand(args: CommandArgs, facts: CommandFacts): TaskPlan {
  const cmd = commandText(args);
  if (!cmd.trim()) throw new TaskFailure('no command given (cmd or argv)');
  if (args.creates !== undefined && facts[args.creates]) {
    return noop(`${args.creates} exists`, { cmd, rc: 0, stdout: `skipped, since ${args.creates} exists`, stdout_lines: [] });
  }
  if (args.removes !== undefined && !facts[args.removes]) {
    return noop(`${args.removes} does not exist`, { cmd, rc: 0, stdout: `skipped, since ${args.removes} does not exist`, stdout_lines: [] });
  }
  const guard = args.creates ? ` (${args.creates} does not exist)` : args.removes ? ` (${args.removes} exists)` : '';
  return {
    changes: [
      { action: ChangeAction.RUN, target: cmd, reason: `a command always runs; its effect cannot be known in advance${guard}` },
    ],
  };
}

/** Runs the script held in ETCDOPS_SHELL_SCRIPT, with that variable gone from its environment. */
const SHELL_FROM_ENVIRONMENT = 'etcdops_shell_script=$ETCDOPS_SHELL_SCRIPT; unset ETCDOPS_SHELL_SCRIPT; eval "$etcdops_shell_script"';

/** The command line sent to the host: the command's words quoted one by one, or the shell code as is. */
export function commandLine(args: CommandArgs, viaShell: boolean): string {
  if (viaShell) {
    const script = args.cmd ?? '';
    if (!args.chdir) return script;
    // A fresh /bin/sh, as Ansible runs it, but the script (and any secret in it) stays off that shell's
    // command line, which every user of the host sees: it goes through the environment, which only the
    // owner and root can read, and leaves it before the script runs.
    return sh`cd -- ${args.chdir} && ETCDOPS_SHELL_SCRIPT=${script} && export ETCDOPS_SHELL_SCRIPT && exec /bin/sh -c ${SHELL_FROM_ENVIRONMENT}`.text;
  }
  const words = args.argv ?? splitWords(args.cmd ?? '');
  const run = new ShellCode(`exec ${quoteArgv(words)}`);
  return args.chdir ? sh`cd -- ${args.chdir} && ${run}`.text : run.text;
}

const lines = (text: string): string[] => (text ? text.split('\n') : []);

export function defineCommandModule(name: string, viaShell: boolean, description: string, example: string): ModuleDefinition<CommandArgs, CommandFacts> {
  return defineModule<CommandArgs, CommandFacts>({
    name,
    description,
    schema: { type: 'object', additionalProperties: false, properties: properties(viaShell) },
    example,
    freeForm: 'cmd',
    idempotent: false,
    async gather(args, ctx) {
      const paths = [args.creates, args.removes].filter((p): p is string => p !== undefined);
      if (!paths.length) return {};
      return ctx.facts.read(pathsExist, { paths, ...(args.chdir ? { cwd: args.chdir } : {}) });
    },
    plan: (args, facts) => planCommand(args, facts),
    async apply(args, plan, ctx) {
      if (!plan.changes.length) return { changed: false, result: plan.result };
      const stdin =
        args.stdin === undefined ? undefined : args.stdin + (args.stdin_add_newline === false ? '' : '\n');
      const started = Date.now();
      const out = await ctx.connection.exec(commandLine(args, viaShell), {
        become: ctx.become,
        ...(stdin !== undefined ? { stdin } : {}),
      });
      // Ansible strips every trailing newline and carriage return (its strip_empty_ends, on by default).
      const stdout = out.stdout.replace(/[\r\n]+$/, '');
      const stderr = out.stderr.replace(/[\r\n]+$/, '');
      const result = {
        cmd: commandText(args),
        rc: out.code,
        stdout,
        stderr,
        stdout_lines: lines(stdout),
        stderr_lines: lines(stderr),
        delta_ms: Date.now() - started,
      };
      if (out.code !== 0) return { changed: true, failed: true, msg: `non-zero return code ${out.code}`, result };
      return { changed: true, result };
    },
  });
}
