// Where the etcd modules find the cluster from a task's variables: the member hosts of the inventory group,
// each member's address and URLs, and the control node's PKI folder with the admin client certificate.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClusterAccess } from '../etcd/cluster-access.js';
import { memberList, type MemberInfo } from '../etcd/membership.js';
import { hostForUrl } from '../etcd/initial-cluster.js';
import type { ModuleContext } from './module.js';
import { TaskFailure } from './task-failure.js';

/** The role defaults these helpers fall back to when a variable is not set. */
export const ETCD_DEFAULTS = {
  group: 'etcd',
  clientPort: 2379,
  peerPort: 2380,
  clientHttpPort: 2382,
} as const;

/** The client certificate etcdops itself uses (etcdctl, health gates, membership changes). */
export const ADMIN_CLIENT = 'admin';

type Vars = Readonly<Record<string, unknown>>;

function hostVars(ctx: ModuleContext, host: string): Vars {
  if (host === ctx.host) return ctx.vars;
  const hostvars = ctx.vars.hostvars as Readonly<Record<string, Vars | undefined>> | undefined;
  return hostvars?.[host] ?? {};
}

const text = (value: unknown): string | undefined => (value === undefined || value === null || value === '' ? undefined : String(value));

/** The inventory hosts that are etcd members (`etcd_group`, default `etcd`), in inventory order. */
export function memberHosts(ctx: ModuleContext): string[] {
  const group = text(ctx.vars.etcd_group) ?? ETCD_DEFAULTS.group;
  const groups = (ctx.vars.groups ?? {}) as Readonly<Record<string, readonly string[]>>;
  const hosts = groups[group];
  if (!hosts) throw new TaskFailure(`the inventory has no group "${group}" (etcd_group): put the etcd members in it`);
  return [...hosts];
}

/** The address a member listens on: `etcd_address`, else `ansible_host`, else its inventory name. */
export function memberAddress(ctx: ModuleContext, host: string): string {
  const vars = hostVars(ctx, host);
  return text(vars.etcd_address) ?? text(vars.ansible_host) ?? host;
}

/** A DNS domain etcd can look SRV records up under: labels of letters, digits and hyphens. */
const DNS_DOMAIN = /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?$/;

/** etcd_discovery_domain when the cluster forms by DNS SRV discovery (etcd_formation: discovery-srv), else undefined. */
export function discoveryDomain(ctx: ModuleContext): string | undefined {
  if (String(ctx.vars.etcd_formation ?? 'static') !== 'discovery-srv') return undefined;
  const domain = String(ctx.vars.etcd_discovery_domain ?? '');
  if (!DNS_DOMAIN.test(domain)) {
    throw new TaskFailure(`etcd_formation is discovery-srv but etcd_discovery_domain is ${JSON.stringify(domain)}: set it to the DNS domain holding the _etcd-server-ssl._tcp SRV records of the members (e.g. etcd.example.com)`);
  }
  return domain.replace(/\.$/, '');
}

/** Extra DNS names a member's certificates carry (`etcd_hostnames`, the discovery domain), besides its inventory name. */
export function memberHostnames(ctx: ModuleContext, host: string): string[] {
  const extra = hostVars(ctx, host).etcd_hostnames;
  const list = Array.isArray(extra) ? extra.map(String) : text(extra) ? [String(extra)] : [];
  // With DNS SRV discovery, peers reach a member by its SRV target (HOST.DOMAIN) and clients that discover
  // the cluster check the domain itself: the certificates carry both.
  const domain = discoveryDomain(ctx);
  return [...new Set([host, ...list, ...(domain ? [`${host}.${domain}`, domain] : [])])];
}

function port(ctx: ModuleContext, name: string, fallback: number): number {
  const value = Number(ctx.vars[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new TaskFailure(`${name} must be a port number, got ${String(ctx.vars[name])}`);
  return value;
}

export function peerUrl(ctx: ModuleContext, host: string): string {
  return `https://${hostForUrl(memberAddress(ctx, host))}:${port(ctx, 'etcd_peer_port', ETCD_DEFAULTS.peerPort)}`;
}

/** etcd 3.5+'s port for /health, /version and the JSON gateway, apart from gRPC on the client port. */
export function clientHttpPort(ctx: ModuleContext): number {
  return port(ctx, 'etcd_client_http_port', ETCD_DEFAULTS.clientHttpPort);
}

export function clientUrl(ctx: ModuleContext, host: string): string {
  return `https://${hostForUrl(memberAddress(ctx, host))}:${port(ctx, 'etcd_client_port', ETCD_DEFAULTS.clientPort)}`;
}

/** The control node's PKI folder: `etcd_local_pki_dir`, else `.etcdops/pki` beside the inventory. */
export function localPkiDir(ctx: ModuleContext, given?: string): string {
  const dir = text(given) ?? text(ctx.vars.etcd_local_pki_dir);
  if (dir) return dir;
  return join(String(ctx.vars.inventory_dir ?? '.'), '.etcdops', 'pki');
}

export interface AdminFiles {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

export function adminFiles(pkiDir: string, client = ADMIN_CLIENT): AdminFiles {
  return { ca: join(pkiDir, 'ca.crt'), cert: join(pkiDir, `${client}.crt`), key: join(pkiDir, `${client}.key`) };
}

/**
 * The admin's access to the cluster through every member's client URL, or undefined when the admin
 * certificate does not exist yet (nothing was ever deployed, or a check run before the first real one).
 */
export async function clusterAccess(ctx: ModuleContext, options: { pkiDir?: string; timeoutMs?: number; hosts?: readonly string[] } = {}): Promise<ClusterAccess | undefined> {
  const files = adminFiles(localPkiDir(ctx, options.pkiDir));
  let pems: string[];
  try {
    pems = await Promise.all([files.ca, files.cert, files.key].map((f) => readFile(f, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const hosts = options.hosts ?? memberHosts(ctx);
  return {
    endpoints: hosts.map((h) => clientUrl(ctx, h)),
    ca: pems[0]!,
    cert: pems[1]!,
    key: pems[2]!,
    timeoutMs: options.timeoutMs,
  };
}

/**
 * Client URLs of the members, voting members first: a call made on the first endpoint that answers must
 * not land on a learner, which refuses every request but status and serializable reads ("rpc not
 * supported for learner"), and etcd lists members by ID, so a standby learner can come first.
 */
export function clientUrlsVotersFirst(members: readonly MemberInfo[]): string[] {
  return [...new Set([...members.filter((m) => !m.isLearner), ...members.filter((m) => m.isLearner)].flatMap((m) => m.clientURLs))];
}

/**
 * The same access narrowed to the client URLs of the cluster's members, so inventory hosts that have not
 * joined yet (nothing listens on them) are not reported as unhealthy endpoints. Unchanged when no
 * endpoint answers, or before any member has started.
 */
export async function memberEndpoints(access: ClusterAccess): Promise<ClusterAccess> {
  try {
    const urls = clientUrlsVotersFirst(await memberList(access));
    return urls.length === 0 ? access : { ...access, endpoints: urls };
  } catch {
    return access;
  }
}
