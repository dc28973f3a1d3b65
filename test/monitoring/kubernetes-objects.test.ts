// `etcdops monitoring render --kubernetes`: the objects validate against the Prometheus Operator's
// schemas (and Kubernetes' own for Service, Endpoints and ConfigMap), the PrometheusRule carries exactly
// the rules monitoring.yml installs (and promtool accepts them), the ServiceMonitor gives every target
// the labels those rules read, and a member without an IP address is refused with what to set.
import { deepStrictEqual, ok, rejects, strictEqual, throws } from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Endpoints } from 'kubernetes-models/v1/Endpoints';
import { Service } from 'kubernetes-models/v1/Service';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { loadInventory } from '../../src/inventory/load-inventory.js';
import { kubernetesFiles, writeKubernetesFiles } from '../../src/monitoring/render-kubernetes.js';
import { promtool } from './promtool.js';
import { renderMonitoring } from './render-monitoring.js';

const INVENTORY = {
  all: {
    vars: { etcd_monitoring_kubernetes_labels: { release: 'prometheus' } },
    children: { etcd: { hosts: { n1: { ansible_host: '10.0.0.1' }, n2: { ansible_host: '10.0.0.2' }, n3: { ansible_host: '10.0.0.3' } } } },
  },
};

type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace: string; labels: Record<string, string> }; [key: string]: unknown };

describe('Kubernetes objects for the Prometheus Operator', function () {
  this.timeout(60_000);
  let dir = '';
  let objects: K8sObject[] = [];
  const byKind = (kind: string) => objects.find((o) => o.kind === kind)!;
  const inventoryFile = (content: unknown) => {
    const file = join(dir, `inventory-${Math.random().toString(36).slice(2)}.yml`);
    writeFileSync(file, stringify(content));
    return file;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'etcdops-k8s-'));
    const files = await kubernetesFiles(await loadInventory(inventoryFile(INVENTORY)), {});
    const written = await writeKubernetesFiles(join(dir, 'out'), files);
    objects = written.flatMap((path) => parseAllDocuments(readFileSync(path, 'utf8')).map((d) => d.toJSON() as K8sObject));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a Service, its Endpoints, a ServiceMonitor, a PrometheusRule and a dashboard ConfigMap', () => {
    deepStrictEqual(objects.map((o) => o.kind), ['Service', 'Endpoints', 'ServiceMonitor', 'PrometheusRule', 'ConfigMap']);
    for (const o of objects) {
      strictEqual(o.metadata.namespace, 'monitoring', o.kind);
      strictEqual(o.metadata.labels.release, 'prometheus', `${o.kind}: etcd_monitoring_kubernetes_labels`);
    }
  });

  it('validates every object against its schema', () => {
    const models: Record<string, (o: K8sObject) => { validate(): void }> = {
      Service: (o) => new Service(o as never),
      Endpoints: (o) => new Endpoints(o as never),
      ServiceMonitor: (o) => new ServiceMonitor(o as never),
      PrometheusRule: (o) => new PrometheusRule(o as never),
      ConfigMap: (o) => new ConfigMap(o as never),
    };
    for (const o of objects) models[o.kind]!(o).validate();
    // The schemas do refuse: a ServiceMonitor endpoint's port must be a string.
    throws(() => new ServiceMonitor({ metadata: { name: 'x' }, spec: { selector: {}, endpoints: [{ port: 5 as never }] } }).validate());
  });

  it('carries the same rule groups Prometheus hosts load, which promtool accepts', async () => {
    const spec = byKind('PrometheusRule').spec as { groups: unknown[] };
    deepStrictEqual(spec.groups, (parse(renderMonitoring('etcd-rules.yml')) as { groups: unknown[] }).groups);
    writeFileSync(join(dir, 'rules.yml'), stringify({ groups: spec.groups }));
    const result = await promtool(dir, ['check', 'rules', 'rules.yml']);
    strictEqual(result.code, 0, result.output);
  });

  it('puts the dashboard Grafana hosts get into the ConfigMap, for the dashboard sidecar', () => {
    const map = byKind('ConfigMap') as K8sObject & { data: Record<string, string> };
    strictEqual(map.metadata.labels.grafana_dashboard, '1');
    deepStrictEqual(JSON.parse(map.data['etcd.json']!), JSON.parse(renderMonitoring('etcd-dashboard.json')));
  });

  it('points the Endpoints at the members and labels their targets as the rules expect', () => {
    const endpoints = byKind('Endpoints') as K8sObject & { subsets: { addresses: { ip: string }[]; ports: { name: string; port: number }[] }[] };
    deepStrictEqual(endpoints.subsets[0]!.addresses.map((a) => a.ip), ['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    deepStrictEqual(endpoints.subsets[0]!.ports.map((p) => `${p.name}:${p.port}`), ['metrics:2381', 'node-exporter:9100']);
    const monitor = byKind('ServiceMonitor') as K8sObject & { spec: { selector: { matchLabels: Record<string, string> }; endpoints: { port: string; relabelings: { targetLabel: string; replacement: string; regex?: string }[] }[] } };
    for (const [key, value] of Object.entries(monitor.spec.selector.matchLabels)) strictEqual(byKind('Service').metadata.labels[key], value, 'the ServiceMonitor selects the Service');
    const [etcd, node] = monitor.spec.endpoints;
    deepStrictEqual(etcd!.relabelings.map((r) => `${r.targetLabel}=${r.replacement}`), ['job=etcd', 'cluster=etcd', 'member=n1', 'member=n2', 'member=n3']);
    ok(new RegExp(`^${etcd!.relabelings[2]!.regex}$`).test('10.0.0.1:2381') && !new RegExp(`^${etcd!.relabelings[2]!.regex}$`).test('10.0.0.11:2381'));
    strictEqual(node!.relabelings[0]!.replacement, 'etcd-backup');
  });

  it('refuses a member whose address is not an IP, naming etcd_address', async () => {
    const named = structuredClone(INVENTORY) as typeof INVENTORY;
    named.all.children.etcd.hosts.n2 = { ansible_host: 'n2.example.internal' };
    await rejects(kubernetesFiles(await loadInventory(inventoryFile(named)), {}), /member n2: Kubernetes Endpoints need an IP address, not "n2.example.internal": set etcd_address/);
  });
});
