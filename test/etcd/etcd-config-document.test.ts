// Table-driven: etcd.conf.yml rendered from the shipped template through the YAML serializer: the same
// settings as before for ordinary values, and every hostile or mistyped value refused with the key, the
// variable it came from and what is wrong, before any text exists to be written.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { renderEtcdConfig } from '../../src/etcd/etcd-config-document.js';
import { renderTemplateFile } from '../../src/playbook/templating.js';
import { ROLE_MEMBER_VARS } from '../modules/etcd-fixtures.js';

const SOURCE = fileURLToPath(new URL('../../templates/etcd.conf.yml.hbs', import.meta.url));
const TEMPLATE = readFileSync(SOURCE, 'utf8');

const VARS: Record<string, unknown> = {
  ...ROLE_MEMBER_VARS,
  etcd_name: 'n1',
  etcd_address: '10.0.0.1',
  etcd_url_host: '10.0.0.1',
  etcd_initial_cluster: 'n1=https://10.0.0.1:2380,n2=https://10.0.0.2:2380',
  etcd_discovery_srv: '',
  etcd_initial_cluster_state: 'new',
};

const render = (vars: Record<string, unknown>, template = TEMPLATE, version: unknown = '3.5.16') =>
  renderEtcdConfig(template, SOURCE, (value) => renderTemplateFile(value, vars, SOURCE), version);

describe('renderEtcdConfig: the shipped template', () => {
  it('writes the settings etcd read from the previous template, with native types', () => {
    const text = render(VARS);
    assert.deepStrictEqual(parse(text), {
      name: 'n1',
      'data-dir': '/var/lib/etcd',
      'listen-peer-urls': 'https://10.0.0.1:2380',
      'listen-client-urls': 'https://10.0.0.1:2379,https://127.0.0.1:2379',
      'initial-advertise-peer-urls': 'https://10.0.0.1:2380',
      'advertise-client-urls': 'https://10.0.0.1:2379',
      'listen-client-http-urls': 'https://10.0.0.1:2382,https://127.0.0.1:2382',
      'listen-metrics-urls': 'http://10.0.0.1:2381',
      'initial-cluster': 'n1=https://10.0.0.1:2380,n2=https://10.0.0.2:2380',
      'initial-cluster-state': 'new',
      'initial-cluster-token': 'etcd-etcd',
      'strict-reconfig-check': true,
      'client-transport-security': { 'cert-file': '/etc/etcd/pki/server.crt', 'key-file': '/etc/etcd/pki/server.key', 'trusted-ca-file': '/etc/etcd/pki/ca.crt', 'client-cert-auth': true },
      'peer-transport-security': { 'cert-file': '/etc/etcd/pki/peer.crt', 'key-file': '/etc/etcd/pki/peer.key', 'trusted-ca-file': '/etc/etcd/pki/peer-ca.crt', 'client-cert-auth': true },
      'quota-backend-bytes': 8589934592,
      'auto-compaction-mode': 'periodic',
      'auto-compaction-retention': '1h',
      'heartbeat-interval': 100,
      'election-timeout': 1000,
      'experimental-initial-corrupt-check': true,
      'experimental-corrupt-check-time': 3600000000000,
      'experimental-compact-hash-check-enabled': true,
      logger: 'zap',
      'log-level': 'info',
      'log-outputs': ['stderr'],
    });
    assert.match(text, /^# etcd member configuration, managed by etcdops/);
    assert.match(text, /^# Plain HTTP, metrics and \/health only/m);
  });

  it('listens for client HTTP apart from gRPC where etcd can (3.5, not 3.4)', () => {
    const listener = (version: string) => (parse(render(VARS, TEMPLATE, version)) as Record<string, unknown>)['listen-client-http-urls'];
    assert.equal(listener('3.5.16'), 'https://10.0.0.1:2382,https://127.0.0.1:2382');
    assert.equal(listener('3.4.23'), undefined);
  });

  it('turns the corruption checks on, the compact-hash check only where etcd has it (3.5, not 3.4)', () => {
    const checks = (version: string) => Object.entries(parse(render(VARS, TEMPLATE, version)) as Record<string, unknown>).filter(([key]) => /corrupt|hash-check/.test(key));
    assert.deepStrictEqual(checks('3.5.16'), [
      ['experimental-initial-corrupt-check', true],
      ['experimental-corrupt-check-time', 3600000000000],
      ['experimental-compact-hash-check-enabled', true],
    ]);
    assert.deepStrictEqual(checks('3.4.23'), [
      ['experimental-initial-corrupt-check', true],
      ['experimental-corrupt-check-time', 3600000000000],
    ]);
  });

  it('quotes text that etcd\'s YAML 1.1 reader would take for a boolean or a number', () => {
    const text = render({ ...VARS, etcd_name: 'on', etcd_cluster_token: '1:20', etcd_data_dir: '/var/lib/etcd' });
    const settings = parse(text, { version: '1.1' });
    assert.equal(settings.name, 'on');
    assert.equal(settings['initial-cluster-token'], '1:20');
  });

  it('keeps numbers given as text (from -e) numbers', () => {
    const settings = parse(render({ ...VARS, etcd_quota_backend_bytes: '4294967296', etcd_heartbeat_interval: '50' }));
    assert.equal(settings['quota-backend-bytes'], 4294967296);
    assert.equal(settings['heartbeat-interval'], 50);
  });

  const refused: { readonly title: string; readonly vars: Record<string, unknown>; readonly error: RegExp }[] = [
    { title: 'a quote in the retention', vars: { etcd_auto_compaction_retention: "1h'x" }, error: /:\d+: auto-compaction-retention \(from etcd_auto_compaction_retention\): "1h'x" is not a duration/ },
    { title: 'a newline injecting a key', vars: { etcd_auto_compaction_retention: '1h\nclient-cert-auth: false' }, error: /auto-compaction-retention \(from etcd_auto_compaction_retention\): .* contains a control character/ },
    { title: 'a newline in free text', vars: { etcd_cluster_token: 'tok\nforce-new-cluster: true' }, error: /initial-cluster-token \(from etcd_cluster_token\): .* control character/ },
    { title: 'a newline in a path', vars: { etcd_pki_dir: '/etc/etcd/pki\n  client-cert-auth: false\n  x: /y' }, error: /client-transport-security\.cert-file \(from etcd_pki_dir\)/ },
    { title: 'a relative path', vars: { etcd_data_dir: 'var/lib/etcd' }, error: /data-dir \(from etcd_data_dir\): "var\/lib\/etcd" is not an absolute path/ },
    { title: 'a quota that is not a number', vars: { etcd_quota_backend_bytes: '8G' }, error: /quota-backend-bytes \(from etcd_quota_backend_bytes\): "8G" is not a whole number/ },
    { title: 'a negative heartbeat', vars: { etcd_heartbeat_interval: -5 }, error: /heartbeat-interval \(from etcd_heartbeat_interval\): "-5" is not a whole number/ },
    { title: 'an unknown compaction mode', vars: { etcd_auto_compaction_mode: 'hourly' }, error: /auto-compaction-mode \(from etcd_auto_compaction_mode\): "hourly" is not one of periodic, revision/ },
    { title: 'an address that breaks the URL', vars: { etcd_url_host: "10.0.0.1'" }, error: /listen-peer-urls \(from etcd_url_host, etcd_peer_port\): .* is not a URL|must be scheme:\/\/host:port only/ },
    { title: 'an address with a space and a second URL', vars: { etcd_url_host: '10.0.0.1:1 http://evil' }, error: /listen-peer-urls \(from etcd_url_host, etcd_peer_port\)/ },
    { title: 'a port that is not a port', vars: { etcd_peer_port: 'x' }, error: /listen-peer-urls \(from etcd_url_host, etcd_peer_port\)/ },
    { title: 'an initial cluster entry without a name', vars: { etcd_initial_cluster: 'https://10.0.0.1:2380' }, error: /initial-cluster \(from etcd_initial_cluster\): .* is not name=URL/ },
    { title: 'an undefined variable', vars: { etcd_name: undefined }, error: /name \(from etcd_name\): .*undefined variable 'etcd_name'/ },
  ];
  for (const row of refused) {
    it(`refuses ${row.title}, naming the key and the variable`, () => {
      const vars = { ...VARS, ...row.vars };
      for (const [k, v] of Object.entries(vars)) if (v === undefined) delete vars[k];
      assert.throws(() => render(vars), (error: Error) => {
        assert.match(error.message, /^refusing to write etcd\.conf\.yml: .*nothing was changed/);
        assert.match(error.message, row.error);
        return true;
      });
    });
  }

  it('bootstraps from DNS SRV records instead of the member list (etcd refuses both)', () => {
    const settings = parse(render({ ...VARS, etcd_initial_cluster: '', etcd_discovery_srv: 'etcd.lab.test' })) as Record<string, unknown>;
    assert.equal(settings['discovery-srv'], 'etcd.lab.test');
    assert.ok(!('initial-cluster' in settings), 'no initial-cluster beside discovery-srv');
    assert.ok(!('discovery-srv' in (parse(render(VARS)) as Record<string, unknown>)), 'no discovery-srv beside initial-cluster');
  });

  it('lists every bad value at once', () => {
    assert.throws(() => render({ ...VARS, etcd_heartbeat_interval: 'x', etcd_election_timeout: 'y' }), /2 values etcd would misread[\s\S]*heartbeat-interval[\s\S]*election-timeout/);
  });
});

describe('renderEtcdConfig: the shipped template per etcd minor version', () => {
  // Only the keys that differ between versions; every other key is the same on all three.
  const VARYING = /corrupt|hash-check|feature-gates|client-http/;
  const rows: { readonly version: string; readonly expected: Record<string, unknown> }[] = [
    {
      version: '3.4.23',
      expected: { 'experimental-initial-corrupt-check': true, 'experimental-corrupt-check-time': 3600000000000 },
    },
    {
      version: '3.5.30',
      expected: {
        'listen-client-http-urls': 'https://10.0.0.1:2382,https://127.0.0.1:2382',
        'experimental-initial-corrupt-check': true,
        'experimental-corrupt-check-time': 3600000000000,
        'experimental-compact-hash-check-enabled': true,
      },
    },
    // Table-tested only: no etcd 3.6 runs in the lab.
    {
      version: '3.6.5',
      expected: {
        'listen-client-http-urls': 'https://10.0.0.1:2382,https://127.0.0.1:2382',
        'feature-gates': 'CompactHashCheck=true,InitialCorruptCheck=true',
        'corrupt-check-time': 3600000000000,
      },
    },
  ];
  for (const row of rows) {
    it(`etcd ${row.version}: only the keys that version reads`, () => {
      const settings = parse(render(VARS, TEMPLATE, row.version)) as Record<string, unknown>;
      assert.deepStrictEqual(Object.fromEntries(Object.entries(settings).filter(([key]) => VARYING.test(key))), row.expected);
      assert.equal(settings.name, 'n1');
      assert.ok(!Object.keys(settings).some((key) => key.startsWith('experimental-')) || !row.version.startsWith('3.6'), 'no experimental key on 3.6');
    });
  }

  it('etcd 3.6 with the checks off: both gates written false', () => {
    const settings = parse(render({ ...VARS, etcd_corrupt_check: false, etcd_corrupt_check_time_ns: 0 }, TEMPLATE, '3.6.0')) as Record<string, unknown>;
    assert.equal(settings['feature-gates'], 'CompactHashCheck=false,InitialCorruptCheck=false');
    assert.equal(settings['corrupt-check-time'], 0);
  });
});

describe('renderEtcdConfig: templates a user writes', () => {
  const rows: { readonly title: string; readonly template: string; readonly version?: string; readonly expected?: unknown; readonly error?: RegExp }[] = [
    { title: 'an unknown key, with a suggestion', template: 'heartbeat-intervall: 100\n', error: /:1: heartbeat-intervall is not a key etcd 3\.5 reads \(did you mean 'heartbeat-interval'\?\)/ },
    { title: 'an unknown key in a section', template: 'peer-transport-security:\n  client-cert-auht: true\n', error: /:2: peer-transport-security\.client-cert-auht is not a key/ },
    { title: 'a 3.5 key for etcd 3.4', template: 'tls-min-version: TLS1.3\n', version: '3.4.23', error: /tls-min-version is not a key etcd 3\.4 reads \(etcd 3\.5, 3\.6 only\)/ },
    { title: 'the same 3.5 key for etcd 3.5', template: 'tls-min-version: TLS1.3\n', version: '3.5.16', expected: { 'tls-min-version': 'TLS1.3' } },
    { title: 'a check etcdops turns on where etcd has it, left out elsewhere', template: 'experimental-compact-hash-check-enabled: true\nname: a\n', version: '3.4.23', expected: { name: 'a' } },
    { title: 'an experimental key 3.6 reads without the prefix', template: 'experimental-memory-mlock: true\n', version: '3.6.0', expected: { 'memory-mlock': true } },
    { title: 'a newer version checked as the newest known (3.6)', template: 'experimental-memory-mlock: true\n', version: '3.7.1', expected: { 'memory-mlock': true } },
    { title: 'a v2 store flag on 3.6, which dropped it', template: 'enable-v2: false\n', version: '3.6.0', error: /enable-v2 is not a key etcd 3\.6 reads \(etcd 3\.4, 3\.5 only\)/ },
    { title: 'feature-gates before 3.6', template: 'feature-gates: InitialCorruptCheck=true\n', version: '3.5.30', error: /feature-gates is not a key etcd 3\.5 reads \(etcd 3\.6 only\)/ },
    { title: 'a 3.6 name before 3.6', template: 'corrupt-check-time: 5\n', version: '3.5.30', error: /corrupt-check-time is not a key etcd 3\.5 reads \(etcd 3\.6 only\)/ },
    { title: 'a gate etcd does not know', template: 'feature-gates: InitialCorruptChek=true\n', version: '3.6.0', error: /"InitialCorruptChek" is not a feature gate etcd 3\.6 documents/ },
    { title: 'a gate that is not true or false', template: 'feature-gates: CompactHashCheck=yes\n', version: '3.6.0', error: /"CompactHashCheck=yes" is not Gate=true or Gate=false/ },
    { title: 'gates from experimental keys merged into the template\'s own feature-gates', template: 'feature-gates: StopGRPCServiceOnDefrag=true\nexperimental-initial-corrupt-check: true\nexperimental-txn-mode-write-with-shared-buffer: false\n', version: '3.6.2', expected: { 'feature-gates': 'InitialCorruptCheck=true,StopGRPCServiceOnDefrag=true,TxnModeWriteWithSharedBuffer=false' } },
    { title: 'a gate set two ways that disagree', template: 'feature-gates: InitialCorruptCheck=false\nexperimental-initial-corrupt-check: true\n', version: '3.6.0', error: /experimental-initial-corrupt-check is the feature gate InitialCorruptCheck on etcd 3\.6, and feature-gates sets it to false/ },
    { title: 'an old and a new name of one setting', template: 'experimental-corrupt-check-time: 5\ncorrupt-check-time: 5\n', version: '3.6.0', error: /experimental-corrupt-check-time and corrupt-check-time are the same setting/ },
    { title: 'an unquoted template (a YAML flow mapping)', template: 'name: {{ etcd_name }}\n', error: /name: a mapping where a single value belongs/ },
    { title: 'a section given a value', template: 'client-transport-security: yes\n', error: /client-transport-security: must be a mapping/ },
    { title: 'a Go duration where etcd reads nanoseconds', template: 'grpc-keepalive-interval: 2h\n', error: /grpc-keepalive-interval: "2h" is not a whole number of nanoseconds/ },
    { title: 'a list of outputs', template: "log-outputs: ['{{ etcd_name }}', stderr]\n", expected: { 'log-outputs': ['n1', 'stderr'] } },
    { title: 'a duplicate key', template: 'name: a\nname: b\n', error: /:2: the etcd config template is not valid YAML: Map keys must be unique/ },
    { title: 'not a mapping', template: '- name\n', error: /must be a mapping of etcd keys/ },
  ];
  for (const row of rows) {
    it(row.title, () => {
      if (row.error) assert.throws(() => render(VARS, row.template, row.version), row.error);
      else assert.deepStrictEqual(parse(render(VARS, row.template, row.version)), row.expected);
    });
  }
});
