// `etcdops lab`: bring the local lab of systemd hosts up and down, show it, SSH into it, check prerequisites.
import { spawn } from 'node:child_process';
import { Command, Option } from 'commander';
import { ExitCode } from '../errors/exit-code.js';
import { UserError } from '../errors/user-error.js';
import { labDown, labStatus, labUp, type LabInfo } from '../lab/lab.js';
import { labDoctor } from '../lab/lab-doctor.js';
import { DEFAULT_LAB } from '../lab/lab-layout.js';
import { sshArgs } from '../lab/lab-ssh.js';
import { labDnsUp } from '../lab/lab-dns.js';

const nameOption = () => new Option('--name <name>', 'lab name').default(DEFAULT_LAB);

function parseCount(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) throw new UserError(`--hosts wants a positive whole number, got "${value}"`, ExitCode.BAD_OPTIONS);
  return count;
}

function printLab(info: LabInfo): void {
  const lines = [
    `lab ${info.name}: subnet ${info.subnet}, mirror ${info.mirrorUrl}`,
    `inventory: ${info.inventory}`,
    ...info.hosts.map((host) => `  ${host.name.padEnd(5)} ${host.address.padEnd(15)} ${host.state}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function requireStatus(name: string): Promise<LabInfo> {
  const info = await labStatus(name);
  if (!info) throw new UserError(`no lab named "${name}"; start it with \`etcdops lab up --name ${name}\``);
  return info;
}

export function register(program: Command): void {
  const lab = program.command('lab').description('A local lab of systemd hosts (systemd-nspawn) reachable over SSH, for trying and testing playbooks.');

  lab
    .command('up')
    .description('Create and boot the lab hosts n1..nN, write the inventory; a no-op when the lab already runs.')
    .addOption(nameOption())
    .option('--hosts <count>', 'number of hosts (default 3; a running lab must have this many)', parseCount)
    .option('--dns-domain <domain>', 'also run a DNS server (dnsmasq, on the lab bridge only) with an _etcd-server-ssl._tcp SRV record and an A record HOST.DOMAIN per host, for etcd_formation: discovery-srv; the hosts use it')
    .action(async (options: { name: string; hosts?: number; dnsDomain?: string }) => {
      const started = Date.now();
      const info = await labUp({ name: options.name, hosts: options.hosts, log: (line) => process.stderr.write(`${line}\n`) });
      if (options.dnsDomain !== undefined) {
        await labDnsUp(info, options.dnsDomain);
        process.stderr.write(`lab ${info.name}: DNS for ${options.dnsDomain} on ${info.bridgeAddress}:53\n`);
      }
      if (info.alreadyRunning) process.stderr.write(`lab ${info.name} is already running; nothing to do\n`);
      else process.stderr.write(`lab ${info.name} up in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      printLab(info);
    });

  lab
    .command('down')
    .description('Stop the lab hosts and remove everything the lab created; fine to run twice.')
    .addOption(nameOption())
    .action(async (options: { name: string }) => {
      const existed = await labDown(options.name);
      process.stderr.write(existed ? `lab ${options.name} removed\n` : `no lab named ${options.name}; nothing to remove\n`);
    });

  lab
    .command('status')
    .description('Show the lab hosts and whether they run.')
    .addOption(nameOption())
    .addOption(new Option('--output <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (options: { name: string; output: string }) => {
      const info = await requireStatus(options.name);
      if (options.output === 'json') {
        const hosts = info.hosts.map((host) => ({ name: host.name, address: host.address, state: host.state }));
        process.stdout.write(`${JSON.stringify({ name: info.name, inventory: info.inventory, hosts })}\n`);
      } else printLab(info);
    });

  lab
    .command('ssh')
    .description('Open a shell on a lab host as root, or run CMD there.')
    .addOption(nameOption())
    .argument('<host>', 'host name, e.g. n1')
    .argument('[cmd...]', 'command to run instead of a shell')
    .action(async (host: string, cmd: string[], options: { name: string }) => {
      const info = await requireStatus(options.name);
      const target = info.hosts.find((entry) => entry.name === host);
      if (!target) throw new UserError(`lab ${info.name} has no host ${host} (hosts: ${info.hosts.map((entry) => entry.name).join(', ')})`);
      const interactive = cmd.length === 0 && process.stdin.isTTY ? ['-t'] : [];
      const args = [...interactive, ...sshArgs({ keyFile: info.keyFile, knownHostsFile: info.knownHostsFile, address: target.address }, cmd)];
      const code = await new Promise<number>((resolve, reject) => {
        const child = spawn('ssh', args, { stdio: 'inherit' });
        child.on('error', (error) => reject(new UserError(`cannot run ssh: ${error.message}`)));
        child.on('close', (exit) => resolve(exit ?? ExitCode.ERROR));
      });
      process.exitCode = code;
    });

  lab
    .command('doctor')
    .description('Check that this machine can run the lab; prints the apt-get line for anything missing.')
    .action(async () => {
      const report = await labDoctor();
      for (const note of report.notes) process.stdout.write(`note: ${note}\n`);
      if (report.problems.length === 0) {
        process.stdout.write('ok: everything the lab needs is here\n');
        return;
      }
      for (const problem of report.problems) process.stdout.write(`missing: ${problem}\n`);
      if (report.installCommand) process.stdout.write(`install with:\n  ${report.installCommand}\n`);
      process.exitCode = ExitCode.ERROR;
    });
}
