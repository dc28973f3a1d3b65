// `become_user`: the connection a task's module sees runs what it runs with `become` as that user. Modules
// only say whether they need privilege (`become: ctx.become`); who that is is the task's, decided once here.
import type { BecomeOptions, Connection } from '../connection/connection.js';
import { connectionView } from '../connection/connection-view.js';

/** `connection` with every privileged command, file write and read done as `becomeUser`. */
export function asBecomeUser(connection: Connection, becomeUser: string): Connection {
  if (becomeUser === 'root') return connection;
  const as = <O extends BecomeOptions>(options: O | undefined): O => ({ ...options, becomeUser }) as O;
  return connectionView(connection, {
    exec: (command, options) => connection.exec(command, as(options)),
    putFile: (content, remotePath, options) => connection.putFile(content, remotePath, as(options)),
    fetchFile: (remotePath, options) => connection.fetchFile(remotePath, as(options)),
  });
}
