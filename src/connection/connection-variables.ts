// Ansible's connection variables for one host, read and checked the way ansible-playbook 2.14 and the
// OpenSSH client check them, so a bad value fails that host (never a silent default): a port or timeout
// that is not an integer fails the host; an out-of-range port, a negative timeout, or an address or user
// OpenSSH would reject makes it unreachable.

/** Why a host cannot be connected to, and whether Ansible reports that as unreachable or as failed. */
export interface ConnectionVariableProblem {
  readonly message: string;
  readonly unreachable: boolean;
}

export interface ConnectionVariables {
  readonly address: string;
  readonly port: number;
  readonly user: string;
  readonly connectTimeoutMs: number;
  /** Set when a variable cannot be used; the host then fails (or is unreachable) on first contact. */
  readonly problem?: ConnectionVariableProblem;
}

/** Python's int() of a YAML value (how Ansible converts `port` and `timeout`), or undefined when it raises. */
export function pythonInt(value: unknown): number | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined;
  if (typeof value === 'string' && /^\s*[+-]?\d+(?:_\d+)*\s*$/.test(value)) return Number(value.replace(/_/g, '').trim());
  return undefined;
}

/** What Python's str() makes of a scalar; undefined for lists and mappings, which no address or user can be. */
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return undefined;
}

/** OpenSSH refuses such a host name before connecting ("hostname contains invalid characters"). */
function validHostname(name: string): boolean {
  return !name.startsWith('-') && !/['`"$\\;&<>|(){}\s\p{Cc}]/u.test(name);
}

/** OpenSSH refuses such a user name ("remote username contains invalid characters"). */
function validUser(name: string): boolean {
  return !name.startsWith('-') && !/['`";&<>|(){}]/.test(name) && !/\s-/.test(name) && !name.endsWith('\\');
}

const shown = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * Reads address, port, user and connect timeout from a host's variables. `sshTimeout` is a ConnectTimeout
 * given in `ansible_ssh_common_args`. With a problem, the other fields are placeholders never connected to.
 */
export function readConnectionVariables(host: string, vars: Readonly<Record<string, unknown>>, sshTimeout?: string): ConnectionVariables {
  const problems: ConnectionVariableProblem[] = [];
  const failed = (message: string) => problems.push({ message, unreachable: false });
  const unreachable = (message: string) => problems.push({ message, unreachable: true });

  const addressVar = vars.ansible_host ?? vars.ansible_ssh_host;
  const addressName = vars.ansible_host === undefined && vars.ansible_ssh_host !== undefined ? 'ansible_ssh_host' : 'ansible_host';
  const address = addressVar === undefined || addressVar === null ? host : scalarText(addressVar);
  if (address === '') unreachable(`${addressName} is empty: set it to the address or name to reach ${host} at`);
  else if (address === undefined || !validHostname(address)) {
    unreachable(
      `hostname contains invalid characters: ${addressName} is ${shown(addressVar)}; an address or name cannot start with "-" ` +
        'or contain spaces, quotes or shell characters',
    );
  }

  const portName = vars.ansible_port === undefined && vars.ansible_ssh_port !== undefined ? 'ansible_ssh_port' : 'ansible_port';
  const portVar = vars.ansible_port ?? vars.ansible_ssh_port;
  const port = portVar === undefined || portVar === null ? 22 : pythonInt(portVar);
  if (port === undefined) {
    failed(`the field 'port' has an invalid value (${shown(portVar)}), and could not be converted to an int: set ${portName} to a port number from 1 to 65535`);
  } else if (port < 1 || port > 65535) {
    unreachable(`Bad port '${port}': ${portName} must be from 1 to 65535`);
  }

  const userName = vars.ansible_user === undefined && vars.ansible_ssh_user !== undefined ? 'ansible_ssh_user' : 'ansible_user';
  const userVar = vars.ansible_user ?? vars.ansible_ssh_user;
  // Ansible passes no user when the variable is unset or empty: ssh then logs in as the local user.
  const user = userVar === undefined || userVar === null || userVar === '' ? (process.env.USER ?? 'root') : scalarText(userVar);
  if (user === undefined || !validUser(user)) {
    unreachable(`remote username contains invalid characters: ${userName} is ${shown(userVar)}`);
  }

  const timeoutVar = vars.ansible_timeout ?? sshTimeout;
  const timeout = timeoutVar === undefined || timeoutVar === null ? 10 : pythonInt(timeoutVar);
  if (timeout === undefined) {
    failed(`the field 'timeout' has an invalid value (${shown(timeoutVar)}), and could not be converted to an int: set ansible_timeout to whole seconds`);
  } else if (timeout < 0) {
    unreachable(`invalid time value: ansible_timeout is ${timeout}; give whole seconds, 0 or more`);
  }

  return {
    address: address ?? host,
    port: port ?? 22,
    user: user ?? 'root',
    connectTimeoutMs: (timeout ?? 10) * 1000,
    ...(problems[0] ? { problem: problems[0] } : {}),
  };
}
