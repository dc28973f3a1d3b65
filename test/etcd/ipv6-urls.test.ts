// Table test: a member address goes into every URL and host:port target bracketed when it is IPv6 (etcd,
// its clients, Prometheus and the backup job all parse `https://[fd00::11]:2380`; a bare `fd00::11:2380`
// is another address), and unchanged when it is IPv4 or a name. The lab runs on IPv4 only, hence a table.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { renderEtcdConfig } from '../../src/etcd/etcd-config-document.js';
import { initialCluster } from '../../src/modules/etcd-config.js';
import { clientUrl, peerUrl } from '../../src/etcd/cluster-spec.js';
import { renderTemplateFile } from '../../src/playbook/templating.js';
import { ROLE_MEMBER_VARS, etcdContext } from '../modules/etcd-fixtures.js';

const file = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const CONFIG_TEMPLATE = file('templates/etcd.conf.yml.hbs');
const ROLE_DEFAULTS = parse(readFileSync(file('playbooks/roles/etcd/defaults/main.yml'), 'utf8')) as Record<string, unknown>;

/** The `set_fact` values of a role task file, by name. */
function setFacts(path: string): Record<string, string> {
  const tasks = parse(readFileSync(file(path), 'utf8')) as { set_fact?: Record<string, string> }[];
  return Object.assign({}, ...tasks.map((t) => t.set_fact ?? {}));
}

const MEMBER = {
  ...ROLE_MEMBER_VARS,
  etcd_name: 'n1',
  etcd_initial_cluster: 'n1=https://x:2380',
  etcd_discovery_srv: '',
  etcd_initial_cluster_state: 'new',
  etcd_cluster_token: 't',
  etcd_quota_backend_bytes: 1,
  etcd_monitoring_node_exporter_port: 9100,
  etcd_corrupt_check_time_ns: 0,
};

const rows: { readonly address: string; readonly urlHost: string }[] = [
  { address: 'fd00::11', urlHost: '[fd00::11]' },
  { address: '2001:db8:0:1::7', urlHost: '[2001:db8:0:1::7]' },
  { address: '10.0.0.11', urlHost: '10.0.0.11' },
  { address: 'etcd1.example.com', urlHost: 'etcd1.example.com' },
];

describe('member addresses in URLs (IPv6 bracketed)', () => {
  for (const { address, urlHost } of rows) {
    describe(address, () => {
      const vars = { ...MEMBER, etcd_address: address };
      const rendered = (template: string) => renderTemplateFile(template, { ...vars, etcd_url_host: renderTemplateFile(String(ROLE_DEFAULTS.etcd_url_host), vars, 'defaults') }, 'test');

      it('the role default etcd_url_host', () => assert.equal(rendered('{{ etcd_url_host }}'), urlHost));

      it('every URL of etcd.conf.yml', () => {
        const text = renderEtcdConfig(readFileSync(CONFIG_TEMPLATE, 'utf8'), CONFIG_TEMPLATE, rendered, '3.5.30');
        const settings = parse(text) as Record<string, unknown>;
        const urls = Object.entries(settings).filter(([key]) => key.endsWith('-urls')).flatMap(([, value]) => String(value).split(','));
        const own = urls.filter((u) => !u.includes('127.0.0.1'));
        assert.equal(own.length, 6, own.join(' '));
        for (const url of own) {
          assert.ok(url.startsWith(`https://${urlHost}:`) || url.startsWith(`http://${urlHost}:`), url);
          assert.equal(new URL(url).port !== '', true, url);
        }
      });

      it('peer, client and initial-cluster URLs etcdops computes', () => {
        const ctx = etcdContext(['n1', 'n2'], 'n1', { n1: { ansible_host: address } });
        assert.equal(peerUrl(ctx, 'n1'), `https://${urlHost}:2380`);
        assert.equal(clientUrl(ctx, 'n1'), `https://${urlHost}:2379`);
        assert.equal(initialCluster({ initial_cluster_state: 'new', initial_members: ['n1'] }, ctx), `n1=https://${urlHost}:2380`);
      });

      it('the backup job endpoints and the Prometheus targets', () => {
        const backup = setFacts('playbooks/roles/etcd_backup/tasks/facts.yml');
        assert.equal(rendered(backup.etcd_backup_endpoint!), `https://${urlHost}:2379`);
        assert.equal(rendered(backup.etcd_backup_peer_url!), `https://${urlHost}:2380`);
        const monitoring = setFacts('playbooks/roles/etcd_monitoring/tasks/targets.yml');
        assert.equal(rendered(monitoring.etcd_monitoring_target!), `${urlHost}:2381`);
        assert.equal(rendered(monitoring.etcd_monitoring_node_target!), `${urlHost}:9100`);
      });
    });
  }
});
