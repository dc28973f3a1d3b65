// Placeholder: the `inventory` command is being built.
import type { Command } from 'commander';

export function register(program: Command): void {
  program.command('inventory').description('(not yet available)');
}
