// The objects a Prometheus Operator on Kubernetes needs to watch an etcd cluster of VMs: a Service without
// selector and its Endpoints naming the members (etcd metrics and node_exporter ports), a ServiceMonitor
// that gives every target the labels the rules and dashboard expect (job, cluster, member), a
// PrometheusRule holding the very rule groups monitoring.yml installs on Prometheus hosts, and the
// Grafana dashboard in a ConfigMap for Grafana's dashboard sidecar. Each is checked against the
// Prometheus Operator's (or Kubernetes') schema before it is returned.
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { isIP } from 'node:net';
import { ExitCode } from '../errors/exit-code.js';
import { UserError } from '../errors/user-error.js';
import type { MonitoringMember } from './monitoring-vars.js';

export interface KubernetesInput {
  readonly cluster: string;
  readonly namespace: string;
  /** Labels added to every object (a Prometheus' ruleSelector/serviceMonitorSelector picks them by these). */
  readonly labels: Readonly<Record<string, string>>;
  readonly job: string;
  readonly backupJob: string;
  readonly scrapeInterval: string;
  readonly members: readonly MonitoringMember[];
  /** 0: no node_exporter on the members. */
  readonly nodeExporterPort: number;
  /** The rule file as rendered for Prometheus hosts (its `groups`). */
  readonly rules: { readonly groups: readonly unknown[] };
  /** The dashboard JSON as rendered for Grafana. */
  readonly dashboard: string;
}

export interface KubernetesFile {
  readonly file: string;
  readonly objects: readonly Record<string, unknown>[];
}

/** A DNS-1035 label from the cluster's name, for object names. */
function objectName(cluster: string): string {
  const name = `etcd-${cluster.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`.replace(/-+$/, '').slice(0, 63);
  return name;
}

function split(target: string, member: string): { ip: string; port: number } {
  const at = target.lastIndexOf(':');
  const ip = target.slice(0, at).replace(/^\[|\]$/g, '');
  const port = Number(target.slice(at + 1));
  if (!isIP(ip)) {
    throw new UserError(`member ${member}: Kubernetes Endpoints need an IP address, not "${ip}": set etcd_address to the member's IP`, ExitCode.BAD_OPTIONS);
  }
  return { ip, port };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function kubernetesObjects(input: KubernetesInput): KubernetesFile[] {
  const name = objectName(input.cluster);
  const labels = { 'app.kubernetes.io/name': 'etcd', 'app.kubernetes.io/instance': name, 'app.kubernetes.io/managed-by': 'etcdops', ...input.labels };
  const metadata = (suffix = '', extra: Record<string, string> = {}) => ({ name: `${name}${suffix}`, namespace: input.namespace, labels: { ...labels, ...extra } });
  const addresses = input.members.map((m) => ({ member: m.name, ...split(m.target, m.name) }));
  const ports = [...new Set(addresses.map((a) => a.port))];
  if (ports.length !== 1) throw new UserError(`the members' etcd_metrics_port differ (${ports.join(', ')}): one Service port cannot reach them all`, ExitCode.BAD_OPTIONS);
  const servicePorts = [{ name: 'metrics', port: ports[0]!, protocol: 'TCP' }];
  if (input.nodeExporterPort !== 0) servicePorts.push({ name: 'node-exporter', port: input.nodeExporterPort, protocol: 'TCP' });

  const service = { apiVersion: 'v1', kind: 'Service', metadata: metadata(), spec: { clusterIP: 'None', ports: servicePorts.map((p) => ({ ...p, targetPort: p.port })) } };
  const endpoints = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: metadata(),
    subsets: [{ addresses: addresses.map((a) => ({ ip: a.ip })), ports: servicePorts }],
  };
  // Each target gets the member's inventory name by its address, as the static scrape configuration does.
  const relabelings = (job: string) => [
    { action: 'replace', targetLabel: 'job', replacement: job },
    { action: 'replace', targetLabel: 'cluster', replacement: input.cluster },
    ...addresses.map((a) => ({ action: 'replace', sourceLabels: ['__address__'], regex: `${escapeRegex(a.ip.includes(':') ? `[${a.ip}]` : a.ip)}:\\d+`, targetLabel: 'member', replacement: a.member })),
  ];
  const endpointsToScrape: Record<string, unknown>[] = [
    { port: 'metrics', path: '/metrics', scheme: 'http', interval: input.scrapeInterval, relabelings: relabelings(input.job) },
  ];
  if (input.nodeExporterPort !== 0) {
    endpointsToScrape.push({
      port: 'node-exporter',
      interval: input.scrapeInterval,
      honorLabels: true,
      relabelings: relabelings(input.backupJob),
      metricRelabelings: [{ action: 'keep', sourceLabels: ['__name__'], regex: 'etcd_backup_.*|etcdops_inspect_.*' }],
    });
  }
  const serviceMonitor = new ServiceMonitor({
    metadata: metadata(),
    spec: { selector: { matchLabels: { 'app.kubernetes.io/instance': name, 'app.kubernetes.io/managed-by': 'etcdops' } }, endpoints: endpointsToScrape as never },
  });
  const rule = new PrometheusRule({ metadata: metadata('-rules'), spec: { groups: input.rules.groups as never } });
  const dashboard = { apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata('-dashboard', { grafana_dashboard: '1' }), data: { 'etcd.json': input.dashboard } };
  for (const model of [serviceMonitor, rule]) model.validate();
  return [
    { file: 'etcd-service.yaml', objects: [service, endpoints] },
    { file: 'etcd-servicemonitor.yaml', objects: [serviceMonitor.toJSON() as Record<string, unknown>] },
    { file: 'etcd-prometheusrule.yaml', objects: [rule.toJSON() as Record<string, unknown>] },
    { file: 'etcd-dashboard-configmap.yaml', objects: [dashboard] },
  ];
}
