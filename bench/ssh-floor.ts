// The floor a run on SSH cannot beat: one connection per host, then one command per task per host on that
// open connection, hosts in parallel, measured in this (already started) process over etcdops' own transport.
import { ConnectionPool } from '../src/executor/connection-pool.js';
import { loadInventory } from '../src/inventory/load-inventory.js';

/** Seconds to connect to every host of `inventory` and run `commandsPerHost` no-op commands on each. */
export async function sshFloorSeconds(inventory: string, commandsPerHost: number): Promise<number> {
  const hosts = await loadInventory(inventory);
  const pool = new ConnectionPool(hosts);
  const started = process.hrtime.bigint();
  try {
    await Promise.all(
      [...hosts.hosts.keys()].map(async (name) => {
        const connection = pool.get(name);
        await connection.connect();
        for (let i = 0; i < commandsPerHost; i++) {
          const result = await connection.exec('true');
          if (result.code !== 0) throw new Error(`${name}: the floor's command failed: ${result.stderr}`);
        }
      }),
    );
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    await pool.closeAll();
  }
}
