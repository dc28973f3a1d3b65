// A saved plan on disk: written 0600 through an exclusively created temp file renamed into place (a
// symbolic link planted at the path is replaced, never followed), and read back with a clear error.
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ExitCode } from '../errors/exit-code.js';
import { UserError } from '../errors/user-error.js';
import type { RunPlan } from './run-plan.js';

export const PLAN_FILE_MODE = 0o600;

export function writePlanFile(path: string, plan: RunPlan): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    // 'wx' is O_CREAT|O_EXCL: fails on anything already there, a link included.
    writeFileSync(temp, `${JSON.stringify(plan, null, 2)}\n`, { mode: PLAN_FILE_MODE, flag: 'wx' });
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new UserError(`--out ${path}: cannot write the plan: ${(error as Error).message}`, ExitCode.BAD_OPTIONS);
  }
}

export function readPlanFile(path: string): RunPlan {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RunPlan;
  } catch (error) {
    throw new UserError(`--plan ${path}: cannot read the saved plan: ${(error as Error).message}`, ExitCode.BAD_OPTIONS);
  }
}
