// What every command that runs a playbook shares: loading the inventory and playbook, checking the
// inventory's key files before any host is contacted, and Ctrl-C handling.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ExitCode } from '../errors/exit-code.js';
import { UserError } from '../errors/user-error.js';
import { sshSettingsFor } from '../connection/ssh-settings.js';
import type { Inventory } from '../inventory/inventory.js';
import { loadInventory } from '../inventory/load-inventory.js';
import { modules } from '../modules/registry.js';
import { loadPlaybook } from '../playbook/loader.js';
import type { Playbook } from '../playbook/playbook.js';
import { parseExtraVars } from './extra-vars.js';
import { readSecretSources, secretNames } from './secret-vars.js';
import { preflight } from '../executor/preflight.js';

export interface LoadedRun {
  readonly inventory: Inventory;
  readonly playbook: Playbook;
  readonly extraVars: Record<string, unknown>;
  /** Names among extraVars whose values are secret: redacted from output, never saved in a plan. */
  readonly secretNames: ReadonlySet<string>;
}

export async function loadRun(playbookFile: string, inventoryPaths: readonly string[], extraVarArgs: readonly string[]): Promise<LoadedRun> {
  if (inventoryPaths.length === 0) throw new UserError('no inventory given: pass -i INVENTORY', ExitCode.BAD_OPTIONS);
  const sources = readSecretSources(extraVarArgs, process.env);
  const extraVars = { ...sources.environment, ...parseExtraVars(extraVarArgs) };
  const inventory = await loadInventory(inventoryPaths);
  // Absolute, so `playbook_dir` is too, wherever etcdops is started from (as in Ansible).
  const playbook = await loadPlaybook(resolve(playbookFile), { modules, extraVars });
  preflight(playbook, inventory, extraVars, modules);
  return { inventory, playbook, extraVars, secretNames: secretNames(extraVars, sources) };
}

/** Fails before any connection when a host's key file is missing: nothing is half-done. */
export function checkKeyFiles(inventory: Inventory, hosts: readonly string[]): void {
  for (const host of hosts) {
    const vars = inventory.hosts.get(host)?.vars ?? {};
    if (vars.ansible_connection === 'local') continue;
    const settings = sshSettingsFor(host, vars, dirname(inventory.source));
    if (settings.privateKeyFile && !existsSync(settings.privateKeyFile)) {
      throw new UserError(
        `host ${host}: the private key file ${settings.privateKeyFile} does not exist (ansible_ssh_private_key_file)`,
        ExitCode.PARSE_ERROR,
        { file: inventory.source, field: `${host}.ansible_ssh_private_key_file` },
      );
    }
  }
}

/**
 * Runs `work` with Ctrl-C handled: the first lets running tasks finish and stops, the second leaves at
 * once. The handler goes when `work` ends, so a process running several commands (tests, `play --plan`'s
 * two runs share one) does not pile up handlers.
 */
export async function withInterruptSignal<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onInterrupt = () => {
    if (controller.signal.aborted) process.exit(ExitCode.INTERRUPTED);
    process.stderr.write('\nInterrupted: finishing running tasks, then stopping (Ctrl-C again to quit now)\n');
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
