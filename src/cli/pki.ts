// `etcdops pki status -i INV`: every certificate of the cluster (control node and members) with its expiry
// and whether our CA signed it; `--output json` adds where the admin credentials and endpoints are, for
// scripts and clients on the control node.
import { X509Certificate } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { ConnectionPool } from '../executor/connection-pool.js';
import { ExitCode } from '../errors/exit-code.js';
import { UserError } from '../errors/user-error.js';
import { chainSignedByCa } from '../etcd/pki/chain-signed-by-ca.js';
import type { Inventory } from '../inventory/inventory.js';
import { loadInventory } from '../inventory/load-inventory.js';
import { parseRemoteFiles, readCommand } from '../modules/etcd-certificates.js';
import { inventoryClusterSpec, type ClusterSpec } from '../etcd/cluster-spec.js';

export interface CertificateStatus {
  /** `control` for the control node, else the member's inventory name. */
  readonly location: string;
  readonly path: string;
  readonly subject: string | null;
  readonly not_after: string | null;
  readonly days_left: number | null;
  /** Signed by this cluster's CA (null for the CA itself or when it cannot be read). */
  readonly signed_by_ca: boolean | null;
  readonly error: string | null;
}

const DAY_MS = 86_400_000;

function statusOf(location: string, path: string, pem: string, caPem: string | undefined): CertificateStatus {
  try {
    const cert = new X509Certificate(pem);
    const notAfter = new Date(cert.validTo);
    const isCa = basename(path) === 'ca.crt';
    return {
      location,
      path,
      subject: cert.subject.replace(/\n/g, ', '),
      not_after: notAfter.toISOString(),
      days_left: Math.floor((notAfter.getTime() - Date.now()) / DAY_MS),
      signed_by_ca: isCa ? (caPem === undefined ? null : pem.trim() === caPem.trim()) : caPem === undefined ? null : chainSignedByCa(pem, caPem),
      error: null,
    };
  } catch (error) {
    return { location, path, subject: null, not_after: null, days_left: null, signed_by_ca: null, error: (error as Error).message };
  }
}

async function controlCertificates(cluster: ClusterSpec): Promise<{ caPem?: string; certs: CertificateStatus[] }> {
  let names: string[];
  try {
    names = (await readdir(cluster.localPkiDir)).filter((n) => n.endsWith('.crt')).sort();
  } catch {
    return { certs: [] };
  }
  const caPem = names.includes('ca.crt') ? await readFile(join(cluster.localPkiDir, 'ca.crt'), 'utf8') : undefined;
  const certs = await Promise.all(names.map(async (n) => statusOf('control', join(cluster.localPkiDir, n), await readFile(join(cluster.localPkiDir, n), 'utf8'), caPem)));
  return { caPem, certs };
}

async function memberCertificates(inventory: Inventory, cluster: ClusterSpec, caPem: string | undefined): Promise<CertificateStatus[]> {
  const pool = new ConnectionPool(inventory);
  const files = ['ca.crt', 'peer-ca.crt', 'server.crt', 'peer.crt', 'backup.crt'];
  try {
    const perHost = await Promise.all(
      cluster.members.map(async (host) => {
        try {
          const out = await pool.get(host).exec(readCommand(cluster.memberPkiDir, files), { become: true });
          const found = parseRemoteFiles(out.stdout);
          return files
            .filter((f) => found[f]?.content !== undefined)
            .map((f) => statusOf(host, `${cluster.memberPkiDir}/${f}`, found[f]!.content!, caPem));
        } catch (error) {
          return [{ location: host, path: cluster.memberPkiDir, subject: null, not_after: null, days_left: null, signed_by_ca: null, error: (error as Error).message }];
        }
      }),
    );
    return perHost.flat();
  } finally {
    await pool.closeAll();
  }
}

function table(certs: readonly CertificateStatus[]): string {
  const rows = [['WHERE', 'FILE', 'SUBJECT', 'EXPIRES', 'DAYS', 'OUR CA'], ...certs.map((c) => [
    c.location,
    c.path,
    c.subject ?? '-',
    c.not_after?.slice(0, 10) ?? '-',
    c.days_left === null ? '-' : String(c.days_left),
    c.error ? `error: ${c.error}` : c.signed_by_ca === null ? '-' : c.signed_by_ca ? 'yes' : 'NO',
  ])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n');
}

export function register(program: Command): void {
  const pki = program.command('pki').description("The cluster's certificates: the CA on the control node, member and client certificates.");
  pki
    .command('status')
    .description('list every certificate of the cluster with its expiry and whether the cluster CA signed it')
    .requiredOption('-i, --inventory <file>', 'inventory file (Ansible YAML format)')
    .option('--output <format>', 'table or json', 'table')
    .action(async (options: { inventory: string; output: string }) => {
      if (!['table', 'json'].includes(options.output)) throw new UserError(`--output must be table or json`, ExitCode.BAD_OPTIONS);
      const inventory = await loadInventory(options.inventory);
      const cluster = inventoryClusterSpec(inventory);
      const control = await controlCertificates(cluster);
      const certs = [...control.certs, ...(await memberCertificates(inventory, cluster, control.caPem))];
      if (options.output === 'json') {
        process.stdout.write(`${JSON.stringify({ admin: cluster.admin, endpoints: cluster.clientUrls, certs }, null, 2)}\n`);
      } else {
        process.stdout.write(`${table(certs)}\n`);
      }
      if (certs.some((c) => c.error !== null || c.signed_by_ca === false || (c.days_left !== null && c.days_left < 0))) process.exitCode = ExitCode.ERROR;
    });
}
