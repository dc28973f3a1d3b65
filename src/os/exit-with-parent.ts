// A command another etcdops process started for itself (the drill runs fault.yml) ends when that process
// is gone, however it went (SIGKILL included): Node offers no parent-death signal (Linux's
// PR_SET_PDEATHSIG), so the child watches its parent's PID, which becomes another once the parent dies.
// Cutting a fault's play short is safe: the injection on the host arms its own rollback first and
// ignores the dropped SSH session (src/faults/fault-script.ts).
import { ExitCode } from '../errors/exit-code.js';

/** Set by the parent to its own PID in the environment of the child it starts. */
export const EXIT_WITH_PARENT_ENV = 'ETCDOPS_EXIT_WITH_PARENT';
const POLL_MS = 250;

/** The environment for a child of this process that must end with it. */
export function childEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, [EXIT_WITH_PARENT_ENV]: String(process.pid) };
}

/** Starts watching the parent when this process was started with EXIT_WITH_PARENT_ENV; commands it runs do not inherit it. */
export function exitWithParent(env: NodeJS.ProcessEnv = process.env): void {
  const parent = Number(env[EXIT_WITH_PARENT_ENV]);
  delete env[EXIT_WITH_PARENT_ENV];
  if (!Number.isInteger(parent) || parent <= 1) return;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    process.stderr.write(`etcdops: the process that started this one (pid ${parent}) is gone; stopping\n`);
    process.exit(ExitCode.INTERRUPTED);
  }, POLL_MS);
  // The watch alone never keeps the command running.
  watch.unref();
}
