// The cluster spec (from a task's variables, and from an inventory for the CLI), and the endpoints a
// cluster call tries, in order: voting members before learners, which refuse most calls.
import { deepStrictEqual, throws } from 'node:assert/strict';
import type { Inventory } from '../../src/inventory/inventory.js';
import type { MemberInfo } from '../../src/etcd/membership.js';
import { clientUrlsVotersFirst, clusterSpec, inventoryClusterSpec } from '../../src/etcd/cluster-spec.js';

const member = (name: string, isLearner = false, clientURLs = [`https://${name}:2379`]): MemberInfo => ({ id: `${name}id`, name, peerURLs: [], clientURLs, isLearner });

describe('clientUrlsVotersFirst', () => {
  const rows: [what: string, members: MemberInfo[], urls: string[]][] = [
    ['a standby learner listed first (etcd lists by ID) goes last', [member('n4', true), member('n2'), member('n1')], ['https://n2:2379', 'https://n1:2379', 'https://n4:2379']],
    ['voters keep their order', [member('n1'), member('n2'), member('n3')], ['https://n1:2379', 'https://n2:2379', 'https://n3:2379']],
    ['a member not started yet has no URL', [member('n5', true, []), member('n1')], ['https://n1:2379']],
    ['a URL shared by two entries is tried once', [member('n1', false, ['https://a:2379']), member('n2', false, ['https://a:2379'])], ['https://a:2379']],
  ];
  for (const [what, members, urls] of rows) it(what, () => deepStrictEqual(clientUrlsVotersFirst(members), urls));
});

describe('the cluster spec', () => {
  const problem = (message: string) => new Error(message);
  const hostVars: Record<string, Record<string, unknown>> = { a: { ansible_host: '10.0.0.1' }, b: { etcd_address: '::1' }, c: {} };
  const spec = (vars: Record<string, unknown>, groups: Record<string, string[]> = { etcd: ['a', 'b'], kv: ['c'] }) =>
    clusterSpec({ vars, hostVars: (h) => hostVars[h] ?? {}, groups, inventoryDir: '/inv', problem });

  it('fills the defaults of the etcd role', () => {
    const s = spec({});
    deepStrictEqual(
      [s.members, s.clientUrls, s.peerUrl('a'), s.clientHttpPort, s.confDir, s.memberPkiDir, s.localPkiDir, s.admin.cert],
      [['a', 'b'], ['https://10.0.0.1:2379', 'https://[::1]:2379'], 'https://10.0.0.1:2380', 2382, '/etc/etcd', '/etc/etcd/pki', '/inv/.etcdops/pki', '/inv/.etcdops/pki/admin.crt'],
    );
  });

  it('reads the group, ports and folders from the variables', () => {
    const s = spec({ etcd_group: 'kv', etcd_client_port: '12379', etcd_peer_port: 12380, etcd_pki_dir: '/srv/pki', etcd_conf_dir: '/srv', etcd_local_pki_dir: '/keys' });
    deepStrictEqual([s.members, s.clientUrls, s.peerUrl('c'), s.memberPkiDir, s.confDir, s.admin.ca], [['c'], ['https://c:12379'], 'https://c:12380', '/srv/pki', '/srv', '/keys/ca.crt']);
  });

  it('names the variable that is not a port', () => {
    throws(() => spec({ etcd_client_port: 'http' }), /etcd_client_port must be a port number, got http/);
  });

  it('needs the etcd group only for what depends on the members', () => {
    const s = spec({}, {});
    deepStrictEqual(s.memberPkiDir, '/etc/etcd/pki');
    throws(() => s.members, /no group "etcd" \(etcd_group\)/);
  });

  it('is built from an inventory for the CLI, templated values counting as unset', () => {
    const host = (name: string, groups: string[], vars: Record<string, unknown>) => [name, { name, groups, vars }] as const;
    const inventory: Inventory = {
      source: '/inv/hosts.yml',
      hosts: new Map([
        host('web', ['all', 'web'], { etcd_group: 'kv' }),
        host('m1', ['all', 'kv'], { ansible_host: '10.1.0.1', etcd_client_port: '{{ port }}', etcd_local_pki_dir: '/keys' }),
        host('m2', ['all', 'kv'], { ansible_host: '10.1.0.2' }),
      ]),
      groups: new Map(),
    };
    const s = inventoryClusterSpec(inventory);
    deepStrictEqual([s.members, s.clientUrls, s.admin.key], [['m1', 'm2'], ['https://10.1.0.1:2379', 'https://10.1.0.2:2379'], '/keys/admin.key']);
    throws(() => inventoryClusterSpec({ ...inventory, hosts: new Map([host('web', ['all'], {})]) }), /\/inv\/hosts.yml: the inventory has no host in group "etcd"/);
  });
});
