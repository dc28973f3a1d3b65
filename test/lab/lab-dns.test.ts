// The lab DNS server's configuration: bound to the bridge address only, answering for the lab domain only
// (no upstream), one SRV record and one A record per host; and the domains it accepts.
import assert from 'node:assert/strict';
import { checkLabDomain, dnsmasqConfig } from '../../src/lab/lab-dns.js';

describe('lab DNS (dnsmasq) configuration', () => {
  const lab = { bridgeAddress: '10.213.4.1', hosts: [{ name: 'n1', address: '10.213.4.11' }, { name: 'n2', address: '10.213.4.12' }] } as const;

  it('listens on the bridge only, forwards nothing, and holds an SRV and an A record per host', () => {
    const lines = dnsmasqConfig(lab as never, 'etcd.lab', '/run/x.pid').split('\n');
    for (const line of ['listen-address=10.213.4.1', 'bind-interfaces', 'no-resolv', 'no-hosts', 'local=/etcd.lab/', 'pid-file=/run/x.pid']) assert.ok(lines.includes(line), line);
    assert.deepStrictEqual(lines.filter((l) => /^(srv-host|host-record)=/.test(l)), [
      'srv-host=_etcd-server-ssl._tcp.etcd.lab,n1.etcd.lab,2380,0,10',
      'host-record=n1.etcd.lab,10.213.4.11',
      'srv-host=_etcd-server-ssl._tcp.etcd.lab,n2.etcd.lab,2380,0,10',
      'host-record=n2.etcd.lab,10.213.4.12',
    ]);
  });

  for (const bad of ['', 'Etcd.lab', 'etcd..lab', 'etcd.lab\nserver=8.8.8.8', '-etcd.lab', 'a,b']) {
    it(`refuses the domain ${JSON.stringify(bad)}`, () => assert.throws(() => checkLabDomain(bad), /lab DNS domain must be lowercase labels/));
  }
});
