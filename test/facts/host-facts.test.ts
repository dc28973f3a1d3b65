// Table test of the host facts parser: the gathering script's output → facts with Ansible's names and
// shapes; values that cannot be read are absent, never guessed.
import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { parseHostFacts } from '../../src/facts/host-facts.js';

const UNAME = '@uname\nLinux\nn1.lab.example\n6.1.0-18-amd64\n#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1\nx86_64\n';
const DEBIAN = '@os-release\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n@debian-version\n12.5\n';

interface Row {
  readonly name: string;
  readonly output: string;
  /** Facts that must have exactly these values. */
  readonly facts: Record<string, unknown>;
  /** Facts that must be absent. */
  readonly absent?: readonly string[];
}

const rows: Row[] = [
  {
    name: 'uname: names, kernel and architecture; fqdn from the reverse lookup of the node name',
    output: `${UNAME}@fqdn\n10.0.0.5        n1.lab.example n1\n`,
    facts: {
      system: 'Linux', nodename: 'n1.lab.example', hostname: 'n1', kernel: '6.1.0-18-amd64',
      kernel_version: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1', architecture: 'x86_64', machine: 'x86_64',
      fqdn: 'n1.lab.example', domain: 'lab.example',
    },
  },
  {
    name: 'fqdn: the first dotted name among canonical name and aliases (Python getfqdn)',
    output: '@uname\nLinux\nvm\n6.1\n#1\naarch64\n@fqdn\n127.0.1.1       vm vm.corp.example\n',
    facts: { hostname: 'vm', fqdn: 'vm.corp.example', domain: 'corp.example', architecture: 'aarch64' },
  },
  {
    name: 'fqdn: no dotted name → the canonical one; unresolvable → the node name',
    output: '@uname\nLinux\nvm\n6.1\n#1\nx86_64\n@fqdn\n127.0.0.1       localhost\n',
    facts: { fqdn: 'localhost', domain: '' },
  },
  { name: 'fqdn unresolvable', output: '@uname\nLinux\nn2\n6.1\n#1\nx86_64\n@fqdn\n', facts: { fqdn: 'n2', domain: '' } },
  {
    name: 'Debian: the point release comes from /etc/debian_version',
    output: DEBIAN,
    facts: { distribution: 'Debian', os_family: 'Debian', distribution_version: '12.5', distribution_major_version: '12', distribution_release: 'bookworm' },
  },
  {
    name: 'Debian testing: debian_version holds a codename, so os-release gives the version',
    output: '@os-release\nID=debian\nVERSION_ID="13"\nVERSION_CODENAME=trixie\n@debian-version\ntrixie/sid\n',
    facts: { distribution: 'Debian', distribution_version: '13', distribution_major_version: '13' },
  },
  {
    name: 'Debian sid: no version anywhere → no version facts',
    output: '@os-release\nID=debian\n@debian-version\ntrixie/sid\n',
    facts: { distribution: 'Debian', os_family: 'Debian' },
    absent: ['distribution_version', 'distribution_major_version', 'distribution_release'],
  },
  {
    name: 'Ubuntu is of the Debian family',
    output: '@os-release\nNAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="22.04"\nVERSION_CODENAME=jammy\n',
    facts: { distribution: 'Ubuntu', os_family: 'Debian', distribution_version: '22.04', distribution_major_version: '22', distribution_release: 'jammy' },
  },
  {
    name: 'Rocky and RHEL are RedHat',
    output: "@os-release\nID='rocky'\nVERSION_ID=\"9.3\"\n",
    facts: { distribution: 'Rocky', os_family: 'RedHat', distribution_version: '9.3', distribution_major_version: '9' },
    absent: ['distribution_release'],
  },
  { name: 'an unknown distribution is its own family', output: '@os-release\nID=zorin\nVERSION_ID=17\n', facts: { distribution: 'Zorin', os_family: 'Zorin' } },
  { name: 'no os-release at all → no distribution facts', output: '@os-release\n', facts: {}, absent: ['distribution', 'os_family'] },
  { name: 'PID 1 systemd', output: `${UNAME}@service-mgr\nsystemd\nsystemd-canary\nsysvinit\n`, facts: { service_mgr: 'systemd' } },
  { name: 'PID 1 with a known alias', output: `${UNAME}@service-mgr\nrunit-init\n`, facts: { service_mgr: 'runit' } },
  { name: 'PID 1 "init": canaries decide (systemd first)', output: `${UNAME}@service-mgr\ninit\nsystemd-canary\nsysvinit\n`, facts: { service_mgr: 'systemd' } },
  { name: 'PID 1 a shell (container): sysvinit from /etc/init.d', output: `${UNAME}@service-mgr\nbash\nsysvinit\n`, facts: { service_mgr: 'sysvinit' } },
  { name: 'nothing known → service', output: `${UNAME}@service-mgr\nsh\n`, facts: { service_mgr: 'service' } },
  {
    name: 'python present: as that python describes itself',
    output: '@python\n/usr/bin/python3\n3 11 2 final 0\ncpython\nTrue\n3.11.2\n',
    facts: {
      python_version: '3.11.2',
      python: { version: { major: 3, minor: 11, micro: 2, releaselevel: 'final', serial: 0 }, version_info: [3, 11, 2, 'final', 0], executable: '/usr/bin/python3', has_sslcontext: true, type: 'cpython' },
    },
  },
  { name: 'python absent (hosts without python)', output: '@python\n', facts: {}, absent: ['python', 'python_version'] },
  {
    name: 'python a release candidate, without ssl: as it says',
    output: '@python\n/opt/py/bin/python3.13\n3 13 0 candidate 1\ncpython\nFalse\n3.13.0rc1\n',
    facts: {
      python_version: '3.13.0rc1',
      python: { version: { major: 3, minor: 13, micro: 0, releaselevel: 'candidate', serial: 1 }, version_info: [3, 13, 0, 'candidate', 1], executable: '/opt/py/bin/python3.13', has_sslcontext: false, type: 'cpython' },
    },
  },
  { name: 'python that failed half-way: nothing claimed', output: '@python\n/usr/bin/python3\n', facts: {}, absent: ['python', 'python_version'] },
  {
    name: 'cpuinfo: two sockets, 4 cores each, hyper-threading',
    output: `@cpuinfo\n${[0, 1].flatMap((socket) => [0, 1, 2, 3].flatMap((core) => [0, 1].map(() => `processor\t: x\nphysical id\t: ${socket}\nsiblings\t: 8\ncore id\t\t: ${core}\ncpu cores\t: 4`))).join('\n')}\n@nproc\n16\n`,
    facts: { processor_count: 2, processor_cores: 4, processor_threads_per_core: 2, processor_vcpus: 16, processor_nproc: 16 },
  },
  {
    name: 'cpuinfo without topology (ARM): each processor counts',
    output: '@cpuinfo\nprocessor\t: 0\nprocessor\t: 1\nprocessor\t: 2\nprocessor\t: 3\n@nproc\n4\n',
    facts: { processor_count: 4, processor_cores: 1, processor_threads_per_core: 1, processor_vcpus: 4, processor_nproc: 4 },
  },
  {
    name: 'meminfo: MiB rounded down',
    output: '@meminfo\nMemTotal:       24683876 kB\nMemFree:        22317388 kB\nSwapTotal:             0 kB\nSwapFree:              0 kB\n',
    facts: { memtotal_mb: 24105, memfree_mb: 21794, swaptotal_mb: 0, swapfree_mb: 0 },
  },
  {
    name: 'mounts: sizes from statvfs; a path with a space decoded by the script',
    output: '@mounts\n/dev/vda\t/\text4\t4096 4096 1000 250 300 64 40\n/dev/vdb1\t/srv/my data\txfs\t4096 512 8000 2000 2100 10 9\nbroken line\n',
    facts: {
      mounts: [
        { mount: '/', device: '/dev/vda', fstype: 'ext4', size_total: 4096000, size_available: 1024000, block_size: 4096, block_total: 1000, block_available: 250, block_used: 750, inode_total: 64, inode_available: 40, inode_used: 24 },
        { mount: '/srv/my data', device: '/dev/vdb1', fstype: 'xfs', size_total: 4096000, size_available: 1024000, block_size: 4096, block_total: 8000, block_available: 2000, block_used: 6000, inode_total: 10, inode_available: 9, inode_used: 1 },
      ],
    },
  },
  {
    name: 'network with default routes: the route lookup names the interface; details from that interface',
    output: [
      '@links', 'eth0 1 1400 02:fc:00:00:00:01 other', 'lo 772 65536 00:00:00:00:00:00 other', 'br0 1 1500 aa:bb:cc:dd:ee:ff bridge',
      '@addr',
      '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever',
      '1: lo    inet6 ::1/128 scope host \\       valid_lft forever preferred_lft forever',
      '2: eth0    inet 192.0.2.2/24 brd 192.0.2.255 scope global eth0\\       valid_lft forever preferred_lft forever',
      '2: eth0    inet 192.0.2.9/24 brd 192.0.2.255 scope global secondary eth0:1\\       valid_lft forever preferred_lft forever',
      '2: eth0    inet6 fd00::2/64 scope global \\       valid_lft forever preferred_lft forever',
      '2: eth0    inet6 fe80::fc:ff:fe00:1/64 scope link \\       valid_lft forever preferred_lft forever',
      '3: br0    inet 10.213.0.1/16 scope global br0\\       valid_lft forever preferred_lft forever',
      '@route4', '8.8.8.8 via 192.0.2.1 dev eth0 src 192.0.2.2 uid 0 ', '    cache ',
      '@route6', '2404:6800:400a:800::1012 from :: via fd00::1 dev eth0 proto static src fd00::2 metric 1024 pref medium',
    ].join('\n'),
    facts: {
      interfaces: ['eth0', 'lo', 'br0'],
      all_ipv4_addresses: ['192.0.2.2', '192.0.2.9', '10.213.0.1'],
      all_ipv6_addresses: ['fd00::2', 'fe80::fc:ff:fe00:1'],
      default_ipv4: {
        address: '192.0.2.2', alias: 'eth0', broadcast: '192.0.2.255', gateway: '192.0.2.1', interface: 'eth0', macaddress: '02:fc:00:00:00:01',
        mtu: 1400, netmask: '255.255.255.0', network: '192.0.2.0', prefix: '24', type: 'ether',
      },
      default_ipv6: { address: 'fd00::2', gateway: 'fd00::1', interface: 'eth0', macaddress: '02:fc:00:00:00:01', mtu: 1400, prefix: '64', scope: 'global', type: 'ether' },
    },
  },
  {
    name: 'network without a default route (the lab): empty defaults, as Ansible',
    output: '@links\neth0 1 1500 0a:00:00:00:00:0b other\nlo 772 65536 00:00:00:00:00:00 other\n@addr\n2: eth0    inet 10.213.0.11/24 brd 10.213.0.255 scope global eth0\\ x\n@route4\n@route6\n',
    facts: { interfaces: ['eth0', 'lo'], all_ipv4_addresses: ['10.213.0.11'], all_ipv6_addresses: [], default_ipv4: {}, default_ipv6: {} },
  },
  {
    name: 'no `ip` command: interfaces only, no address facts rather than empty ones',
    output: '@links\neth0 1 1500 0a:00:00:00:00:0b other\n',
    facts: { interfaces: ['eth0'] },
    absent: ['all_ipv4_addresses', 'default_ipv4'],
  },
];

describe('host facts parser', () => {
  for (const row of rows) {
    it(row.name, () => {
      const facts = parseHostFacts(row.output);
      for (const [name, value] of Object.entries(row.facts)) deepStrictEqual(facts[name], value, name);
      for (const name of row.absent ?? []) strictEqual(name in facts, false, `${name} must be absent`);
    });
  }
});
