// `environment:` for command and shell tasks: each command line of the task starts by exporting the
// variables, every value quoted by `sh`, so a value is never read as shell code (as Ansible, values are
// strings: Python's str() of what the template gave).
import type { Connection } from '../connection/connection.js';
import { connectionView } from '../connection/connection-view.js';
import { sh } from '../connection/shell-quote.js';
import { pyStr } from '../playbook/python-values.js';

/** Modules whose commands see the task's environment. */
export const ENVIRONMENT_MODULES: readonly string[] = ['command', 'shell'];

/** `connection` with `environment` exported before every command it runs. */
export function withEnvironment(connection: Connection, environment: Readonly<Record<string, unknown>>): Connection {
  const names = Object.keys(environment);
  if (names.length === 0) return connection;
  // Names were checked at load (letters, digits, _), so only values need quoting.
  const exports = names.map((name) => `export ${name}=${sh`${pyStr(environment[name])}`.text}; `).join('');
  return connectionView(connection, { exec: (command, options) => connection.exec(exports + command, options) });
}
