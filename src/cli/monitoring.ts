// `etcdops monitoring render --kubernetes DIR -i INV`: the Kubernetes objects (Service and Endpoints of
// the members, ServiceMonitor, PrometheusRule, Grafana dashboard ConfigMap) for a Prometheus Operator that
// watches the cluster from Kubernetes, written as YAML files into DIR for kubectl apply.
import type { Command } from 'commander';
import { loadInventory } from '../inventory/load-inventory.js';
import { kubernetesFiles, writeKubernetesFiles } from '../monitoring/render-kubernetes.js';
import { parseExtraVars } from './extra-vars.js';

interface RenderOptions {
  readonly inventory: string;
  readonly kubernetes: string;
  readonly extraVars: string[];
}

export function register(program: Command): void {
  const monitoring = program.command('monitoring').description("the cluster's monitoring, outside of playbooks");
  monitoring
    .command('render')
    .description('write the Kubernetes objects of the Prometheus Operator for the cluster of an inventory (same rules and dashboard as monitoring.yml)')
    .requiredOption('-i, --inventory <file>', 'inventory file (Ansible YAML format)')
    .requiredOption('--kubernetes <dir>', 'folder to write the YAML files into (created when missing)')
    .option('-e, --extra-vars <vars>', 'variables as for play (etcd_monitoring_*), repeatable', (value: string, all: string[]) => [...all, value], [] as string[])
    .action(async (options: RenderOptions) => {
      const inventory = await loadInventory(options.inventory);
      const files = await kubernetesFiles(inventory, parseExtraVars(options.extraVars));
      for (const path of await writeKubernetesFiles(options.kubernetes, files)) process.stdout.write(`${path}\n`);
    });
}
