// `etcdops etcdctl -i INV -- ARGS`: the system etcdctl against the inventory's cluster with the admin
// client certificate and every member's endpoint, so no TLS flags need remembering.
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { ExitCode } from '../errors/exit-code.js';
import { UserError } from '../errors/user-error.js';
import { loadInventory } from '../inventory/load-inventory.js';
import { inventoryClusterSpec } from '../etcd/cluster-spec.js';

export function register(program: Command): void {
  program
    .command('etcdctl')
    .description('run etcdctl against the cluster of an inventory with the admin certificate (etcdops etcdctl -i INV -- member list)')
    .requiredOption('-i, --inventory <file>', 'inventory file (Ansible YAML format)')
    .option('--etcdctl <path>', 'etcdctl binary to run', 'etcdctl')
    .argument('<args...>', 'etcdctl arguments (after --)')
    .action(async (args: string[], options: { inventory: string; etcdctl: string }) => {
      const cluster = inventoryClusterSpec(await loadInventory(options.inventory));
      const argv = [
        `--endpoints=${cluster.clientUrls.join(',')}`,
        `--cacert=${cluster.admin.ca}`,
        `--cert=${cluster.admin.cert}`,
        `--key=${cluster.admin.key}`,
        ...args,
      ];
      const code = await new Promise<number>((resolve, reject) => {
        const child = spawn(options.etcdctl, argv, { stdio: 'inherit', env: { ...process.env, ETCDCTL_API: '3' } });
        child.on('error', (error) => reject(new UserError(`cannot run ${options.etcdctl}: ${error.message}`, ExitCode.ERROR)));
        child.on('close', (status) => resolve(status ?? ExitCode.ERROR));
      });
      process.exitCode = code;
    });
}
