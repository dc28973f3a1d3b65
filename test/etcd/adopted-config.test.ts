// Table tests: an adopted member's configuration read as etcd reads it (config file alone when named;
// otherwise flags over ETCD_* variables), and the host variables etcdops derives from it; and the
// running-etcd fact's parser.
import assert from 'node:assert/strict';
import { adoptedConfig, adoptedHostVars, parseFlags, type RunningEtcd } from '../../src/etcd/adopted-config.js';
import { parseRunningEtcd } from '../../src/facts/running-etcd.js';

const nul = (items: string[]) => Buffer.from(items.join('\u0000') + '\u0000').toString('base64');

describe('adopted etcd configuration', () => {
  it('reads flags in every form Go accepts, bare booleans included', () => {
    assert.deepStrictEqual(parseFlags(['/usr/bin/etcd', '--name=a', '--data-dir', '/d', '-heartbeat-interval=200', '--client-cert-auth', '--peer-client-cert-auth=false', '--cert-file', '/c']), {
      name: 'a',
      'data-dir': '/d',
      'heartbeat-interval': '200',
      'client-cert-auth': 'true',
      'peer-client-cert-auth': 'false',
      'cert-file': '/c',
    });
  });

  const rows: { readonly title: string; readonly process: RunningEtcd; readonly source: string; readonly vars: Record<string, unknown>; readonly adopted?: Record<string, unknown> }[] = [
    {
      title: "Debian's package layout: ETCD_* variables, a flag overriding one",
      process: {
        argv: ['/usr/bin/etcd', '--data-dir=/srv/etcd'],
        environment: { ETCD_NAME: 'm1', ETCD_DATA_DIR: '/var/lib/etcd/default', ETCD_ADVERTISE_CLIENT_URLS: 'https://10.1.0.5:12379', ETCD_INITIAL_ADVERTISE_PEER_URLS: 'https://10.1.0.5:12380', ETCD_CERT_FILE: '/t/s.crt', ETCD_CLIENT_CERT_AUTH: 'true', ETCDCTL_API: '3', PATH: '/usr/bin' },
      },
      source: 'flags and environment',
      vars: { etcd_address: '10.1.0.5', etcd_client_port: 12379, etcd_peer_port: 12380, etcd_metrics_port: undefined, etcd_data_dir: '/srv/etcd', etcd_pki_dir: '/etc/etcdops/pki' },
      adopted: { name: 'm1', cert_file: '/t/s.crt', client_cert_auth: true },
    },
    {
      title: 'a config file (kubeadm-style flags are then ignored by etcd, and here)',
      process: {
        argv: ['etcd', '--config-file', '/etc/etcd/etcd.yml', '--name=ignored'],
        environment: {},
        configFile: "name: m2\ndata-dir: /var/lib/etcd\nlisten-metrics-urls: http://[fd00::2]:9379\nadvertise-client-urls: https://127.0.0.1:2379,https://[fd00::2]:2379\ninitial-advertise-peer-urls: https://[fd00::2]:2380\nclient-transport-security:\n  cert-file: /p/server.crt\n  trusted-ca-file: /p/ca.crt\n  client-cert-auth: true\npeer-transport-security:\n  cert-file: /p/peer.crt\n",
      },
      source: 'config file /etc/etcd/etcd.yml',
      vars: { etcd_address: 'fd00::2', etcd_client_port: 2379, etcd_peer_port: 2380, etcd_metrics_port: 9379, etcd_data_dir: '/var/lib/etcd', etcd_pki_dir: '/etc/etcdops/pki' },
      adopted: { name: 'm2', cert_file: '/p/server.crt', trusted_ca_file: '/p/ca.crt', peer_cert_file: '/p/peer.crt', client_cert_auth: true },
    },
    {
      title: 'ETCD_CONFIG_FILE names the file',
      process: { argv: ['etcd'], environment: { ETCD_CONFIG_FILE: '/c.yml', ETCD_NAME: 'ignored' }, configFile: 'name: m3\nlisten-client-urls: http://10.0.0.3:2379\n' },
      source: 'config file /c.yml',
      vars: { etcd_address: '10.0.0.3', etcd_client_port: 2379, etcd_peer_port: 2380, etcd_data_dir: 'm3.etcd' },
      adopted: { name: 'm3' },
    },
  ];
  for (const row of rows) {
    it(row.title, () => {
      const config = adoptedConfig(row.process);
      assert.equal(config.source, row.source);
      const vars = adoptedHostVars(config);
      for (const [key, value] of Object.entries(row.vars)) assert.deepStrictEqual(vars[key], value, key);
      for (const [key, value] of Object.entries(row.adopted ?? {})) assert.deepStrictEqual((vars.etcd_adopted as Record<string, unknown>)[key], value, key);
    });
  }

  it('says when the config file it names could not be read', () => {
    assert.throws(() => adoptedConfig({ argv: ['etcd', '--config-file=/nope'], environment: {} }), /reads its configuration from \/nope, which could not be read/);
  });

  it('parses the running-etcd fact: argv and environment from /proc, the config file, or no process', () => {
    const out = [
      '@@etcdops-section show',
      'MainPID=42',
      'FragmentPath=/lib/systemd/system/etcd.service',
      'NRestarts=0',
      'ActiveEnterTimestamp=Mon 2026-11-30 06:00:00 UTC',
      '@@etcdops-section cmdline',
      nul(['/usr/bin/etcd', '--config-file', '/e.yml']),
      '@@etcdops-section environ',
      nul(['ETCD_X=1', 'HOME=/']),
      '@@etcdops-section config',
      Buffer.from('name: a\n').toString('base64'),
      '@@etcdops-section end',
      '',
    ].join('\n');
    const fact = parseRunningEtcd({ code: 0, stdout: out, stderr: '' }, 'etcd.service');
    assert.deepStrictEqual(fact.process, { argv: ['/usr/bin/etcd', '--config-file', '/e.yml'], environment: { ETCD_X: '1', HOME: '/' }, configFile: 'name: a\n' });
    assert.equal(fact.unitFile, '/lib/systemd/system/etcd.service');
    const stopped = parseRunningEtcd({ code: 0, stdout: '@@etcdops-section show\nMainPID=0\n@@etcdops-section end\n', stderr: '' }, 'etcd.service');
    assert.equal(stopped.process, undefined);
  });
});
