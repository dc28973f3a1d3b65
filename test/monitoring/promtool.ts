// Runs promtool (Debian package prometheus) in a folder and returns its exit code and output, for tests
// that assert on both.
import { execFile } from 'node:child_process';

export interface PromtoolResult {
  readonly code: number;
  readonly output: string;
}

export function promtool(cwd: string, args: readonly string[]): Promise<PromtoolResult> {
  return new Promise((resolve, reject) => {
    execFile('promtool', args as string[], { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: error ? (error.code as number) : 0, output: stdout + stderr });
    });
  });
}
