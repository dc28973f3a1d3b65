// Placeholder: the `lab` command is being built.
import type { Command } from 'commander';

export function register(program: Command): void {
  program.command('lab').description('(not yet available)');
}
