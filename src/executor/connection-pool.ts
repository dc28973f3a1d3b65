// One connection per host (and login user) for the whole run, opened on first use, with its fact cache;
// `localhost` and hosts with `ansible_connection: local` run on the control node. A play's or task's `remote_user` is the login
// user only where the inventory sets no `ansible_user`, which wins as in Ansible.
import { dirname } from 'node:path';
import { noConnectionStats, type Connection, type ConnectionStats } from '../connection/connection.js';
import type { HostKeyChecking } from '../connection/known-hosts.js';
import { LocalConnection } from '../connection/local.js';
import { SshConnection } from '../connection/ssh.js';
import { sshSettingsFor } from '../connection/ssh-settings.js';
import type { Inventory } from '../inventory/inventory.js';
import { ChangeCount, FactReader } from '../facts/fact.js';

const LOCAL_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

/** A host's connection variables with `remote_user` applied: it is the login user unless the inventory names one. */
export function withRemoteUser(vars: Readonly<Record<string, unknown>>, remoteUser: string | undefined): Readonly<Record<string, unknown>> {
  if (remoteUser === undefined || vars.ansible_user !== undefined || vars.ansible_ssh_user !== undefined) return vars;
  return { ...vars, ansible_user: remoteUser };
}

export class ConnectionPool {
  private readonly open = new Map<string, Connection>();
  private readonly readers = new Map<Connection, FactReader>();
  /** Every change the run makes, on any host: counted by the task runner, read by every host's facts. */
  readonly changes = new ChangeCount();

  constructor(private readonly inventory: Inventory, private readonly hostKeyChecking?: HostKeyChecking) {}

  get(host: string, remoteUser?: string): Connection {
    const inventoryVars = this.inventory.hosts.get(host)?.vars ?? {};
    const vars = withRemoteUser(inventoryVars, remoteUser);
    const key = vars === inventoryVars ? host : `${host}\u0000${String(vars.ansible_user)}`;
    let connection = this.open.get(key);
    if (!connection) {
      connection =
        LOCAL_NAMES.has(host) || vars.ansible_connection === 'local'
          ? new LocalConnection(host)
          : new SshConnection(sshSettingsFor(host, vars, dirname(this.inventory.source), this.hostKeyChecking));
      this.open.set(key, connection);
    }
    return connection;
  }

  /**
   * The facts read through `connection`, cached for as long as the pool lives and the run changes nothing
   * on any host: a planning run and the run applying its plan share them (`play --plan`).
   */
  factReader(connection: Connection, become: boolean, becomeUser = 'root'): FactReader {
    let reader = this.readers.get(connection);
    if (!reader) {
      reader = new FactReader(connection, false, 'root', this.changes);
      this.readers.set(connection, reader);
    }
    return reader.as(become, becomeUser);
  }

  /** Connections, commands and the time they took per host (a host's login users together), for the recap. */
  stats(): Record<string, ConnectionStats> {
    const stats: Record<string, ConnectionStats> = {};
    for (const c of this.open.values()) {
      const sum = (stats[c.host] ??= noConnectionStats());
      sum.connections += c.stats.connections;
      sum.commands += c.stats.commands;
      sum.connectMs += c.stats.connectMs;
      sum.commandMs += c.stats.commandMs;
    }
    for (const sum of Object.values(stats)) {
      sum.connectMs = Math.round(sum.connectMs);
      sum.commandMs = Math.round(sum.commandMs);
    }
    return stats;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.open.values()].map((c) => c.close()));
    this.open.clear();
    this.readers.clear();
  }
}
