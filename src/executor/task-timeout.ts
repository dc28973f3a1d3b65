// A task's `timeout:` keyword (as Ansible 2.10+): the attempt fails once its time is up, and every command
// it runs on the host carries the time left, so the host stops the command instead of letting it run on.
import type { Connection, ExecOptions } from '../connection/connection.js';
import { connectionView } from '../connection/connection-view.js';
import { UserError } from '../errors/user-error.js';
import type { Task } from '../playbook/playbook.js';

/** Time the host gets after the task's limit to stop a command itself, before the link gives up on it. */
const REMOTE_GRACE_MS = 1000;

/** `connection` with every command limited to what is left until `deadline`. */
export function boundedConnection(connection: Connection, deadline: number): Connection {
  const remaining = (options: ExecOptions): number => {
    const left = Math.max(1, deadline - Date.now()) + REMOTE_GRACE_MS;
    return options.timeoutMs === undefined ? left : Math.min(options.timeoutMs, left);
  };
  return connectionView(connection, { exec: (command, options = {}) => connection.exec(command, { ...options, timeoutMs: remaining(options) }) });
}

/** Runs `work` against a bounded connection; fails with a message naming the task and its limit when time is up. */
export async function withTaskTimeout<T>(task: Task, host: string, connection: Connection, work: (connection: Connection) => Promise<T>): Promise<T> {
  if (task.timeout === undefined) return work(connection);
  const limitMs = task.timeout * 1000;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new UserError(`${host}: task "${task.name}" did not finish within its timeout of ${task.timeout} s and was stopped (raise \`timeout:\` if it needs longer)`, undefined, { ...task.source, field: 'timeout' })),
      limitMs,
    );
  });
  try {
    return await Promise.race([work(boundedConnection(connection, Date.now() + limitMs)), expired]);
  } finally {
    clearTimeout(timer);
  }
}
