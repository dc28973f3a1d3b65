// Starts a process that outlives the command that started it (lab hosts, the mirror), with its output
// appended to a log file; the caller keeps its PID to stop it later.
import { spawn } from 'node:child_process';
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function startDetached(
  command: string,
  args: readonly string[],
  options: { readonly logFile: string; readonly env?: NodeJS.ProcessEnv },
): Promise<number> {
  await mkdir(dirname(options.logFile), { recursive: true });
  const log = await open(options.logFile, 'a', 0o600);
  try {
    const child = spawn(command, args as string[], { detached: true, stdio: ['ignore', log.fd, log.fd], env: options.env ?? process.env });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => resolve(child.pid as number));
    });
    child.unref();
    return pid;
  } finally {
    await log.close();
  }
}
