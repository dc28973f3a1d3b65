// `etcdops demo`: from nothing to a healthy TLS etcd cluster on the local lab in one command: the lab's
// three hosts, playbooks/site.yml on them, and a health table of the new cluster.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { checkClusterHealth, type ClusterHealth } from '../etcd/cluster-health.js';
import { ExitCode } from '../errors/exit-code.js';
import { UserError } from '../errors/user-error.js';
import { loadInventory } from '../inventory/load-inventory.js';
import { DEFAULT_LAB } from '../lab/lab-layout.js';
import { labUp } from '../lab/lab.js';
import { play } from './play.js';
import { inventoryClusterSpec } from '../etcd/cluster-spec.js';

/** The shipped site playbook: `playbooks/` at the package root, two levels above this file. */
const SITE_PLAYBOOK = fileURLToPath(new URL('../../playbooks/site.yml', import.meta.url));

export function healthTable(health: ClusterHealth): string {
  const rows = [
    ['NAME', 'ID', 'LEADER', 'VERSION', 'RAFT INDEX', 'DB SIZE', 'STATUS'],
    ...health.members.map((m) => [
      m.name || '(not started)',
      m.id,
      m.isLeader ? 'yes' : '',
      m.version ?? '-',
      m.raftIndex === null ? '-' : String(m.raftIndex),
      m.dbSize === null ? '-' : `${(m.dbSize / 1024).toFixed(0)} KiB`,
      m.healthy ? (m.isLearner ? 'learner' : 'healthy') : `unhealthy: ${m.error}`,
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n');
}

export function register(program: Command): void {
  program
    .command('demo')
    .description('bring up the local lab with 3 hosts, build a TLS etcd cluster on it with playbooks/site.yml, and show its health')
    .option('--name <name>', 'lab name', DEFAULT_LAB)
    .action(async (options: { name: string }) => {
      const started = Date.now();
      const lab = await labUp({ name: options.name, hosts: 3, log: (line) => process.stderr.write(`${line}\n`) });
      process.stderr.write(`lab ${lab.name}: ${lab.hosts.map((h) => `${h.name} ${h.address}`).join(', ')}; inventory ${lab.inventory}\n`);
      const code = await play(SITE_PLAYBOOK, { inventory: [lab.inventory], tags: [], skipTags: [], extraVars: [], forks: 10, verbose: 0, output: 'plain' });
      if (code !== ExitCode.OK) throw new UserError(`site.yml failed on lab ${lab.name} (exit ${code})`, code);
      const cluster = inventoryClusterSpec(await loadInventory(lab.inventory));
      const [ca, cert, key] = await Promise.all([cluster.admin.ca, cluster.admin.cert, cluster.admin.key].map((f) => readFile(f, 'utf8')));
      const health = await checkClusterHealth({ endpoints: cluster.clientUrls, ca: ca!, cert: cert!, key: key! });
      process.stdout.write(`\n${healthTable(health)}\n\n`);
      process.stdout.write(`cluster ${health.healthy ? 'healthy' : `NOT healthy: ${health.problems.join('; ')}`} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      process.stdout.write(`try: etcdops etcdctl -i ${lab.inventory} -- member list -w table\n`);
      process.stdout.write(`     etcdops pki status -i ${lab.inventory}\n     etcdops lab down --name ${lab.name}\n`);
      if (!health.healthy) process.exitCode = ExitCode.ERROR;
    });
}
