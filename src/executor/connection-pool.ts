// One connection per host for the whole run, opened on first use; `localhost` and hosts with
// `ansible_connection: local` run on the control node.
import { dirname } from 'node:path';
import type { Connection } from '../connection/connection.js';
import type { HostKeyChecking } from '../connection/known-hosts.js';
import { LocalConnection } from '../connection/local.js';
import { SshConnection } from '../connection/ssh.js';
import { sshSettingsFor } from '../connection/ssh-settings.js';
import type { Inventory } from '../inventory/inventory.js';

const LOCAL_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

export class ConnectionPool {
  private readonly open = new Map<string, Connection>();

  constructor(private readonly inventory: Inventory, private readonly hostKeyChecking?: HostKeyChecking) {}

  get(host: string): Connection {
    let connection = this.open.get(host);
    if (!connection) {
      const vars = this.inventory.hosts.get(host)?.vars ?? {};
      connection =
        LOCAL_NAMES.has(host) || vars.ansible_connection === 'local'
          ? new LocalConnection(host)
          : new SshConnection(sshSettingsFor(host, vars, dirname(this.inventory.source), this.hostKeyChecking));
      this.open.set(host, connection);
    }
    return connection;
  }

  /** Connections and commands per host, for the benchmark and `-vvv`. */
  stats(): Record<string, { connections: number; commands: number }> {
    return Object.fromEntries([...this.open].map(([host, c]) => [host, { ...c.stats }]));
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.open.values()].map((c) => c.close()));
    this.open.clear();
  }
}
