// Runs a system tool the lab depends on and turns a failure into an error the user can act on.
import { spawn } from 'node:child_process';
import { UserError } from '../errors/user-error.js';

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

export interface RunOptions {
  /** Resolve with the exit code instead of failing on a non-zero exit. */
  readonly allowFailure?: boolean;
  readonly input?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Kill the command after this many milliseconds. */
  readonly timeoutMs?: number;
}

export function runCommand(command: string, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args as string[], {
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      cwd: options.cwd,
      timeout: options.timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      const hint = error.code === 'ENOENT' ? ' (not installed? run `etcdops lab doctor`)' : '';
      reject(new UserError(`cannot run ${command}: ${error.message}${hint}`));
    });
    child.on('close', (code, signal) => {
      const exit = code ?? 128;
      if (exit !== 0 && !options.allowFailure) {
        const why = signal ? `killed by ${signal}` : `exit code ${exit}`;
        reject(new UserError(`\`${[command, ...args].join(' ')}\` failed (${why}): ${(stderr || stdout).trim().slice(-2000)}`));
        return;
      }
      resolve({ stdout, stderr, code: exit });
    });
    if (child.stdin) {
      // A command may exit without reading its input; that is its answer, not our error.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }
  });
}
