// The one home of what a cluster is made of: the cluster spec (members, ports, addresses, URLs, TLS
// folders, with typed defaults) built from a host's variables, used by the etcd modules (from a task's
// variables) and by the CLI (from an inventory); and the admin's access to the cluster it describes.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ExitCode } from '../errors/exit-code.js';
import { UserError } from '../errors/user-error.js';
import type { Inventory } from '../inventory/inventory.js';
import type { ClusterAccess } from './cluster-access.js';
import { memberList, type MemberInfo } from './membership.js';
import { hostForUrl } from './initial-cluster.js';
import type { ModuleContext } from '../modules/module.js';
import { TaskFailure } from '../modules/task-failure.js';

/** The defaults of the cluster's variables (the etcd role's defaults/main.yml says the same). */
export const ETCD_DEFAULTS = {
  group: 'etcd',
  clientPort: 2379,
  peerPort: 2380,
  clientHttpPort: 2382,
  confDir: '/etc/etcd',
  memberPkiDir: '/etc/etcd/pki',
} as const;

/** The client certificate etcdops itself uses (etcdctl, health gates, membership changes). */
export const ADMIN_CLIENT = 'admin';

type Vars = Readonly<Record<string, unknown>>;

const text = (value: unknown): string | undefined => (value === undefined || value === null || value === '' ? undefined : String(value));

/** A DNS domain etcd can look SRV records up under: labels of letters, digits and hyphens. */
const DNS_DOMAIN = /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?$/;

/** etcd_discovery_domain when the cluster forms by DNS SRV discovery (etcd_formation: discovery-srv), else undefined. */
function discoveryDomainOf(vars: Vars, problem: (message: string) => Error): string | undefined {
  if (String(vars.etcd_formation ?? 'static') !== 'discovery-srv') return undefined;
  const domain = String(vars.etcd_discovery_domain ?? '');
  if (!DNS_DOMAIN.test(domain)) {
    throw problem(`etcd_formation is discovery-srv but etcd_discovery_domain is ${JSON.stringify(domain)}: set it to the DNS domain holding the _etcd-server-ssl._tcp SRV records of the members (e.g. etcd.example.com)`);
  }
  return domain.replace(/\.$/, '');
}

/**
 * The cluster as one host's variables describe it, with typed defaults: the members (hosts of
 * `etcd_group`, in inventory order), their ports, addresses and URLs, and where the TLS files live on the
 * members and on the control node. Modules build it from a task's variables, the CLI from an inventory.
 */
export interface ClusterSpec {
  readonly group: string;
  readonly members: readonly string[];
  readonly clientPort: number;
  readonly peerPort: number;
  /** etcd 3.5+'s port for /health, /version and the JSON gateway, apart from gRPC on the client port. */
  readonly clientHttpPort: number;
  /** The members' configuration folder (`etcd_conf_dir`). */
  readonly confDir: string;
  /** The members' TLS folder (`etcd_pki_dir`). */
  readonly memberPkiDir: string;
  /** The control node's PKI folder: `etcd_local_pki_dir`, else `.etcdops/pki` beside the inventory. */
  readonly localPkiDir: string;
  /** The address a member listens on: `etcd_address`, else `ansible_host`, else its inventory name. */
  address(host: string): string;
  /** With DNS SRV discovery (`etcd_formation: discovery-srv`), the domain holding the members' SRV records. */
  readonly discoveryDomain: string | undefined;
  /** The DNS names a member's certificates carry: its inventory name, `etcd_hostnames`, and with DNS SRV discovery HOST.DOMAIN and the domain. */
  hostnames(host: string): string[];
  clientUrl(host: string): string;
  peerUrl(host: string): string;
  /** The members' client URLs, in member order. */
  readonly clientUrls: readonly string[];
  /** The admin client certificate etcdops uses, in the control node's PKI folder. */
  readonly admin: AdminFiles;
}

export interface ClusterSpecSource {
  /** The variables of the host the spec is built for (a task's variables, or an inventory member's). */
  readonly vars: Vars;
  /** Another host's variables (through hostvars, or the inventory). */
  readonly hostVars: (host: string) => Vars;
  /** Group name → hosts. */
  readonly groups: Readonly<Record<string, readonly string[]>>;
  /** The inventory's folder, where `.etcdops/pki` is by default. */
  readonly inventoryDir: string;
  /** The error a wrong variable raises (a task failure in a module, a usage error in the CLI). */
  readonly problem: (message: string) => Error;
}

export function clusterSpec(source: ClusterSpecSource): ClusterSpec {
  const { vars, problem } = source;
  const port = (name: string, fallback: number): number => {
    const value = Number(vars[name] ?? fallback);
    if (!Number.isInteger(value) || value < 1 || value > 65535) throw problem(`${name} must be a port number, got ${String(vars[name])}`);
    return value;
  };
  const group = text(vars.etcd_group) ?? ETCD_DEFAULTS.group;
  // Asked for only when used, so a task that needs a folder of the spec runs without an etcd group.
  const hosts = (): readonly string[] => {
    const found = source.groups[group];
    if (!found) throw problem(`the inventory has no group "${group}" (etcd_group): put the etcd members in it`);
    return found;
  };
  const clientPort = port('etcd_client_port', ETCD_DEFAULTS.clientPort);
  const peerPort = port('etcd_peer_port', ETCD_DEFAULTS.peerPort);
  const address = (host: string): string => {
    const own = source.hostVars(host);
    return text(own.etcd_address) ?? text(own.ansible_host) ?? host;
  };
  const localPkiDir = text(vars.etcd_local_pki_dir) ?? join(source.inventoryDir, '.etcdops', 'pki');
  const clientUrl = (host: string): string => `https://${hostForUrl(address(host))}:${clientPort}`;
  return {
    group,
    get members() {
      return [...hosts()];
    },
    clientPort,
    peerPort,
    clientHttpPort: port('etcd_client_http_port', ETCD_DEFAULTS.clientHttpPort),
    confDir: text(vars.etcd_conf_dir) ?? ETCD_DEFAULTS.confDir,
    memberPkiDir: text(vars.etcd_pki_dir) ?? ETCD_DEFAULTS.memberPkiDir,
    localPkiDir,
    address,
    get discoveryDomain() {
      return discoveryDomainOf(vars, problem);
    },
    hostnames(host) {
      const extra = source.hostVars(host).etcd_hostnames;
      const list = Array.isArray(extra) ? extra.map(String) : text(extra) ? [String(extra)] : [];
      // With DNS SRV discovery, peers reach a member by its SRV target (HOST.DOMAIN) and clients that discover
      // the cluster check the domain itself: the certificates carry both.
      const domain = discoveryDomainOf(vars, problem);
      return [...new Set([host, ...list, ...(domain ? [`${host}.${domain}`, domain] : [])])];
    },
    clientUrl,
    peerUrl: (host) => `https://${hostForUrl(address(host))}:${peerPort}`,
    get clientUrls() {
      return hosts().map(clientUrl);
    },
    admin: adminFiles(localPkiDir),
  };
}

/** The cluster spec from a task's variables, as the etcd modules see it. */
export function clusterSpecOf(ctx: ModuleContext): ClusterSpec {
  return clusterSpec({
    vars: ctx.vars,
    hostVars: (host) => (host === ctx.host ? ctx.vars : ((ctx.vars.hostvars as Readonly<Record<string, Vars | undefined>> | undefined)?.[host] ?? {})),
    groups: (ctx.vars.groups ?? {}) as Readonly<Record<string, readonly string[]>>,
    inventoryDir: String(ctx.vars.inventory_dir ?? '.'),
    problem: (message) => new TaskFailure(message),
  });
}

/** A value the CLI can use without templating: a templated inventory value counts as unset. */
const plain = (value: unknown): unknown => (typeof value === 'string' && value.includes('{{') ? undefined : value);

const plainVars = (vars: Vars): Vars => Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, plain(value)]));

/** The cluster an inventory describes, as commands on the control node (etcdctl, pki, inspect) reach it. */
export function inventoryClusterSpec(inventory: Inventory): ClusterSpec {
  const hosts = [...inventory.hosts.values()];
  const group = hosts.map((h) => text(plain(h.vars.etcd_group))).find((g) => g !== undefined) ?? ETCD_DEFAULTS.group;
  const members = hosts.filter((h) => h.groups.includes(group));
  const usage = (message: string) => new UserError(`${inventory.source}: ${message}`, ExitCode.BAD_OPTIONS);
  if (members.length === 0) throw usage(`the inventory has no host in group "${group}"`);
  return clusterSpec({
    vars: { ...plainVars(members[0]!.vars), etcd_group: group },
    hostVars: (host) => plainVars(inventory.hosts.get(host)?.vars ?? {}),
    groups: { [group]: members.map((h) => h.name) },
    inventoryDir: dirname(inventory.source),
    problem: usage,
  });
}

/** The inventory hosts that are etcd members (`etcd_group`, default `etcd`), in inventory order. */
export function memberHosts(ctx: ModuleContext): string[] {
  return [...clusterSpecOf(ctx).members];
}

export function memberAddress(ctx: ModuleContext, host: string): string {
  return clusterSpecOf(ctx).address(host);
}

export function discoveryDomain(ctx: ModuleContext): string | undefined {
  return clusterSpecOf(ctx).discoveryDomain;
}

export function memberHostnames(ctx: ModuleContext, host: string): string[] {
  return clusterSpecOf(ctx).hostnames(host);
}

export function peerUrl(ctx: ModuleContext, host: string): string {
  return clusterSpecOf(ctx).peerUrl(host);
}

export function clientHttpPort(ctx: ModuleContext): number {
  return clusterSpecOf(ctx).clientHttpPort;
}

export function clientUrl(ctx: ModuleContext, host: string): string {
  return clusterSpecOf(ctx).clientUrl(host);
}

/** The control node's PKI folder: `given` (a module's argument), else the spec's. */
export function localPkiDir(ctx: ModuleContext, given?: string): string {
  return text(given) ?? clusterSpecOf(ctx).localPkiDir;
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
