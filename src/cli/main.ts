#!/usr/bin/env -S node --max-semi-space-size=2 --liftoff-only
// The etcdops command line. Each command lives in its own file and registers itself here: one line each.
// V8 reads its flags only at start-up, hence the shebang:
// - 2 MiB semi-spaces (the young generation) instead of 16 MiB: a run's short-lived objects are collected
//   sooner, which keeps a 3-host run's peak memory about 25 MiB lower for no measurable CPU;
// - the template engine's WebAssembly stays on V8's baseline compiler: its optimizing tier compiled the
//   hot functions again in the background, which took about 20 MiB of compiler memory at a peak and more
//   CPU than a run of seconds ever won back (a no-op site.yml: about 10 MiB lower peak, 14% less CPU;
//   rendering 16,000 expressions: no slower).
// The bench's figures.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { Command, CommanderError } from 'commander';
import { ExitCode } from '../errors/exit-code.js';
import { UserError } from '../errors/user-error.js';
import { exitWithParent } from '../os/exit-with-parent.js';

type CommandFile = { readonly register: (program: Command) => void };

/**
 * The commands, each in its own file, by name. Only the one asked for is loaded (the others bring the etcd
 * client, the Kubernetes models, the lab...): start-up time and memory count in every run. Help and an
 * unknown command load them all.
 */
const commands: Readonly<Record<string, () => Promise<CommandFile>>> = {
  play: () => import('./play.js'),
  plan: () => import('./plan.js'),
  inventory: () => import('./inventory.js'),
  doc: () => import('./doc.js'),
  lab: () => import('./lab.js'),
  pki: () => import('./pki.js'),
  etcdctl: () => import('./etcdctl.js'),
  demo: () => import('./demo.js'),
  backup: () => import('./backup.js'),
  inspect: () => import('./inspect.js'),
  monitoring: () => import('./monitoring.js'),
  drill: () => import('./drill.js'),
};

/**
 * Commands that run a playbook: their JavaScript runs for seconds between SSH round trips, and V8's optimizing
 * compiler cost them more than it won back. Measured on a 3-host site.yml, with it and without: a converge
 * 2.3-3.1 s and 2.1-2.6 s of CPU, peak memory 101-104 and 91 MiB; a no-op 1.0-1.1 s and 0.6 s, 97-101 and
 * 89-90 MiB. Commands that walk a whole keyspace or inventory keep it: a 10,000-host `inventory --list`
 * takes 0.48 s with it and 0.58 s without. The flag is V8's own, read when a function would be optimized.
 */
const INTERPRETED_COMMANDS = new Set(['play', 'plan']);

// gRPC (under the etcd client) names etcd members by IP address in TLS, which Node flags with DEP0123 on
// every run; the certificates carry those IPs, so the warning only adds noise for users.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const code = typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as { code?: string }).code : rest[1];
  if (code !== 'DEP0123') (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

/** `etcdops X.Y.Z (node vN)`: this package's version, read from its package.json two levels above this file. */
function versionLine(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return `etcdops ${pkg.version} (node ${process.version})`;
}

async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('etcdops')
    .description('Build and run highly reliable etcd clusters over SSH, Ansible-style.')
    .version(versionLine(), '--version', 'print the version of etcdops and of the Node.js it runs on')
    .exitOverride()
    .showHelpAfterError();
  if (INTERPRETED_COMMANDS.has(argv[2] ?? '')) setFlagsFromString('--no-opt');
  const asked = argv[2] === '--version' ? [] : argv[2] !== undefined && Object.hasOwn(commands, argv[2]) ? [commands[argv[2]]!] : Object.values(commands);
  for (const file of await Promise.all(asked.map((load) => load()))) file.register(program);
  try {
    await program.parseAsync(argv as string[]);
    return Number(process.exitCode ?? ExitCode.OK);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? ExitCode.OK : ExitCode.BAD_OPTIONS;
    }
    if (error instanceof UserError) {
      process.stderr.write(`ERROR: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}

exitWithParent();
main(process.argv).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`etcdops: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(ExitCode.ERROR);
  },
);
