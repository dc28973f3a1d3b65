// The variables playbooks/monitoring.yml renders its templates with, worked out on the control node from
// the inventory alone, for commands that render the same templates without a run: the etcd and
// etcd_monitoring roles' defaults under the inventory's variables and -e, and each member's metrics and
// node_exporter addresses as roles/etcd_monitoring/tasks/targets.yml sets them.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { ExitCode } from '../errors/exit-code.js';
import { UserError } from '../errors/user-error.js';
import { lazyVars } from '../executor/lazy-vars.js';
import { groupMembership } from '../executor/task-variables.js';
import type { Inventory } from '../inventory/inventory.js';

const REPO = new URL('../../', import.meta.url);
export const PLAYBOOK_DIR = fileURLToPath(new URL('playbooks/', REPO));
export const TEMPLATE_DIR = fileURLToPath(new URL('templates/', REPO));

function roleDefaults(role: string): Record<string, unknown> {
  const file = `${PLAYBOOK_DIR}roles/${role}/defaults/main.yml`;
  return (parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
}

export interface MonitoringMember {
  readonly name: string;
  /** ADDRESS:PORT of the member's etcd metrics listener. */
  readonly target: string;
  /** ADDRESS:PORT of its node_exporter. */
  readonly nodeTarget: string;
}

export interface MonitoringVars {
  /** Variables as the first member of the etcd group sees them, with hostvars holding every member's targets. */
  readonly vars: Record<string, unknown>;
  readonly members: readonly MonitoringMember[];
}

export function monitoringVars(inventory: Inventory, extraVars: Readonly<Record<string, unknown>>): MonitoringVars {
  const defaults = [roleDefaults('etcd'), roleDefaults('etcd_monitoring')];
  const groups = groupMembership(inventory);
  const hostvars: Record<string, Record<string, unknown>> = {};
  const varsOf = (host: string) =>
    lazyVars(
      [...defaults, inventory.hosts.get(host)?.vars ?? {}, extraVars, {
        inventory_hostname: host, groups, hostvars, playbook_dir: PLAYBOOK_DIR, inventory_file: inventory.source, inventory_dir: dirname(inventory.source),
      }],
      { file: inventory.source },
    );
  const first = [...inventory.hosts.keys()][0];
  const group = String(first === undefined ? 'etcd' : varsOf(first).etcd_group);
  const names = groups[group] ?? [];
  if (names.length === 0) throw new UserError(`the inventory ${inventory.source} has no host in group "${group}" (etcd_group)`, ExitCode.BAD_OPTIONS);
  const members = names.map((name) => {
    const vars = varsOf(name);
    const member = { name, target: `${String(vars.etcd_address)}:${String(vars.etcd_metrics_port)}`, nodeTarget: `${String(vars.etcd_address)}:${String(vars.etcd_monitoring_node_exporter_port)}` };
    hostvars[name] = { etcd_monitoring_target: member.target, etcd_monitoring_node_target: member.nodeTarget };
    return member;
  });
  return { vars: varsOf(names[0]!), members };
}
