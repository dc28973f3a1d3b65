// What the executor remembers about one host during a run: facts set by tasks, registered results,
// notified handlers, whether it has failed or become unreachable, and its counters.
import { dirname, resolve } from 'node:path';
import type { InventoryHost } from '../inventory/inventory.js';
import type { Task } from '../playbook/playbook.js';
import type { HostCounts } from '../reporters/events.js';
import { emptyCounts } from './host-counts.js';
import { variablesByPrecedence } from '../variables/variable-precedence.js';

/**
 * Ansible's `inventory_file` and `inventory_dir`: host variables naming the file that listed the host first
 * (with several `-i`, or a folder, each host has its own), so `hostvars` shows them too.
 */
export function inventoryFileVars(host: InventoryHost | undefined, inventorySource: string): { inventory_file: string; inventory_dir: string } {
  // Absolute, as Ansible gives them whatever path -i was given as.
  const file = resolve(host?.file ?? inventorySource);
  return { inventory_file: file, inventory_dir: dirname(file) };
}

export class HostState {
  /** `set_fact` values and `register`ed results: above play and task vars, below extra vars. */
  readonly facts: Record<string, unknown> = {};
  /** Variables `include_vars` read: above task vars, below `facts`. */
  readonly includedVars: Record<string, unknown> = {};
  /** Facts gathered or returned by modules (and the fact cache's): above inventory vars, below play vars. */
  readonly hostFacts: Record<string, unknown> = {};
  /** Handler names or `listen` topics notified and not yet flushed. */
  readonly notified = new Set<string>();
  /** Registered names whose value is not known in check mode (the task would have run a command). */
  readonly deferred = new Set<string>();
  readonly counts: HostCounts = emptyCounts();
  failed = false;
  unreachable = false;
  /** How many enclosing blocks with `rescue` the host is running the `block` section of. */
  rescueDepth = 0;
  /** How many enclosing blocks with `always` the host has still to run `always` of: a failure waits for them. */
  alwaysDepth = 0;
  /** The last task that failed on the host and its result: `ansible_failed_task`/`ansible_failed_result` in rescue. */
  lastFailure?: { readonly task: Record<string, unknown>; readonly result: Record<string, unknown>; readonly failedTask: Task };
  /** Set by `meta: end_host`: the host sits out the rest of the current play (not a failure). */
  endedPlay = false;
  /** The run's change count when each task's reads were sent ahead on this host. */
  readonly readAhead = new Map<Task, number>();
  /** The run's change count as the host began its last task. */
  changesSeen?: number;

  constructor(readonly inventoryHost: InventoryHost) {}

  get name(): string {
    return this.inventoryHost.name;
  }

  get active(): boolean {
    return !this.failed && !this.unreachable && !this.endedPlay;
  }

  /** The records a task may add to, by level: what a run_once task sets is copied to every host of its batch. */
  get learnt(): readonly Record<string, unknown>[] {
    return [this.hostFacts, this.includedVars, this.facts];
  }

  /** The host as other hosts see it through `hostvars`: inventory vars and facts. */
  view(inventorySource: string): Record<string, unknown> {
    const magic = { inventory_hostname: this.name, group_names: this.groupNames(), ...inventoryFileVars(this.inventoryHost, inventorySource) };
    return variablesByPrecedence(
      { inventory: this.inventoryHost.vars, host_facts: this.hostFacts, include_vars: this.includedVars, set_facts: this.facts, magic },
      { file: inventorySource },
    );
  }

  /** Ansible's group_names: every group but `all`, sorted; `ungrouped` only for a host in no other group. */
  groupNames(): string[] {
    const named = this.inventoryHost.groups.filter((g) => g !== 'all' && g !== 'ungrouped');
    return named.length > 0 ? [...new Set(named)].sort() : ['ungrouped'];
  }
}
