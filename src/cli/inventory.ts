// `etcdops inventory`: shows an inventory as etcdops reads it (--list, --graph, --host) and which hosts a
// pattern selects (--list-hosts with --limit), with the same output shapes as ansible-inventory. `-i` takes a
// YAML or INI file, a folder of them, or a host list, and may be given several times, as in Ansible.
import type { Command } from 'commander';
import { ExitCode } from '../errors/exit-code.js';
import { UserError } from '../errors/user-error.js';
import { loadInventory } from '../inventory/load-inventory.js';
import { requireLimitMatches, selectHosts } from '../inventory/select-hosts.js';
import { renderGraph, toAnsibleList, toSortedJson } from '../inventory/inventory-views.js';

interface InventoryOptions {
  readonly inventory: string[];
  readonly list?: boolean;
  readonly graph?: string | boolean;
  readonly host?: string;
  readonly listHosts?: boolean;
  readonly limit?: string;
}

export function register(program: Command): void {
  program
    .command('inventory')
    .description('Show an inventory as etcdops reads it, or the hosts a pattern selects.')
    .option('-i, --inventory <path>', 'inventory: a YAML or INI file, a folder of them, or host1,host2, (repeatable)', (value: string, previous: string[]) => [...previous, value], [])
    .option('--list', 'print every group and host with its variables, as JSON (like ansible-inventory --list)')
    .option('--graph [group]', 'draw the group tree, from `all` or the given group')
    .option('--host <host>', "print one host's merged variables as JSON")
    .option('--list-hosts', 'print the hosts selected by --limit (all hosts without it), one per line')
    .option('-l, --limit <pattern>', 'host pattern, e.g. "etcd:&dc1:!etcd-3"')
    .action(async (options: InventoryOptions) => {
      const actions = [options.list, options.graph, options.host, options.listHosts].filter((given) => given !== undefined);
      if (actions.length !== 1) throw new UserError('give exactly one of --list, --graph, --host or --list-hosts', ExitCode.BAD_OPTIONS);
      if (options.limit !== undefined && !options.listHosts) throw new UserError('--limit goes with --list-hosts', ExitCode.BAD_OPTIONS);
      if (options.inventory.length === 0) throw new UserError('no inventory given: pass -i INVENTORY', ExitCode.BAD_OPTIONS);
      const inventory = await loadInventory(options.inventory);
      let output: string;
      if (options.list) {
        output = toSortedJson(toAnsibleList(inventory));
      } else if (options.graph !== undefined) {
        const root = typeof options.graph === 'string' ? options.graph : 'all';
        if (!inventory.groups.has(root)) throw new UserError(`--graph needs a group name; '${root}' is not a group`, ExitCode.BAD_OPTIONS);
        output = renderGraph(inventory, root);
      } else if (options.host !== undefined) {
        const host = inventory.hosts.get(options.host);
        if (!host) throw new UserError(`--host needs one host of the inventory; '${options.host}' is not one`, ExitCode.BAD_OPTIONS);
        output = toSortedJson(host.vars);
      } else {
        requireLimitMatches(inventory, options.limit);
        const hosts = selectHosts(inventory, 'all', options.limit === undefined ? {} : { limit: options.limit });
        if (hosts.length === 0) process.stderr.write('WARNING: the inventory has no hosts\n');
        output = hosts.join('\n');
      }
      if (output) process.stdout.write(`${output}\n`);
    });
}
