// Table-driven: etcd_config's pure parts: the initial-cluster list for a new or a joining member, the list
// a joined member keeps, and which settings a change makes etcd read differently (restart or not).
import assert from 'node:assert/strict';
import { bootstrapSettings, initialCluster, joinedInitialCluster, settingsChanged, type EtcdConfigArgs } from '../../src/modules/etcd-config.js';
import { memberHostnames } from '../../src/etcd/cluster-spec.js';
import type { EtcdMemberFact } from '../../src/modules/etcd-cluster-facts.js';
import { etcdContext } from './etcd-fixtures.js';

const H3 = ['n1', 'n2', 'n3'];
const fact = (name: string, started = true, host: string | null = name): EtcdMemberFact => ({
  name: started ? name : '',
  id: `${name}id`,
  peer_urls: [`https://10.0.0.${name.replace(/\D/g, '')}:2380`],
  client_urls: [],
  learner: false,
  started,
  healthy: started,
  leader: false,
  host,
});

describe('etcd_config: initialCluster', () => {
  const rows: { readonly title: string; readonly args: EtcdConfigArgs; readonly self?: string; readonly expected?: string; readonly fails?: RegExp }[] = [
    { title: 'new cluster from the initial members', args: { initial_cluster_state: 'new', initial_members: H3 }, expected: 'n1=https://10.0.0.1:2380,n2=https://10.0.0.2:2380,n3=https://10.0.0.3:2380' },
    { title: 'new cluster of this host alone', args: { initial_cluster_state: 'new' }, expected: 'n1=https://10.0.0.1:2380' },
    { title: 'new cluster that does not list this host', args: { initial_cluster_state: 'new', initial_members: ['n2', 'n3'] }, fails: /n1 is not among the initial members \(n2, n3\)/ },
    { title: 'joining: the live members and this host, sorted', self: 'n3', args: { initial_cluster_state: 'existing', members: [fact('n2'), fact('n1')] }, expected: 'n1=https://10.0.0.1:2380,n2=https://10.0.0.2:2380,n3=https://10.0.0.3:2380' },
    { title: 'joining: this host listed once', self: 'n2', args: { initial_cluster_state: 'existing', members: [fact('n1'), fact('n2', false, null)] }, expected: 'n1=https://10.0.0.1:2380,n2=https://10.0.0.2:2380' },
    { title: 'joining next to a member never started', self: 'n3', args: { initial_cluster_state: 'existing', members: [fact('n1'), fact('n2', false, null)] }, fails: /member n2id .* was added but never started/ },
  ];
  for (const row of rows) {
    it(row.title, () => {
      const ctx = etcdContext(H3, row.self ?? 'n1');
      if (row.fails) assert.throws(() => initialCluster(row.args, ctx), row.fails);
      else assert.equal(initialCluster(row.args, ctx), row.expected);
    });
  }
});

describe('etcd_config: joinedInitialCluster', () => {
  const written = 'name: n1\ninitial-cluster: n1=https://10.0.0.1:2380\ninitial-cluster-state: existing\n';
  const rows: { readonly title: string; readonly args: EtcdConfigArgs; readonly current: string | undefined; readonly expected: string | undefined }[] = [
    { title: 'a joined member keeps what it has', args: { initial_cluster_state: 'existing', members: [fact('n1')] }, current: written, expected: 'n1=https://10.0.0.1:2380' },
    { title: 'no file yet', args: { initial_cluster_state: 'existing', members: [fact('n1')] }, current: undefined, expected: undefined },
    { title: 'a new cluster', args: { initial_cluster_state: 'new', members: [fact('n1')] }, current: written, expected: undefined },
    { title: 'not a started member yet (joining again)', args: { initial_cluster_state: 'existing', members: [fact('n1', false, null)] }, current: written, expected: undefined },
    { title: 'the file still says new', args: { initial_cluster_state: 'existing', members: [fact('n1')] }, current: written.replace('state: existing', 'state: new'), expected: undefined },
    { title: 'a file that is not YAML', args: { initial_cluster_state: 'existing', members: [fact('n1')] }, current: 'a: [', expected: undefined },
  ];
  for (const row of rows) {
    it(row.title, () => assert.equal(joinedInitialCluster(row.args, row.current, etcdContext(H3)), row.expected));
  }
});

describe('etcd_config: bootstrapSettings (member list or DNS SRV discovery)', () => {
  const discovery = { etcd_formation: 'discovery-srv', etcd_discovery_domain: 'etcd.example.com' };
  const formed = 'name: n1\ndiscovery-srv: etcd.example.com\ninitial-cluster-state: new\n';
  const rows: { readonly title: string; readonly args: EtcdConfigArgs; readonly vars?: Record<string, unknown>; readonly current?: string; readonly expected?: { initial_cluster: string; discovery_srv: string }; readonly fails?: RegExp }[] = [
    { title: 'static: the member list', args: { initial_cluster_state: 'new', initial_members: ['n1', 'n2'] }, expected: { initial_cluster: 'n1=https://10.0.0.1:2380,n2=https://10.0.0.2:2380', discovery_srv: '' } },
    { title: 'discovery-srv, a new cluster: the domain, no member list', args: { initial_cluster_state: 'new', initial_members: H3 }, vars: discovery, expected: { initial_cluster: '', discovery_srv: 'etcd.example.com' } },
    { title: 'discovery-srv, a formed member keeps discovery-srv (etcd refuses both)', args: { initial_cluster_state: 'existing', members: [fact('n1')] }, vars: discovery, current: formed, expected: { initial_cluster: '', discovery_srv: 'etcd.example.com' } },
    { title: 'discovery-srv, a host joining later: the live member list', args: { initial_cluster_state: 'existing', members: [fact('n2')] }, vars: discovery, expected: { initial_cluster: 'n1=https://10.0.0.1:2380,n2=https://10.0.0.2:2380', discovery_srv: '' } },
    { title: 'discovery-srv without a domain', args: { initial_cluster_state: 'new', initial_members: H3 }, vars: { etcd_formation: 'discovery-srv', etcd_discovery_domain: '' }, fails: /etcd_discovery_domain is "": set it to the DNS domain holding the _etcd-server-ssl\._tcp SRV records/ },
    { title: 'discovery-srv with a domain that is not one', args: { initial_cluster_state: 'new', initial_members: H3 }, vars: { etcd_formation: 'discovery-srv', etcd_discovery_domain: 'a b' }, fails: /etcd_discovery_domain is "a b"/ },
  ];
  for (const row of rows) {
    it(row.title, () => {
      const ctx = etcdContext(H3, 'n1', {}, row.vars ?? {});
      if (row.fails) assert.throws(() => bootstrapSettings(row.args, row.current, ctx), row.fails);
      else assert.deepStrictEqual(bootstrapSettings(row.args, row.current, ctx), row.expected);
    });
  }

  it('certificates carry the SRV target and the domain with discovery-srv, neither without', () => {
    assert.deepStrictEqual(memberHostnames(etcdContext(H3, 'n2', {}, discovery), 'n2'), ['n2', 'n2.etcd.example.com', 'etcd.example.com']);
    assert.deepStrictEqual(memberHostnames(etcdContext(H3, 'n2', {}, { etcd_discovery_domain: 'etcd.example.com' }), 'n2'), ['n2']);
  });
});

describe('etcd_config: settingsChanged', () => {
  const base = 'name: n1\nheartbeat-interval: 100\ninitial-cluster: a\ninitial-cluster-state: new\ninitial-cluster-token: t\n';
  const rows: { readonly title: string; readonly before: string | undefined; readonly after: string; readonly expected: readonly string[] }[] = [
    { title: 'the same file', before: base, after: base, expected: [] },
    { title: 'only bootstrap keys changed', before: base, after: base.replace('initial-cluster: a', 'initial-cluster: b').replace('state: new', 'state: existing').replace('token: t', 'token: u'), expected: [] },
    { title: 'a setting changed, one added', before: base, after: base.replace('100', '200') + 'election-timeout: 2000\n', expected: ['election-timeout', 'heartbeat-interval'] },
    { title: 'a setting removed', before: base, after: base.replace('heartbeat-interval: 100\n', ''), expected: ['heartbeat-interval'] },
    { title: 'no file before', before: undefined, after: base, expected: ['the whole file'] },
    { title: 'a file before that is not a mapping', before: 'just text', after: base, expected: ['the whole file'] },
  ];
  for (const row of rows) {
    it(row.title, () => assert.deepStrictEqual(settingsChanged(row.before, row.after), row.expected));
  }
});
