// Renders the Kubernetes objects of an inventory's cluster into a folder, from the same templates and
// variables monitoring.yml uses: the PrometheusRule holds the rule groups Prometheus hosts load, the
// ConfigMap the dashboard Grafana hosts get.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { Inventory } from '../inventory/inventory.js';
import { renderTemplateFile } from '../playbook/templating.js';
import { kubernetesObjects, type KubernetesFile } from './kubernetes-objects.js';
import { monitoringVars, TEMPLATE_DIR } from './monitoring-vars.js';

async function render(name: string, vars: Record<string, unknown>): Promise<string> {
  const source = join(TEMPLATE_DIR, 'monitoring', `${name}.hbs`);
  return renderTemplateFile(await readFile(source, 'utf8'), vars, source);
}

/** The objects as files, without writing them. */
export async function kubernetesFiles(inventory: Inventory, extraVars: Readonly<Record<string, unknown>>): Promise<KubernetesFile[]> {
  // Nothing is installed: Prometheus on Kubernetes sends to the Alertmanagers its own configuration names.
  const { vars, members } = monitoringVars(inventory, { ...extraVars, etcd_monitoring_install: false });
  const rules = parse(await render('etcd-rules.yml', vars)) as { groups: unknown[] };
  return kubernetesObjects({
    cluster: String(vars.etcd_monitoring_cluster_name),
    namespace: String(vars.etcd_monitoring_kubernetes_namespace),
    labels: (vars.etcd_monitoring_kubernetes_labels ?? {}) as Record<string, string>,
    job: String(vars.etcd_monitoring_job),
    backupJob: String(vars.etcd_monitoring_backup_job),
    scrapeInterval: String(vars.etcd_monitoring_scrape_interval),
    members,
    nodeExporterPort: Number(vars.etcd_monitoring_node_exporter_port),
    rules,
    dashboard: await render('etcd-dashboard.json', vars),
  });
}

/** Writes each file atomically into `dir` (created when missing); returns the paths written. */
export async function writeKubernetesFiles(dir: string, files: readonly KubernetesFile[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const { file, objects } of files) {
    const path = join(dir, file);
    const text = objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
    await writeFile(`${path}.tmp`, text, { mode: 0o644 });
    await rename(`${path}.tmp`, path);
    written.push(path);
  }
  return written;
}
