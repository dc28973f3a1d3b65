// `etcdops backup now -i INV`: one etcd backup on demand. It runs the bundled playbooks/backup-now.yml,
// so the backup hosts run the very service their timer starts, and the exit code says whether it worked.
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { addRunOptions, play, type PlayOptions } from './play.js';

/** Shipped with the package: dist/bin/, dist/cli/ and src/cli/ are all two levels below it. */
export const BACKUP_NOW_PLAYBOOK = fileURLToPath(new URL('../../playbooks/backup-now.yml', import.meta.url));

export function register(program: Command): void {
  const backup = program.command('backup').description('etcd backups (install them on a schedule with playbooks/backup.yml)');
  addRunOptions(backup.command('now'))
    .description('take one verified etcd backup now on the backup hosts, with its off-site copy')
    .action(async (options: PlayOptions) => {
      process.exitCode = await play(BACKUP_NOW_PLAYBOOK, options);
    });
}
