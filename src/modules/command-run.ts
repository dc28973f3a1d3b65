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

/** The text shown as the command in plans and output. */
export function commandText(args: CommandArgs): string {
  return args.argv ? quoteArgv(args.argv) : (args.cmd ?? '');
}

/** `cmd` in the result, as Ansible records it: command's list of words, shell's code as written. */
function recordedCommand(args: CommandArgs, viaShell: boolean): string | string[] {
  return viaShell ? (args.cmd ?? '') : [...(args.argv ?? splitWords(args.cmd ?? ''))];
}

/** Python's str() of a datetime, as Ansible's command module records `start` and `end`. */
function pythonTime(at: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}.${String(at.getMilliseconds()).padStart(3, '0')}000`;
}

/** Python's str() of a timedelta (`0:00:00.002000`), as Ansible records `delta`. */
function pythonDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 3600)}:${String(Math.floor(seconds / 60) % 60).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}000`;
}

const lines = (text: string): string[] => (text ? text.split('\n') : []);

/** The result of a command not run because of creates/removes, keys in the order Ansible's module gives them. */
function skippedResult(args: CommandArgs, viaShell: boolean, path: string, state: 'exists' | 'does not exist'): Record<string, unknown> {
  const stdout = `skipped, since ${path} ${state}`;
  return {
    changed: false, stdout, stderr: '', rc: 0, cmd: recordedCommand(args, viaShell), start: null, end: null, delta: null,
    msg: `Did not run command since '${path}' ${state}`, stdout_lines: [stdout], stderr_lines: [],
  };
}

export function planCommand(args: CommandArgs, facts: CommandFacts, viaShell: boolean): TaskPlan {
  const cmd = commandText(args);
  if (!cmd.trim()) throw new TaskFailure('no command given (cmd or argv)');
  if (args.creates !== undefined && facts[args.creates]) return noop(`${args.creates} exists`, skippedResult(args, viaShell, args.creates, 'exists'));
  if (args.removes !== undefined && !facts[args.removes]) return noop(`${args.removes} does not exist`, skippedResult(args, viaShell, args.removes, 'does not exist'));
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
    plan: (args, facts) => planCommand(args, facts, viaShell),
    async apply(args, plan, ctx) {
      if (!plan.changes.length) return { changed: false, result: plan.result };
      const stdin =
        args.stdin === undefined ? undefined : args.stdin + (args.stdin_add_newline === false ? '' : '\n');
      const started = new Date();
      const out = await ctx.connection.exec(commandLine(args, viaShell), {
        become: ctx.become,
        ...(stdin !== undefined ? { stdin } : {}),
      });
      const ended = new Date();
      // Ansible strips every trailing newline and carriage return (its strip_empty_ends, on by default).
      const stdout = out.stdout.replace(/[\r\n]+$/, '');
      const stderr = out.stderr.replace(/[\r\n]+$/, '');
      const failed = out.code !== 0;
      const msg = failed ? 'non-zero return code' : '';
      // The keys in the order Ansible's module gives them, so a printed result reads the same.
      const result = {
        changed: true, stdout, stderr, rc: out.code, cmd: recordedCommand(args, viaShell),
        start: pythonTime(started), end: pythonTime(ended), delta: pythonDuration(ended.getTime() - started.getTime()),
        ...(failed ? { failed, msg } : { msg }), stdout_lines: lines(stdout), stderr_lines: lines(stderr),
      };
      return failed ? { changed: true, failed: true, msg, result } : { changed: true, result };
    },
  });
}
