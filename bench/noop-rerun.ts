// Benchmark: a no-op re-run of the example playbook on 3 lab hosts, as a user runs it (the built CLI),
// against ansible-playbook on the same playbook, inventory and hosts in the same run.
// Reports wall time, SSH connections per host, remote commands per task per host and peak memory.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { labDown, labUp } from '../src/lab/lab.js';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('..', import.meta.url));
const LAB = 'benchplay';
const PLAYBOOK = join(REPO, 'playbooks/examples/hello-service.yml');

interface Timed {
  readonly seconds: number;
  readonly peakKiB: number;
  readonly stdout: string;
}

/** Runs a command under /usr/bin/time for its peak resident memory. */
async function timed(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Timed> {
  const started = process.hrtime.bigint();
  const { stdout, stderr } = await run('/usr/bin/time', ['-f', 'peak_kib=%M', ...argv], { cwd: REPO, env, maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, peakKiB: Number(/peak_kib=(\d+)/.exec(stderr)?.[1] ?? NaN), stdout };
}

function etcdops(inventory: string): Promise<Timed> {
  return timed([process.execPath, join(REPO, 'dist/cli/main.js'), 'play', PLAYBOOK, '-i', inventory, '--output', 'json']);
}

export async function benchNoopRerun(): Promise<Record<string, number>> {
  const lab = await labUp({ name: LAB, hosts: 3 });
  try {
    await etcdops(lab.inventory);
    const noop = await etcdops(lab.inventory);
    const events = noop.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>);
    const recap = events.find((e) => e.event === 'recap')!;
    const tasks = new Set(events.filter((e) => e.event === 'task_start').map((e) => e.task)).size;
    const results = events.filter((e) => e.event === 'host_result').length / lab.hosts.length;
    const changed = Object.values(recap.hosts as Record<string, { changed: number }>).reduce((n, c) => n + c.changed, 0);
    const connections = Object.values(recap.connections as Record<string, { connections: number; commands: number }>);
    const figures: Record<string, number> = {
      noop_rerun_wall_s: round(noop.seconds),
      noop_rerun_changed: changed,
      noop_rerun_tasks: tasks,
      ssh_connections_per_host: Math.max(...connections.map((c) => c.connections)),
      commands_per_task_result_per_host: round(Math.max(...connections.map((c) => c.commands)) / results),
      peak_rss_mib: round(noop.peakKiB / 1024),
    };
    const env = { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_HOST_KEY_CHECKING: 'True', ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3' };
    const ansible = await timed(['ansible-playbook', '-i', lab.inventory, PLAYBOOK], env).catch(() => undefined);
    if (ansible) {
      const again = await timed(['ansible-playbook', '-i', lab.inventory, PLAYBOOK], env);
      figures.ansible_noop_rerun_wall_s = round(again.seconds);
      figures.ansible_peak_rss_mib = round(again.peakKiB / 1024);
      figures.ansible_over_etcdops_wall_ratio = round(again.seconds / noop.seconds);
    }
    return figures;
  } finally {
    await labDown(LAB);
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchNoopRerun(), null, 2));
}
