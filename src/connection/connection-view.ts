// A view of a connection that changes how some of its operations run (a task's time limit, environment,
// become user) and passes everything else through to the one connection underneath, whose stats it shares.
import type { Connection } from './connection.js';

type Operations = Pick<Connection, 'exec' | 'putFile' | 'fetchFile'>;

/** `connection` with the given operations replaced. */
export function connectionView(connection: Connection, replaced: Partial<Operations>): Connection {
  return {
    get host() {
      return connection.host;
    },
    stats: connection.stats,
    connect: () => connection.connect(),
    exec: replaced.exec ?? ((command, options) => connection.exec(command, options)),
    putFile: replaced.putFile ?? ((content, remotePath, options) => connection.putFile(content, remotePath, options)),
    fetchFile: replaced.fetchFile ?? ((remotePath, options) => connection.fetchFile(remotePath, options)),
    close: () => connection.close(),
  };
}
