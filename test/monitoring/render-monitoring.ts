// Renders the monitoring templates as playbooks/monitoring.yml does: the etcd and etcd_monitoring role
// defaults, overrides on top, and members whose metrics addresses (and a Prometheus host whose Alertmanager
// address) stand in for the facts the playbook sets.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { lazyVars } from '../../src/executor/lazy-vars.js';
import { renderTemplateFile } from '../../src/playbook/templating.js';

const inRepo = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const defaults = (role: string): Record<string, unknown> => parse(readFileSync(inRepo(`playbooks/roles/${role}/defaults/main.yml`), 'utf8'));

export interface Member {
  readonly name: string;
  readonly address: string;
}

export const MEMBERS: readonly Member[] = [
  { name: 'n1', address: '10.0.0.1' },
  { name: 'n2', address: '10.0.0.2' },
  { name: 'n3', address: '10.0.0.3' },
];

export type MonitoringFile = 'etcd.yml' | 'etcd-rules.yml' | 'etcd-dashboard.json' | 'alertmanager.yml';

export function renderMonitoring(file: MonitoringFile, overrides: Readonly<Record<string, unknown>> = {}, members = MEMBERS): string {
  const source = inRepo(`templates/monitoring/${file}.hbs`);
  const hostvars: Record<string, unknown> = {};
  const vars = lazyVars(
    [
      defaults('etcd'),
      defaults('etcd_monitoring'),
      overrides,
      { groups: { etcd: members.map((m) => m.name), prometheus: ['mon1'] }, hostvars, inventory_dir: '/inventory' },
    ],
    { file: source },
  );
  hostvars.mon1 = { etcd_monitoring_alertmanager_target: '10.0.0.9:9093' };
  for (const m of members) {
    hostvars[m.name] = {
      etcd_monitoring_target: `${m.address}:${vars.etcd_metrics_port}`,
      etcd_monitoring_node_target: `${m.address}:${vars.etcd_monitoring_node_exporter_port}`,
    };
  }
  return renderTemplateFile(readFileSync(source, 'utf8'), vars, source);
}
