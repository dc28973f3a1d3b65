// A DNS server for one lab, for clusters that form by DNS SRV discovery: dnsmasq bound to the lab bridge's
// address only (never another interface, never forwarding: it answers for the lab's domain alone), with one
// `_etcd-server-ssl._tcp.DOMAIN` SRV record and one A record `HOST.DOMAIN` per host. The hosts' resolv.conf
// then names the bridge address. Stopped with the lab (labDown) or by labDnsDown.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors/user-error.js';
import { hostRootPaths } from './host-root.js';
import { labFiles, type LabInfo } from './lab-info.js';
import { runCommand } from './run-command.js';

/** etcd's peer port: the SRV records point at it. */
const PEER_PORT = 2380;
const NO_NAME_SERVER = '# lab hosts have no name server\n';

const dnsDir = (labName: string): string => join(labFiles(labName).dir, 'dns');
const pidFileOf = (labName: string): string => join(dnsDir(labName), 'dnsmasq.pid');

/** A lowercase DNS domain of letters, digits and hyphens (it becomes dnsmasq options and SAN entries). */
export function checkLabDomain(domain: string): string {
  if (!/^(?=.{1,200}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(domain)) {
    throw new UserError(`the lab DNS domain must be lowercase labels of letters, digits and hyphens (e.g. etcd.lab), got ${JSON.stringify(domain)}`);
  }
  return domain;
}

/** The dnsmasq configuration: listen on the bridge address only, answer for `domain` only, the records. */
export function dnsmasqConfig(lab: Pick<LabInfo, 'bridgeAddress' | 'hosts'>, domain: string, pidFile: string): string {
  const lines = [
    '# Written by etcdops lab: DNS for the lab hosts only.',
    `listen-address=${lab.bridgeAddress}`,
    'bind-interfaces',
    'port=53',
    'no-resolv',
    'no-hosts',
    'no-poll',
    `local=/${domain}/`,
    `pid-file=${pidFile}`,
    ...lab.hosts.flatMap((host) => [`srv-host=_etcd-server-ssl._tcp.${domain},${host.name}.${domain},${PEER_PORT},0,10`, `host-record=${host.name}.${domain},${host.address}`]),
  ];
  return `${lines.join('\n')}\n`;
}

async function runningPid(labName: string): Promise<number | null> {
  const pid = Number((await readFile(pidFileOf(labName), 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
  return comm.trim() === 'dnsmasq' ? pid : null;
}

async function pointResolvers(lab: LabInfo, content: string): Promise<void> {
  const hostsDir = labFiles(lab.name).hostsDir;
  await Promise.all(lab.hosts.map((host) => writeFile(join(hostRootPaths(join(hostsDir, host.name)).root, 'etc/resolv.conf'), content, { mode: 0o644 })));
}

/** Starts (or restarts) the lab's DNS server for `domain` and points every host at it. */
export async function labDnsUp(lab: LabInfo, domain: string): Promise<void> {
  checkLabDomain(domain);
  const which = await runCommand('sh', ['-c', 'command -v dnsmasq'], { allowFailure: true });
  if (which.code !== 0) throw new UserError('dnsmasq is not installed: apt-get install dnsmasq-base (the lab starts it itself, bound to the lab bridge only)');
  await labDnsDown(lab);
  await mkdir(dnsDir(lab.name), { recursive: true });
  const conf = join(dnsDir(lab.name), 'dnsmasq.conf');
  await writeFile(conf, dnsmasqConfig(lab, domain, pidFileOf(lab.name)), { mode: 0o644 });
  // dnsmasq checks the file, binds, writes its pid file and goes to the background before this returns.
  await runCommand('dnsmasq', [`--conf-file=${conf}`]);
  if ((await runningPid(lab.name)) === null) throw new UserError(`dnsmasq for lab ${lab.name} did not start (config ${conf})`);
  await pointResolvers(lab, `# the lab's DNS server (etcdops lab), domain ${domain}\nnameserver ${lab.bridgeAddress}\n`);
}

/** Stops the lab's DNS server, if one runs, and takes the name server out of the hosts' resolv.conf. */
export async function labDnsDown(lab: Pick<LabInfo, 'name'> & Partial<LabInfo>): Promise<boolean> {
  const pid = await runningPid(lab.name);
  if (pid !== null) process.kill(pid, 'SIGTERM');
  await rm(dnsDir(lab.name), { recursive: true, force: true });
  if (lab.hosts && lab.bridgeAddress) await pointResolvers(lab as LabInfo, NO_NAME_SERVER).catch(() => undefined);
  return pid !== null;
}
