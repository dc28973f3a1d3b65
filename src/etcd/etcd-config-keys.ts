// The keys etcd reads from its --config-file, with the type of each and the minor versions that read it:
// one table, so a key is added with one line. etcd parses the file as YAML into Go fields (via JSON), so
// a Go time.Duration field takes a number of nanoseconds, and comma-separated URL lists are strings.
// checkSetting turns a rendered value into the value to write, or says what is wrong with it.
// etcd 3.6 (its upgrade and downgrade guides, etcd.io/docs/v3.6) drops the v2 store flags, reads most
// `experimental-*` settings under a name without the prefix and turns six of them into feature gates
// (`feature-gates: CompactHashCheck=true,...`); it still reads the old names until 3.7 but refuses a setting
// given both ways. A key's `successor` says what 3.6 reads instead, and the renderer writes that, so one
// template serves 3.4, 3.5 and 3.6. 3.6 cannot run in the lab here: its rows are table-tested only.

/** How etcd reads a key's value. */
export enum SettingType {
  /** Free text on one line (no control characters). */
  TEXT = 'TEXT',
  /** An absolute path. */
  PATH = 'PATH',
  /** A non-negative integer. */
  INT = 'INT',
  /** A Go time.Duration field: an integer number of nanoseconds. */
  NANOSECONDS = 'NANOSECONDS',
  BOOL = 'BOOL',
  /** One of the `values` of the key. */
  ENUM = 'ENUM',
  /** Comma-separated http(s)/unix(s) URLs. */
  URL_LIST = 'URL_LIST',
  /** `name=peerURL,...`: the initial members. */
  CLUSTER = 'CLUSTER',
  /** auto-compaction-retention: a Go duration (1h, 30m) or a number (hours, or revisions). */
  RETENTION = 'RETENTION',
  /** A YAML list of single-line strings. */
  TEXT_LIST = 'TEXT_LIST',
  /** A nested mapping whose own keys are in `keys`. */
  SECTION = 'SECTION',
  /** etcd 3.6+ `feature-gates`: `Gate=true,Other=false`, each gate one etcd knows. */
  FEATURE_GATES = 'FEATURE_GATES',
}

/** What a newer etcd reads in place of a key: the same setting under another name, or a feature gate. */
export interface KeySuccessor {
  /** The first minor version that reads the successor. */
  readonly since: string;
  /** The key's new name (same type and value). */
  readonly key?: string;
  /** The feature gate that replaces a boolean key (`Gate=true|false` in `feature-gates`). */
  readonly gate?: string;
}

export interface ConfigKey {
  readonly type: SettingType;
  /** The etcd minor versions that read the key (default: all in ETCD_CONFIG_VERSIONS). */
  readonly versions?: readonly string[];
  /** ENUM: the accepted values. */
  readonly values?: readonly string[];
  /** SECTION: its keys. */
  readonly keys?: Readonly<Record<string, ConfigKey>>;
  /**
   * A check etcdops turns on where etcd has it: on the versions not in `versions` the key is left out of
   * the file instead of refused, so one template serves every version (the version guard is this table).
   */
  readonly omitElsewhere?: boolean;
  /** Left out of the file when its value renders to '' (bootstrap keys of which only one may be set). */
  readonly omitWhenEmpty?: boolean;
  /** On versions from `successor.since` on, the key is written as its successor. */
  readonly successor?: KeySuccessor;
}

/** The etcd minor versions the table describes; a newer one is checked as the newest of these. */
export const ETCD_CONFIG_VERSIONS = ['3.4', '3.5', '3.6'] as const;

/** The feature gates etcd 3.6 documents (etcd.io/docs/v3.6/feature-gates): each replaces an experimental flag. */
export const ETCD_FEATURE_GATES: readonly string[] = [
  'CompactHashCheck',
  'InitialCorruptCheck',
  'LeaseCheckpoint',
  'LeaseCheckpointPersist',
  'StopGRPCServiceOnDefrag',
  'TxnModeWriteWithSharedBuffer',
];

const V34 = ['3.4'];
/** 3.4 and 3.5: the v2 store flags, gone in 3.6. */
const V34_35 = ['3.4', '3.5'];
const V35 = ['3.5'];
const V35_UP = ['3.5', '3.6'];
const V36 = ['3.6'];
const renamed = (key: string): KeySuccessor => ({ since: '3.6', key });
const gate = (name: string): KeySuccessor => ({ since: '3.6', gate: name });
const { TEXT, PATH, INT, NANOSECONDS, BOOL, ENUM, URL_LIST, CLUSTER, RETENTION, TEXT_LIST, SECTION, FEATURE_GATES } = SettingType;

const TRANSPORT_SECURITY: Readonly<Record<string, ConfigKey>> = {
  'cert-file': { type: PATH },
  'key-file': { type: PATH },
  'client-cert-file': { type: PATH, versions: V35_UP },
  'client-key-file': { type: PATH, versions: V35_UP },
  'trusted-ca-file': { type: PATH },
  'client-cert-auth': { type: BOOL },
  'auto-tls': { type: BOOL },
  'allowed-cn': { type: TEXT, versions: V35_UP },
  'allowed-hostname': { type: TEXT, versions: V35_UP },
};

/**
 * Every key of etcd.conf.yml (from the 3.4.23 and 3.5.16 binaries: their config fields that are also flags;
 * 3.6 from etcd's v3.6 downgrade guide, which lists how its flags differ from 3.5's).
 */
export const ETCD_CONFIG_KEYS: Readonly<Record<string, ConfigKey>> = {
  name: { type: TEXT },
  'data-dir': { type: PATH },
  'wal-dir': { type: PATH },
  'snapshot-count': { type: INT },
  'max-snapshots': { type: INT },
  'max-wals': { type: INT },
  'heartbeat-interval': { type: INT },
  'election-timeout': { type: INT },
  'initial-election-tick-advance': { type: BOOL },
  'quota-backend-bytes': { type: INT },
  'backend-batch-interval': { type: NANOSECONDS },
  'backend-batch-limit': { type: INT },
  'backend-bbolt-freelist-type': { type: ENUM, values: ['map', 'array'], versions: V35_UP },
  'experimental-backend-bbolt-freelist-type': { type: ENUM, values: ['map', 'array'], versions: V34 },
  'max-txn-ops': { type: INT },
  'max-request-bytes': { type: INT },
  'max-concurrent-streams': { type: INT },
  'grpc-keepalive-min-time': { type: NANOSECONDS },
  'grpc-keepalive-interval': { type: NANOSECONDS },
  'grpc-keepalive-timeout': { type: NANOSECONDS },
  'listen-peer-urls': { type: URL_LIST },
  'listen-client-urls': { type: URL_LIST },
  'listen-client-http-urls': { type: URL_LIST, versions: V35_UP, omitElsewhere: true },
  'listen-metrics-urls': { type: URL_LIST },
  'initial-advertise-peer-urls': { type: URL_LIST },
  'advertise-client-urls': { type: URL_LIST },
  cors: { type: TEXT },
  'host-whitelist': { type: TEXT },
  // One of these two bootstraps a new member (etcd refuses both): the other renders to '' and is left out.
  'initial-cluster': { type: CLUSTER, omitWhenEmpty: true },
  'initial-cluster-state': { type: ENUM, values: ['new', 'existing'] },
  'initial-cluster-token': { type: TEXT },
  'strict-reconfig-check': { type: BOOL },
  'pre-vote': { type: BOOL },
  // The v2 store is gone in 3.6 (its upgrade guide: check the v2 store with etcdutl, then drop the flag).
  'enable-v2': { type: BOOL, versions: V34_35 },
  'v2-deprecation': { type: ENUM, values: ['not-yet', 'write-only', 'write-only-drop-data', 'gone'], versions: V35_UP },
  discovery: { type: TEXT },
  'discovery-fallback': { type: ENUM, values: ['exit', 'proxy'] },
  'discovery-proxy': { type: TEXT },
  'discovery-srv': { type: TEXT, omitWhenEmpty: true },
  'discovery-srv-name': { type: TEXT },
  'auto-compaction-mode': { type: ENUM, values: ['periodic', 'revision'] },
  'auto-compaction-retention': { type: RETENTION },
  'auth-token': { type: TEXT },
  'auth-token-ttl': { type: INT },
  'bcrypt-cost': { type: INT },
  'client-transport-security': { type: SECTION, keys: TRANSPORT_SECURITY },
  'peer-transport-security': { type: SECTION, keys: TRANSPORT_SECURITY },
  'cipher-suites': { type: TEXT_LIST },
  'tls-min-version': { type: ENUM, values: ['TLS1.2', 'TLS1.3'], versions: V35_UP },
  'tls-max-version': { type: ENUM, values: ['TLS1.2', 'TLS1.3'], versions: V35_UP },
  'self-signed-cert-validity': { type: INT, versions: V35_UP },
  'force-new-cluster': { type: BOOL },
  'enable-pprof': { type: BOOL },
  'enable-grpc-gateway': { type: BOOL },
  metrics: { type: ENUM, values: ['basic', 'extensive'] },
  logger: { type: ENUM, values: ['zap', 'capnslog'] },
  'log-level': { type: ENUM, values: ['debug', 'info', 'warn', 'error', 'panic', 'fatal'] },
  'log-outputs': { type: TEXT_LIST },
  'log-output': { type: TEXT, versions: V34 },
  'log-package-levels': { type: TEXT, versions: V34 },
  debug: { type: BOOL, versions: V34 },
  'enable-log-rotation': { type: BOOL, versions: V35_UP },
  'log-rotation-config-json': { type: TEXT, versions: V35_UP },
  'log-format': { type: ENUM, values: ['json', 'console'], versions: V36 },
  'unsafe-no-fsync': { type: BOOL },
  proxy: { type: ENUM, values: ['off', 'readonly', 'on'] },
  'proxy-failure-wait': { type: INT },
  'proxy-refresh-interval': { type: INT },
  'proxy-dial-timeout': { type: INT },
  'proxy-write-timeout': { type: INT },
  'proxy-read-timeout': { type: INT },
  'experimental-initial-corrupt-check': { type: BOOL, versions: V34_35, successor: gate('InitialCorruptCheck') },
  'experimental-corrupt-check-time': { type: NANOSECONDS, versions: V34_35, successor: renamed('corrupt-check-time') },
  // 3.5 only (3.5.16's --help): the leader compares its followers' hashes at each compaction revision.
  'experimental-compact-hash-check-enabled': { type: BOOL, versions: V35, omitElsewhere: true, successor: gate('CompactHashCheck') },
  'experimental-compact-hash-check-time': { type: NANOSECONDS, versions: V35, omitElsewhere: true, successor: renamed('compact-hash-check-time') },
  'experimental-enable-v2v3': { type: TEXT, versions: V34_35 },
  'experimental-enable-lease-checkpoint': { type: BOOL, versions: V34_35, successor: gate('LeaseCheckpoint') },
  'experimental-enable-lease-checkpoint-persist': { type: BOOL, versions: V34_35, successor: gate('LeaseCheckpointPersist') },
  'experimental-compaction-batch-limit': { type: INT, versions: V34_35, successor: renamed('compaction-batch-limit') },
  'experimental-compaction-sleep-interval': { type: NANOSECONDS, versions: V35, successor: renamed('compaction-sleep-interval') },
  'experimental-watch-progress-notify-interval': { type: NANOSECONDS, versions: V34_35, successor: renamed('watch-progress-notify-interval') },
  'experimental-warning-apply-duration': { type: NANOSECONDS, versions: V34_35, successor: renamed('warning-apply-duration') },
  'experimental-bootstrap-defrag-threshold-megabytes': { type: INT, versions: V35, successor: renamed('bootstrap-defrag-threshold-megabytes') },
  'experimental-txn-mode-write-with-shared-buffer': { type: BOOL, versions: V35, successor: gate('TxnModeWriteWithSharedBuffer') },
  'experimental-stop-grpc-service-on-defrag': { type: BOOL, versions: V35, successor: gate('StopGRPCServiceOnDefrag') },
  'experimental-downgrade-check-time': { type: NANOSECONDS, versions: V35, successor: renamed('downgrade-check-time') },
  'experimental-memory-mlock': { type: BOOL, versions: V35, successor: renamed('memory-mlock') },
  'experimental-snapshot-catch-up-entries': { type: INT, versions: V35, successor: renamed('snapshot-catchup-entries') },
  'experimental-enable-distributed-tracing': { type: BOOL, versions: V35, successor: renamed('enable-distributed-tracing') },
  'experimental-distributed-tracing-address': { type: TEXT, versions: V35, successor: renamed('distributed-tracing-address') },
  'experimental-distributed-tracing-service-name': { type: TEXT, versions: V35, successor: renamed('distributed-tracing-service-name') },
  'experimental-distributed-tracing-instance-id': { type: TEXT, versions: V35, successor: renamed('distributed-tracing-instance-id') },
  'experimental-distributed-tracing-sampling-rate': { type: INT, versions: V35, successor: renamed('distributed-tracing-sampling-rate') },
  // 3.6: the same settings without the experimental prefix, and the feature gates.
  'feature-gates': { type: FEATURE_GATES, versions: V36 },
  'corrupt-check-time': { type: NANOSECONDS, versions: V36 },
  'compact-hash-check-time': { type: NANOSECONDS, versions: V36 },
  'compaction-batch-limit': { type: INT, versions: V36 },
  'compaction-sleep-interval': { type: NANOSECONDS, versions: V36 },
  'watch-progress-notify-interval': { type: NANOSECONDS, versions: V36 },
  'warning-apply-duration': { type: NANOSECONDS, versions: V36 },
  'bootstrap-defrag-threshold-megabytes': { type: INT, versions: V36 },
  'downgrade-check-time': { type: NANOSECONDS, versions: V36 },
  'memory-mlock': { type: BOOL, versions: V36 },
  'snapshot-catchup-entries': { type: INT, versions: V36 },
  'max-learners': { type: INT, versions: V36 },
  'enable-distributed-tracing': { type: BOOL, versions: V36 },
  'distributed-tracing-address': { type: TEXT, versions: V36 },
  'distributed-tracing-service-name': { type: TEXT, versions: V36 },
  'distributed-tracing-instance-id': { type: TEXT, versions: V36 },
  'distributed-tracing-sampling-rate': { type: INT, versions: V36 },
};

/** `3.5` for `3.5.16`; a version newer than the table is checked as the newest the table knows. */
export function configMinor(version: unknown): string {
  const match = /^v?(\d+)\.(\d+)/.exec(String(version ?? ''));
  const newest = ETCD_CONFIG_VERSIONS.at(-1)!;
  if (!match) return newest;
  const minor = `${match[1]}.${match[2]}`;
  if ((ETCD_CONFIG_VERSIONS as readonly string[]).includes(minor)) return minor;
  const [major, min] = [Number(match[1]), Number(match[2])];
  return major < 3 || (major === 3 && min < 4) ? ETCD_CONFIG_VERSIONS[0] : newest;
}

/** The keys one etcd minor version reads in a section (or at the top level). */
export function keysFor(section: Readonly<Record<string, ConfigKey>>, minor: string): Map<string, ConfigKey> {
  return new Map(Object.entries(section).filter(([, key]) => key.versions === undefined || key.versions.includes(minor)));
}

// Control characters (a newline, a tab, NUL, ...) never belong in a value of this file.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const GO_DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;
const INTEGER = /^\d+$/;
const URL_SCHEMES = new Set(['http:', 'https:', 'unix:', 'unixs:']);

/** A value etcd would misread, with what is wrong: the message a user sees next to the key and variable. */
export class SettingProblem extends Error {}

const shown = (value: unknown): string => JSON.stringify(value) ?? String(value);

function oneLine(value: unknown, what: string): string {
  if (typeof value !== 'string' && typeof value !== 'number') throw new SettingProblem(`${shown(value)} is not ${what}`);
  const text = String(value);
  if (CONTROL.test(text)) throw new SettingProblem(`${shown(text)} contains a control character (a newline, tab, ...), which ${what} never has`);
  return text;
}

function integer(value: unknown, what: string): number {
  const text = typeof value === 'number' ? String(value) : oneLine(value, what).trim();
  if (!INTEGER.test(text)) throw new SettingProblem(`${shown(value)} is not ${what}`);
  const number = Number(text);
  if (!Number.isSafeInteger(number)) throw new SettingProblem(`${shown(value)} is too large for ${what}`);
  return number;
}

function url(text: string, list: string): void {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new SettingProblem(`${shown(list)}: ${shown(text)} is not a URL`);
  }
  if (!URL_SCHEMES.has(parsed.protocol)) throw new SettingProblem(`${shown(list)}: ${shown(text)} must use http, https, unix or unixs`);
  if (/[\s'"\\]/.test(text) || parsed.username || parsed.password || parsed.search || parsed.hash) {
    throw new SettingProblem(`${shown(list)}: ${shown(text)} must be scheme://host:port only`);
  }
  if (parsed.protocol.startsWith('http') && parsed.port === '') throw new SettingProblem(`${shown(list)}: ${shown(text)} has no port`);
}

/** The value to write for a key of the given type, or a SettingProblem saying why etcd would misread it. */
export function checkSetting(key: ConfigKey, value: unknown): unknown {
  switch (key.type) {
    case SettingType.TEXT:
      return oneLine(value, 'one line of text');
    case SettingType.PATH: {
      const path = oneLine(value, 'an absolute path');
      if (!path.startsWith('/')) throw new SettingProblem(`${shown(path)} is not an absolute path`);
      return path;
    }
    case SettingType.INT:
      return integer(value, 'a whole number');
    case SettingType.NANOSECONDS:
      return integer(value, 'a whole number of nanoseconds (etcd reads a Go duration here as nanoseconds)');
    case SettingType.BOOL: {
      if (typeof value === 'boolean') return value;
      const text = oneLine(value, 'true or false').toLowerCase();
      if (text === 'true' || text === 'false') return text === 'true';
      throw new SettingProblem(`${shown(value)} is not true or false`);
    }
    case SettingType.ENUM: {
      const text = oneLine(value, `one of ${key.values!.join(', ')}`);
      if (!key.values!.includes(text)) throw new SettingProblem(`${shown(text)} is not one of ${key.values!.join(', ')}`);
      return text;
    }
    case SettingType.URL_LIST: {
      const text = oneLine(value, 'a comma-separated URL list');
      text.split(',').forEach((u) => url(u, text));
      return text;
    }
    case SettingType.CLUSTER: {
      const text = oneLine(value, 'a name=URL list');
      for (const entry of text.split(',')) {
        const at = entry.indexOf('=');
        if (at <= 0) throw new SettingProblem(`${shown(text)}: ${shown(entry)} is not name=URL`);
        url(entry.slice(at + 1), text);
      }
      return text;
    }
    case SettingType.RETENTION: {
      const text = oneLine(value, 'a duration (e.g. 1h, 30m) or a number');
      if (!INTEGER.test(text) && !GO_DURATION.test(text)) throw new SettingProblem(`${shown(text)} is not a duration (e.g. 1h, 30m, 1h30m) or a whole number`);
      return text;
    }
    case SettingType.TEXT_LIST: {
      if (!Array.isArray(value)) throw new SettingProblem(`${shown(value)} is not a list`);
      return value.map((item) => oneLine(item, 'one line of text'));
    }
    case SettingType.SECTION:
      throw new SettingProblem(`${shown(value)} is not a mapping`);
    case SettingType.FEATURE_GATES:
      return formatFeatureGates(parseFeatureGates(oneLine(value, 'a Gate=true,... list')));
  }
}

/** `A=true,B=false` read into gate → on/off, each gate one etcd 3.6 knows, each given once. */
export function parseFeatureGates(text: string): Map<string, boolean> {
  const gates = new Map<string, boolean>();
  for (const entry of text.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    const match = /^([A-Za-z0-9]+)=(true|false)$/i.exec(entry);
    if (!match) throw new SettingProblem(`${shown(text)}: ${shown(entry)} is not Gate=true or Gate=false`);
    const name = match[1]!;
    if (!ETCD_FEATURE_GATES.includes(name)) throw new SettingProblem(`${shown(text)}: ${shown(name)} is not a feature gate etcd 3.6 documents (${ETCD_FEATURE_GATES.join(', ')})`);
    if (gates.has(name)) throw new SettingProblem(`${shown(text)}: ${name} is given twice`);
    gates.set(name, match[2]!.toLowerCase() === 'true');
  }
  return gates;
}

/** The gates as etcd reads them, sorted so the file is the same whatever order they were given in. */
export function formatFeatureGates(gates: ReadonlyMap<string, boolean>): string {
  return [...gates].sort(([a], [b]) => a.localeCompare(b)).map(([name, on]) => `${name}=${on}`).join(',');
}

/** Whether etcd `minor` (e.g. `3.6`) is `since` or newer. */
export function minorAtLeast(minor: string, since: string): boolean {
  const [a, b] = [minor, since].map((v) => v.split('.').map(Number));
  return a![0]! !== b![0]! ? a![0]! > b![0]! : a![1]! >= b![1]!;
}
