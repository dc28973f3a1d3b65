// The configuration of an etcd member etcdops did not build, read as etcd itself reads it: from the
// running process's command line and environment (what systemd expanded from the unit, its Environment=
// and EnvironmentFile=s), or, when it names one (--config-file, ETCD_CONFIG_FILE), from that YAML file
// alone (etcd then ignores its flags and environment). Flags win over ETCD_* variables. The result is
// keyed by etcd's flag names (`cert-file`, `peer-cert-file`, ...) and turned into etcdops host variables.
import { parse as parseYaml } from 'yaml';
import { ETCD_CONFIG_KEYS, SettingType } from './etcd-config-keys.js';

export interface RunningEtcd {
  /** The process's argv (from /proc/PID/cmdline). */
  readonly argv: readonly string[];
  /** The process's environment (from /proc/PID/environ). */
  readonly environment: Readonly<Record<string, string>>;
  /** The text of the config file the process names, when it names one. */
  readonly configFile?: string;
}

export interface AdoptedConfig {
  /** `config file PATH`, or `flags and environment`. */
  readonly source: string;
  /** The config file's path, when etcd reads one. */
  readonly configPath?: string;
  /** Every setting given, by etcd flag name. */
  readonly settings: Readonly<Record<string, string>>;
}

/** The TLS keys of etcd's config file sections, and the flag prefix each section's keys take. */
const SECTIONS: Readonly<Record<string, string>> = { 'client-transport-security': '', 'peer-transport-security': 'peer-' };
const TLS_BOOLEANS = ['client-cert-auth', 'auto-tls'];

/** Flags that take no value (`--client-cert-auth` alone means true), as Go's flag package reads bool flags. */
const BOOLEAN_FLAGS = new Set([
  ...Object.entries(ETCD_CONFIG_KEYS).filter(([, key]) => key.type === SettingType.BOOL).map(([name]) => name),
  ...TLS_BOOLEANS,
  ...TLS_BOOLEANS.map((name) => `peer-${name}`),
]);

/** `--name=x`, `--name x`, `-name x` and bare boolean flags, into flag name → value. */
export function parseFlags(argv: readonly string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 1; i < argv.length; i++) {
    const match = /^--?([a-z0-9][a-z0-9-]*)(?:=(.*))?$/s.exec(argv[i]!);
    if (!match) continue;
    const name = match[1]!;
    if (match[2] !== undefined) flags[name] = match[2];
    else if (BOOLEAN_FLAGS.has(name)) flags[name] = 'true';
    else if (i + 1 < argv.length) flags[name] = argv[++i]!;
  }
  return flags;
}

/** `ETCD_PEER_CERT_FILE=x` → `peer-cert-file: x` (etcdctl's ETCDCTL_* are not etcd's). */
export function environmentSettings(environment: Readonly<Record<string, string>>): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const [name, value] of Object.entries(environment)) {
    if (name.startsWith('ETCD_')) settings[name.slice(5).toLowerCase().replace(/_/g, '-')] = value;
  }
  return settings;
}

/** etcd.conf.yml's keys, sections flattened to their flag names. */
export function configFileSettings(text: string): Record<string, string> {
  const parsed = parseYaml(text) as unknown;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the config file is not a mapping of etcd keys');
  const settings: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    const prefix = SECTIONS[key];
    if (prefix !== undefined && value !== null && typeof value === 'object') {
      for (const [inner, v] of Object.entries(value as Record<string, unknown>)) settings[`${prefix}${inner}`] = Array.isArray(v) ? v.join(',') : String(v);
    } else if (value !== null && value !== undefined) {
      settings[key] = Array.isArray(value) ? value.join(',') : String(value);
    }
  }
  return settings;
}

/** The config file a running etcd reads, if any: `--config-file`, else ETCD_CONFIG_FILE. */
export function configFilePath(process: Pick<RunningEtcd, 'argv' | 'environment'>): string | undefined {
  return parseFlags(process.argv)['config-file'] ?? (process.environment.ETCD_CONFIG_FILE || undefined);
}

export function adoptedConfig(process: RunningEtcd): AdoptedConfig {
  const configPath = configFilePath(process);
  if (configPath !== undefined) {
    if (process.configFile === undefined) throw new Error(`etcd reads its configuration from ${configPath}, which could not be read`);
    return { source: `config file ${configPath}`, configPath, settings: configFileSettings(process.configFile) };
  }
  const settings = { ...environmentSettings(process.environment), ...parseFlags(process.argv) };
  return { source: 'flags and environment', settings };
}

/** Where adopt.yml puts etcdops' files on an adopted member. */
export const ADOPTED_PKI_DIR = '/etc/etcdops/pki';

/** The first URL of a comma-separated list that is not a loopback one, else the first. */
function mainUrl(list: string | undefined): URL | undefined {
  const urls = (list ?? '').split(',').map((u) => u.trim()).filter(Boolean).flatMap((u) => {
    try {
      return [new URL(u)];
    } catch {
      return [];
    }
  });
  return urls.find((u) => !/^(127\.|localhost$|\[::1\]$)/.test(u.hostname)) ?? urls[0];
}

const portOf = (url: URL | undefined, fallback: number): number => (url?.port ? Number(url.port) : fallback);

/** The etcdops host variables that let its playbooks and commands reach this member as it runs now. */
export function adoptedHostVars(config: AdoptedConfig): Record<string, unknown> {
  const s = config.settings;
  const client = mainUrl(s['advertise-client-urls'] ?? s['listen-client-urls']);
  const peer = mainUrl(s['initial-advertise-peer-urls'] ?? s['listen-peer-urls']);
  const address = (client ?? peer)?.hostname.replace(/^\[(.*)\]$/, '$1');
  // Prometheus scrapes a plain-HTTP metrics listener (monitoring.yml); a member without one has none to scrape.
  const metrics = mainUrl(s['listen-metrics-urls']);
  return {
    ...(address ? { etcd_address: address } : {}),
    etcd_client_port: portOf(client, 2379),
    etcd_peer_port: portOf(peer, 2380),
    ...(metrics?.protocol === 'http:' ? { etcd_metrics_port: portOf(metrics, 2381) } : {}),
    etcd_data_dir: s['data-dir'] ?? `${s.name ?? 'default'}.etcd`,
    // etcdops' own files for this member (the backup client certificate) go to a folder of their own,
    // never over the cluster's.
    etcd_pki_dir: ADOPTED_PKI_DIR,
    etcd_adopted: {
      source: config.source,
      name: s.name ?? 'default',
      client_urls: s['advertise-client-urls'] ?? '',
      peer_urls: s['initial-advertise-peer-urls'] ?? '',
      cert_file: s['cert-file'] ?? '',
      key_file: s['key-file'] ?? '',
      trusted_ca_file: s['trusted-ca-file'] ?? '',
      client_cert_auth: s['client-cert-auth'] === 'true',
      metrics_urls: s['listen-metrics-urls'] ?? '',
      peer_cert_file: s['peer-cert-file'] ?? '',
      peer_key_file: s['peer-key-file'] ?? '',
      peer_trusted_ca_file: s['peer-trusted-ca-file'] ?? '',
    },
  };
}
