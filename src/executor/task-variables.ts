// The variables a task sees on a host: each level of Ansible's precedence this run holds, ordered by
// the variables room (variable-precedence.ts), plus the values of the magic variables it lists.
import type { Inventory, InventoryHost } from '../inventory/inventory.js';
import { groupHosts } from '../inventory/select-hosts.js';
import type { Play, Task } from '../playbook/playbook.js';
import { type HostState, inventoryFileVars } from './host-state.js';
import { variablesByPrecedence, type VariableLevels } from '../variables/variable-precedence.js';

export interface RunScope {
  readonly inventory: Inventory;
  readonly play: Play;
  readonly playbookDir: string;
  readonly extraVars: Readonly<Record<string, unknown>>;
  readonly check: boolean;
  readonly diff: boolean;
  /** Every host of the run by name, for `hostvars`. */
  readonly hosts: ReadonlyMap<string, HostState>;
  readonly playHosts: readonly string[];
  readonly batchHosts: readonly string[];
  readonly runTags: readonly string[];
  readonly skipTags: readonly string[];
  readonly limit?: string;
  /** Facts `--fact-cache` kept from earlier runs, by host, as host variables. */
  readonly cachedFacts?: ReadonlyMap<string, Record<string, unknown>>;
  /** Group name → host names, computed once per run. */
  readonly groups: Readonly<Record<string, readonly string[]>>;
}

/** A host this run has not reached: its inventory variables and the facts `--fact-cache` kept of it. */
function withCachedFacts(host: InventoryHost | undefined, source: string, facts: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  return host && { ...host.vars, ...facts, ...inventoryFileVars(host, source) };
}

/** `hostvars` resolves a host's view only when a template reads it, so big inventories stay cheap. */
function hostvarsProxy(scope: RunScope): Record<string, unknown> {
  const read = (name: string | symbol) =>
    typeof name === 'string'
      ? (scope.hosts.get(name)?.view(scope.inventory.source) ??
        withCachedFacts(scope.inventory.hosts.get(name), scope.inventory.source, scope.cachedFacts?.get(name)))
      : undefined;
  return new Proxy({} as Record<string, unknown>, {
    get: (_, name) => read(name),
    has: (_, name) => read(name) !== undefined,
    ownKeys: () => [...scope.inventory.hosts.keys()],
    getOwnPropertyDescriptor: (_, name) => {
      const value = read(name);
      return value === undefined ? undefined : { value, enumerable: true, configurable: true, writable: false };
    },
  });
}

export function groupMembership(inventory: Inventory): Record<string, string[]> {
  // As Ansible's groups: every group (an empty one too), its hosts in the order its pattern selects them.
  return Object.fromEntries([...inventory.groups.keys()].map((group) => [group, [...groupHosts(inventory, group)]]));
}

export function taskVariables(scope: RunScope, host: HostState, task: Task | undefined): Record<string, unknown> {
  // As Ansible's play._removed_hosts: a host that failed (and is not rescuing) or is unreachable is left out.
  const active = (names: readonly string[]) =>
    names.filter((name) => {
      const state = scope.hosts.get(name);
      return !state || !(state.failed || state.unreachable);
    });
  const batch = active(scope.batchHosts);
  const magic = {
    inventory_hostname: host.name,
    inventory_hostname_short: host.name.split('.')[0],
    group_names: host.groupNames(),
    groups: scope.groups,
    hostvars: hostvarsProxy(scope),
    play_hosts: batch,
    ansible_play_hosts: active(scope.playHosts),
    ansible_play_hosts_all: scope.playHosts,
    ansible_play_batch: batch,
    ansible_play_name: scope.play.name,
    ansible_run_tags: scope.runTags.length > 0 ? scope.runTags : ['all'],
    ansible_skip_tags: scope.skipTags,
    ...(scope.limit === undefined ? {} : { ansible_limit: scope.limit }),
    ansible_check_mode: scope.check,
    ansible_diff_mode: scope.diff,
    playbook_dir: scope.playbookDir,
    ...inventoryFileVars(host.inventoryHost, scope.inventory.source),
  };
  const levels: VariableLevels = {
    role_defaults: task?.roleDefaults ? [scope.play.roleDefaults, task.roleDefaults] : scope.play.roleDefaults,
    inventory: host.inventoryHost.vars,
    host_facts: host.hostFacts,
    // play vars, vars_files and role vars, merged at load by the same table (loader.ts).
    play_vars: scope.play.vars,
    task_vars: task?.vars,
    include_vars: host.includedVars,
    set_facts: host.facts,
    include_params: task?.includeParams,
    extra_vars: scope.extraVars,
    magic,
  };
  return variablesByPrecedence(levels, task?.source ?? scope.play.source);
}
