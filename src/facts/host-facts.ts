// Ansible's everyday host facts (`gather_facts`, `setup`) read by one POSIX sh script per host, so hosts
// need no python; a pure parser turns its sectioned output into facts with Ansible's names and shapes.
// A value that cannot be read is left out, as Ansible leaves it out, never guessed. A mount that does not
// answer within 10 s (a hung network file system) is left out too, as Ansible's gather_timeout does.
import { quote, quoteArgv } from '../connection/shell-quote.js';
import { defineFact } from './fact.js';
import { requireSuccess } from './file-state.js';

/** Groups of facts, as Ansible's `gather_subset` names them. */
export type FactSubset = 'min' | 'hardware' | 'network';

export interface HostFactsArgs {
  readonly subsets: readonly FactSubset[];
  /** `ansible_python_interpreter`, when set: the python Ansible's own facts would describe. */
  readonly interpreter?: string;
}

/** Facts without the `ansible_` prefix, as `ansible_facts` holds them. */
export type HostFacts = Record<string, unknown>;

const MIN_SCRIPT = `echo '@uname'; uname -s; uname -n; uname -r; uname -v; uname -m
echo '@os-release'; cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null
echo '@debian-version'; cat /etc/debian_version 2>/dev/null
echo '@fqdn'; a=$(getent ahosts "$(uname -n)" 2>/dev/null | head -n 1 | cut -d ' ' -f 1); [ -n "$a" ] && getent hosts "$a" 2>/dev/null | head -n 1
echo '@service-mgr'; cat /proc/1/comm 2>/dev/null; [ -L /sbin/init ] && echo "init-link $(readlink /sbin/init)"
command -v systemctl >/dev/null 2>&1 && for d in /run/systemd/system /dev/.run/systemd /dev/.systemd; do [ -d $d ] && echo systemd-canary; done
command -v initctl >/dev/null 2>&1 && [ -e /etc/init ] && echo upstart; [ -e /sbin/openrc ] && echo openrc; [ -e /etc/init.d ] && echo sysvinit
`;

// Ansible's python facts describe the interpreter its module ran with: ansible_python_interpreter, or the one
// its discovery picks (/usr/bin/python3 on the distributions it maps, else its fallback list in order).
// Python itself says what it is, so executable, version and type are Ansible's own expressions.
const PYTHON_FALLBACK = ['/usr/bin/python3', 'python3.11', 'python3.10', 'python3.9', 'python3.8', 'python3.7', 'python3.6', 'python3.5', '/usr/libexec/platform-python', 'python2.7', '/usr/bin/python', 'python'];
const PYTHON_FACTS = `import platform, sys
try:
    from ssl import create_default_context, SSLContext
    s = True
except ImportError:
    s = False
t = sys.subversion[0] if hasattr(sys, "subversion") else getattr(getattr(sys, "implementation", None), "name", None)
print(sys.executable); print(" ".join(map(str, sys.version_info))); print(t); print(s); print(platform.python_version())`;

function pythonScript(interpreter: string | undefined): string {
  const run = interpreter === undefined
    ? `p=; for c in ${quoteArgv(PYTHON_FALLBACK)}; do p=$(command -v "$c") && break; done; [ -n "$p" ] && "$p"`
    : quoteArgv(interpreter.trim().split(/\s+/));
  return `echo '@python'; ${run} -c ${quote(PYTHON_FACTS)} 2>/dev/null\n`;
}

const HARDWARE_SCRIPT = `echo '@cpuinfo'; grep -E '^(processor|physical id|core id|cpu cores|siblings)[[:space:]]*:' /proc/cpuinfo 2>/dev/null
echo '@nproc'; nproc 2>/dev/null
echo '@meminfo'; grep -E '^(MemTotal|MemFree|SwapTotal|SwapFree):' /proc/meminfo 2>/dev/null
echo '@mounts'; t=; command -v timeout >/dev/null 2>&1 && t='timeout 10'
while read -r dev mnt fs rest; do case $dev in /*|*:/*) ;; *) continue ;; esac; [ "$fs" = none ] && continue
m=$(printf '%b' "$mnt"); s=$($t stat -f -c '%s %S %b %a %f %c %d' "$m" 2>/dev/null) || continue; printf '%s\\t%s\\t%s\\t%s\\n' "$(printf '%b' "$dev")" "$m" "$fs" "$s"; done < /etc/mtab
`;

// Ansible asks the kernel which route a packet to these public addresses would take; nothing is sent.
const NETWORK_SCRIPT = `echo '@links'; for i in /sys/class/net/*; do [ -e "$i" ] || continue; k=other; [ -d "$i/bonding" ] && k=bonding; [ -d "$i/bridge" ] && k=bridge
printf '%s %s %s %s %s\\n' "\${i##*/}" "$(cat "$i/type" 2>/dev/null)" "$(cat "$i/mtu" 2>/dev/null)" "$(cat "$i/address" 2>/dev/null)" "$k"; done
command -v ip >/dev/null 2>&1 && { echo '@addr'; ip -o addr show 2>/dev/null
echo '@route4'; ip -4 route get 8.8.8.8 2>/dev/null
echo '@route6'; ip -6 route get 2404:6800:400a:800::1012 2>/dev/null; }
`;

export const hostFacts = defineFact<HostFactsArgs, HostFacts>({
  name: 'host_facts',
  command(args) {
    const scripts = { min: MIN_SCRIPT, hardware: HARDWARE_SCRIPT, network: NETWORK_SCRIPT };
    const python = args.subsets.includes('min') ? pythonScript(args.interpreter) : '';
    return `${args.subsets.map((s) => scripts[s]).join('')}${python}true`;
  },
  parse(result) {
    requireSuccess(result, 'gathering facts');
    return parseHostFacts(result.stdout);
  },
});

/** Splits the script's output into its `@name` sections. */
function sections(stdout: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of stdout.split('\n')) {
    const header = /^@([a-z0-9-]+)$/.exec(line);
    if (header) out.set(header[1]!, (current = []));
    else if (current && line !== '') current.push(line);
  }
  return out;
}

export function parseHostFacts(stdout: string): HostFacts {
  const parts = sections(stdout);
  const facts: HostFacts = {};
  const uname = parts.get('uname');
  if (uname && uname.length >= 5) {
    const [system, node, kernel, kernelVersion, machine] = uname as [string, string, string, string, string];
    Object.assign(facts, {
      system,
      nodename: node,
      hostname: node.split('.')[0],
      kernel,
      kernel_version: kernelVersion,
      machine,
      architecture: machine,
      userspace_architecture: machine,
    });
    const fqdn = fullyQualifiedName(node, parts.get('fqdn') ?? []);
    facts.fqdn = fqdn;
    facts.domain = fqdn.includes('.') ? fqdn.slice(fqdn.indexOf('.') + 1) : '';
  }
  if (parts.has('os-release')) Object.assign(facts, distribution(parts.get('os-release')!, parts.get('debian-version')?.[0]));
  if (parts.has('service-mgr')) facts.service_mgr = serviceManager(parts.get('service-mgr')!, facts.system);
  const python = pythonFacts(parts.get('python') ?? []);
  if (python) Object.assign(facts, python);
  if (parts.has('cpuinfo')) Object.assign(facts, processors(parts.get('cpuinfo')!, parts.get('nproc')?.[0]));
  if (parts.has('meminfo')) Object.assign(facts, memory(parts.get('meminfo')!));
  if (parts.has('mounts')) facts.mounts = mounts(parts.get('mounts')!);
  if (parts.has('links')) Object.assign(facts, network(parts));
  return facts;
}

/** Python's socket.getfqdn(): the first name with a dot among the reverse name and its aliases, else the node name. */
function fullyQualifiedName(node: string, lines: readonly string[]): string {
  const names = (lines[0] ?? '').trim().split(/\s+/).slice(1);
  if (names.length === 0) return node;
  return names.find((n) => n.includes('.')) ?? names[0]!;
}

/** How Ansible spells a distribution's name, by os-release ID. */
const DISTRIBUTION_NAMES: Readonly<Record<string, string>> = {
  debian: 'Debian', ubuntu: 'Ubuntu', centos: 'CentOS', rhel: 'RedHat', fedora: 'Fedora', rocky: 'Rocky',
  almalinux: 'AlmaLinux', ol: 'OracleLinux', amzn: 'Amazon', alpine: 'Alpine', arch: 'Archlinux',
  'opensuse-leap': 'openSUSE Leap', 'opensuse-tumbleweed': 'openSUSE Tumbleweed', sles: 'SLES', linuxmint: 'Linux Mint',
  raspbian: 'Debian', devuan: 'Devuan', kali: 'Kali', gentoo: 'Gentoo', void: 'Void',
};

/** Ansible's OS_FAMILY map for those names; a name not listed is its own family. */
const OS_FAMILIES: Readonly<Record<string, string>> = {
  Debian: 'Debian', Ubuntu: 'Debian', 'Linux Mint': 'Debian', Devuan: 'Debian', Kali: 'Debian',
  RedHat: 'RedHat', CentOS: 'RedHat', Fedora: 'RedHat', Rocky: 'RedHat', AlmaLinux: 'RedHat', OracleLinux: 'RedHat', Amazon: 'RedHat',
  'openSUSE Leap': 'Suse', 'openSUSE Tumbleweed': 'Suse', SLES: 'Suse', Archlinux: 'Archlinux', Alpine: 'Alpine', Gentoo: 'Gentoo', Void: 'Void',
};

function osRelease(lines: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!.replace(/^(["'])(.*)\1$/, '$2');
  }
  return out;
}

function distribution(lines: readonly string[], debianVersion: string | undefined): HostFacts {
  const release = osRelease(lines);
  const id = (release.ID ?? '').toLowerCase();
  if (!id) return {};
  const name = DISTRIBUTION_NAMES[id] ?? id.charAt(0).toUpperCase() + id.slice(1);
  // Debian's point release (12.11) is only in /etc/debian_version; testing/sid write a codename there.
  const version = name === 'Debian' && debianVersion && /^\d+(\.\d+)*$/.test(debianVersion.trim()) ? debianVersion.trim() : release.VERSION_ID;
  const facts: HostFacts = { distribution: name, os_family: OS_FAMILIES[name] ?? name };
  if (version) {
    facts.distribution_version = version;
    facts.distribution_major_version = version.split('.')[0];
  }
  const codename = release.VERSION_CODENAME ?? release.UBUNTU_CODENAME;
  if (codename) facts.distribution_release = codename;
  return facts;
}

const INIT_NAMES: Readonly<Record<string, string>> = { procd: 'openwrt_init', 'runit-init': 'runit', svscan: 'svc', 'openrc-init': 'openrc' };

/** Ansible's service manager detection: PID 1's name, else the Linux canaries in its order. */
function serviceManager(lines: readonly string[], system: unknown): string {
  let proc1: string | undefined = lines[0] && !lines[0].includes(' ') && !['systemd-canary', 'upstart', 'openrc', 'sysvinit'].includes(lines[0]) ? lines[0].trim() : undefined;
  const link = lines.find((l) => l.startsWith('init-link '))?.slice('init-link '.length);
  if (!proc1 && link) proc1 = link.split('/').pop();
  if (proc1 && proc1 !== 'init' && !proc1.endsWith('sh')) return INIT_NAMES[proc1] ?? proc1;
  if (system !== 'Linux') return 'service';
  if (lines.includes('systemd-canary')) return 'systemd';
  if (lines.includes('upstart')) return 'upstart';
  if (lines.includes('openrc')) return 'openrc';
  if (link && /systemd$/.test(link)) return 'systemd';
  if (lines.includes('sysvinit')) return 'sysvinit';
  return 'service';
}

/** What the python script printed, in the shape of Ansible's python facts; nothing when no python answered. */
function pythonFacts(lines: readonly string[]): HostFacts | undefined {
  const [executable, versionInfo, type, sslContext, version] = lines;
  const m = /^(\d+) (\d+) (\d+) (\w+) (\d+)$/.exec(versionInfo ?? '');
  if (executable === undefined || !m || type === undefined || sslContext === undefined || version === undefined) return undefined;
  const [major, minor, micro, releaselevel, serial] = [Number(m[1]), Number(m[2]), Number(m[3]), m[4]!, Number(m[5])];
  return {
    python: {
      version: { major, minor, micro, releaselevel, serial },
      version_info: [major, minor, micro, releaselevel, serial],
      executable,
      has_sslcontext: sslContext === 'True',
      type: type === 'None' ? null : type,
    },
    python_version: version,
  };
}

/** Ansible's /proc/cpuinfo arithmetic for x86 (sockets by physical id, cores per socket, siblings). */
function processors(lines: readonly string[], nproc: string | undefined): HostFacts {
  const sockets = new Map<string, number>();
  const cores = new Map<string, number>();
  let physid = '';
  let coreid = '';
  let count = 0;
  for (const line of lines) {
    const at = line.indexOf(':');
    const key = line.slice(0, at).trim();
    const value = line.slice(at + 1).trim();
    if (key === 'processor') count++;
    else if (key === 'physical id') {
      physid = value;
      if (!sockets.has(physid)) sockets.set(physid, 1);
    } else if (key === 'core id') {
      coreid = value;
      if (!cores.has(coreid)) cores.set(coreid, 1);
    } else if (key === 'cpu cores') sockets.set(physid, Number(value));
    else if (key === 'siblings') cores.set(coreid, Number(value));
  }
  const processorCount = sockets.size > 0 ? sockets.size : count;
  const firstSocket = [...sockets.values()][0];
  const processorCores = firstSocket ? firstSocket : 1;
  const firstCore = [...cores.values()][0];
  const threadsPerCore = firstCore ? Math.floor(firstCore / processorCores) || 1 : 1;
  const facts: HostFacts = {
    processor_count: processorCount,
    processor_cores: processorCores,
    processor_threads_per_core: threadsPerCore,
    processor_vcpus: threadsPerCore * processorCores * processorCount,
  };
  if (nproc && /^\d+$/.test(nproc.trim())) facts.processor_nproc = Number(nproc.trim());
  return facts;
}

function memory(lines: readonly string[]): HostFacts {
  const names: Record<string, string> = { MemTotal: 'memtotal_mb', MemFree: 'memfree_mb', SwapTotal: 'swaptotal_mb', SwapFree: 'swapfree_mb' };
  const facts: HostFacts = {};
  for (const line of lines) {
    const m = /^(\w+):\s+(\d+)\s*kB$/.exec(line.trim());
    if (m && names[m[1]!]) facts[names[m[1]!]!] = Math.floor(Number(m[2]) / 1024);
  }
  return facts;
}

function mounts(lines: readonly string[]): HostFacts[] {
  const out: HostFacts[] = [];
  for (const line of lines) {
    const [device, mount, fstype, stat] = line.split('\t');
    const numbers = (stat ?? '').trim().split(/\s+/).map(Number);
    if (!device || !mount || !fstype || numbers.length !== 7 || numbers.some((n) => !Number.isFinite(n))) continue;
    const [blockSize, fragment, blocks, available, , inodes, inodesFree] = numbers as [number, number, number, number, number, number, number];
    out.push({
      mount,
      device,
      fstype,
      size_total: fragment * blocks,
      size_available: fragment * available,
      block_size: blockSize,
      block_total: blocks,
      block_available: available,
      block_used: blocks - available,
      inode_total: inodes,
      inode_available: inodesFree,
      inode_used: inodes - inodesFree,
    });
  }
  return out;
}

/** /sys/class/net/X/type, as Ansible names it. */
function linkType(code: string, kind: string): string {
  if (kind === 'bonding' || kind === 'bridge') return kind;
  return ({ '1': 'ether', '512': 'ppp', '772': 'loopback', '65534': 'tunnel' } as Record<string, string>)[code] ?? 'unknown';
}

interface Ipv4Address {
  readonly address: string;
  readonly broadcast: string;
  readonly netmask: string;
  readonly network: string;
  readonly prefix: string;
  readonly label: string;
}

function ipv4Details(cidr: string, broadcast: string, label: string): Ipv4Address {
  const [address, bits] = cidr.split('/') as [string, string];
  const prefix = Number(bits ?? 32);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const value = address.split('.').reduce((acc, o) => ((acc << 8) | Number(o)) >>> 0, 0);
  const dotted = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
  return { address, broadcast, netmask: dotted(mask), network: dotted((value & mask) >>> 0), prefix: String(prefix), label };
}

function network(parts: Map<string, string[]>): HostFacts {
  const links = new Map<string, { type: string; mtu: number; macaddress: string }>();
  for (const line of parts.get('links') ?? []) {
    const [name, code, mtu, mac, kind] = line.split(' ');
    if (!name) continue;
    links.set(name, { type: linkType(code ?? '', kind ?? ''), mtu: Number(mtu), macaddress: mac || 'unknown' });
  }
  const facts: HostFacts = { interfaces: [...links.keys()] };
  const addr = parts.get('addr');
  if (!addr) return facts;
  const ipv4 = new Map<string, Ipv4Address[]>();
  const ipv6 = new Map<string, { address: string; prefix: string; scope: string }[]>();
  for (const line of addr) {
    const words = line.replace(/\\.*$/, '').trim().split(/\s+/);
    const device = words[1]?.split('@')[0];
    if (!device) continue;
    const after = (key: string) => (words.includes(key) ? words[words.indexOf(key) + 1] ?? '' : '');
    if (words[2] === 'inet') {
      const label = words[words.length - 1] ?? device;
      const list = ipv4.get(device) ?? [];
      list.push(ipv4Details(words[3]!, after('brd'), label));
      ipv4.set(device, list);
    } else if (words[2] === 'inet6') {
      const [address, prefix] = words[3]!.split('/') as [string, string];
      const list = ipv6.get(device) ?? [];
      list.push({ address, prefix: prefix ?? '128', scope: after('scope') });
      ipv6.set(device, list);
    }
  }
  facts.all_ipv4_addresses = [...ipv4.values()].flat().map((a) => a.address).filter((a) => !a.startsWith('127.'));
  facts.all_ipv6_addresses = [...ipv6.values()].flat().map((a) => a.address).filter((a) => a !== '::1');
  facts.default_ipv4 = {};
  const route4 = routeFields(parts.get('route4') ?? []);
  if (route4.dev && route4.src) {
    const link = links.get(route4.dev);
    const found = ipv4.get(route4.dev)?.find((a) => a.address === route4.src);
    facts.default_ipv4 = {
      address: route4.src,
      interface: route4.dev,
      ...(route4.via ? { gateway: route4.via } : {}),
      ...(found ? { alias: found.label, broadcast: found.broadcast, netmask: found.netmask, network: found.network, prefix: found.prefix } : {}),
      ...(link ?? {}),
    };
  }
  facts.default_ipv6 = {};
  const route6 = routeFields(parts.get('route6') ?? []);
  if (route6.dev && route6.src) {
    const link = links.get(route6.dev);
    const found = ipv6.get(route6.dev)?.find((a) => a.address === route6.src);
    facts.default_ipv6 = {
      address: route6.src,
      interface: route6.dev,
      ...(route6.via ? { gateway: route6.via } : {}),
      ...(found ? { prefix: found.prefix, scope: found.scope } : {}),
      ...(link ?? {}),
    };
  }
  return facts;
}

function routeFields(lines: readonly string[]): { dev?: string; src?: string; via?: string } {
  const words = (lines[0] ?? '').trim().split(/\s+/);
  const after = (key: string) => (words.includes(key) ? words[words.indexOf(key) + 1] : undefined);
  return { dev: after('dev'), src: after('src'), via: after('via') };
}
