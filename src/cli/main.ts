#!/usr/bin/env node
// The etcdops command line. Each command lives in its own file and registers itself here: one line each.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ExitCode } from '../errors/exit-code.js';
import { UserError } from '../errors/user-error.js';
import { register as registerLab } from './lab.js';
import { register as registerInventory } from './inventory.js';
import { register as registerPlay } from './play.js';
import { register as registerPlan } from './plan.js';
import { register as registerDoc } from './doc.js';
import { register as registerPki } from './pki.js';
import { register as registerEtcdctl } from './etcdctl.js';
import { register as registerDemo } from './demo.js';
import { register as registerBackup } from './backup.js';
import { register as registerInspect } from './inspect.js';
import { register as registerMonitoring } from './monitoring.js';
import { register as registerDrill } from './drill.js';

const commands: readonly ((program: Command) => void)[] = [registerPlay, registerPlan, registerInventory, registerDoc, registerLab, registerPki, registerEtcdctl, registerDemo, registerBackup, registerInspect, registerMonitoring, registerDrill];

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
  for (const register of commands) register(program);
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

main(process.argv).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`etcdops: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(ExitCode.ERROR);
  },
);
