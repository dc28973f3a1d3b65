// `etcdops etcdctl -i INV -- ARGS`: etcdctl against the inventory's cluster with the admin client
// certificate and every member's endpoint, so no TLS flags need remembering. The etcdctl is `--etcdctl`,
// else one on the PATH, else the one of the release the cluster runs (src/etcd/etcdctl-binary.ts).
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ExitCode } from '../errors/exit-code.js';
import { UserError } from '../errors/user-error.js';
import { cachedEtcdctl, etcdctlOnPath, releaseSource } from '../etcd/etcdctl-binary.js';
import type { Inventory } from '../inventory/inventory.js';
import { loadInventory } from '../inventory/load-inventory.js';
import { cacheRoot } from '../lab/lab-paths.js';
import { fetchVersions } from '../etcd/cluster-version.js';
import { inventoryClusterSpec, type ClusterSpec } from '../etcd/cluster-spec.js';

const plain = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' && !value.includes('{{') ? value : undefined);

/** The version the members run (the first that answers /version), else the inventory's etcd_version. */
async function clusterVersion(cluster: ClusterSpec, inventory: Inventory): Promise<string> {
  const anyVar = (name: string) => [...inventory.hosts.values()].map((h) => plain(h.vars[name]) ?? (typeof h.vars[name] === 'number' ? String(h.vars[name]) : undefined)).find((v) => v !== undefined);
  const credentials = await Promise.all([cluster.admin.ca, cluster.admin.cert, cluster.admin.key].map((f) => readFile(f, 'utf8'))).catch(() => undefined);
  if (credentials) {
    const [ca, cert, key] = credentials as [string, string, string];
    const access = { endpoints: cluster.clientUrls, ca, cert, key, timeoutMs: 3000 };
    const httpPort = Number(anyVar('etcd_client_http_port') ?? 2382);
    for (const endpoint of cluster.clientUrls) {
      const version = await fetchVersions(access, endpoint, httpPort).then((v) => v.server, () => undefined);
      if (version) return version;
    }
  }
  const configured = anyVar('etcd_version');
  if (configured) return configured;
  throw new UserError('no etcdctl on the PATH, no member answered with its version, and the inventory sets no etcd_version: install etcdctl or pass --etcdctl PATH');
}

/** `--etcdctl`, else an etcdctl on the PATH, else the cached etcdctl of the release the cluster runs. */
async function etcdctlFor(option: string | undefined, cluster: ClusterSpec, inventory: Inventory): Promise<string> {
  if (option !== undefined) return option;
  const onPath = await etcdctlOnPath();
  if (onPath) return onPath;
  const version = await clusterVersion(cluster, inventory);
  const anyVar = (name: string) => [...inventory.hosts.values()].map((h) => plain(h.vars[name])).find((v) => v !== undefined);
  const binary = await cachedEtcdctl(releaseSource(version, anyVar('etcd_download_base_url'), anyVar('etcd_checksums_url')), cacheRoot());
  process.stderr.write(`etcdops: no etcdctl on the PATH; using etcdctl ${version} (the release the cluster runs) from ${binary}\n`);
  return binary;
}

export function register(program: Command): void {
  program
    .command('etcdctl')
    .description('run etcdctl against the cluster of an inventory with the admin certificate (etcdops etcdctl -i INV -- member list)')
    .requiredOption('-i, --inventory <file>', 'inventory file (Ansible YAML format)')
    .option('--etcdctl <path>', 'etcdctl binary to run (default: etcdctl on the PATH, else the etcdctl of the release the cluster runs, downloaded, checked against SHA256SUMS and cached)')
    .argument('<args...>', 'etcdctl arguments (after --)')
    .action(async (args: string[], options: { inventory: string; etcdctl?: string }) => {
      const inventory = await loadInventory(options.inventory);
      const cluster = inventoryClusterSpec(inventory);
      const etcdctl = await etcdctlFor(options.etcdctl, cluster, inventory);
      const argv = [
        `--endpoints=${cluster.clientUrls.join(',')}`,
        `--cacert=${cluster.admin.ca}`,
        `--cert=${cluster.admin.cert}`,
        `--key=${cluster.admin.key}`,
        ...args,
      ];
      const code = await new Promise<number>((resolve, reject) => {
        const child = spawn(etcdctl, argv, { stdio: 'inherit', env: { ...process.env, ETCDCTL_API: '3' } });
        child.on('error', (error) => reject(new UserError(`cannot run ${etcdctl}: ${error.message}`, ExitCode.ERROR)));
        child.on('close', (status) => resolve(status ?? ExitCode.ERROR));
      });
      process.exitCode = code;
    });
}
