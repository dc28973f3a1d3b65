// Benchmark: a no-op re-run of the example playbook on 3 lab hosts, as a user runs it (the built CLI),
// against ansible-playbook on the same playbook, inventory and hosts in the same run, and against the SSH
// floor. Reports wall time, SSH connections per host, remote commands per task per host and peak memory
// of a 3-host run (the first converge and the re-run).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labDown, labUp } from '../src/lab/lab.js';
import { sshFloorSeconds } from './ssh-floor.js';
import { ansiblePlay, benchLabName, etcdopsPlay, phaseFigures, REPO, round } from './timed-run.js';

const PLAYBOOK = join(REPO, 'playbooks/examples/hello-service.yml');

export async function benchNoopRerun(): Promise<Record<string, number>> {
  const name = benchLabName('benchplay');
  const lab = await labUp({ name, hosts: 3 });
  try {
    const first = await etcdopsPlay(PLAYBOOK, lab.inventory);
    const noop = await etcdopsPlay(PLAYBOOK, lab.inventory);
    const tasks = new Set(noop.events.filter((e) => e.event === 'task_start').map((e) => e.task)).size;
    const results = noop.events.filter((e) => e.event === 'host_result').length / lab.hosts.length;
    const connections = Object.values(noop.recap.connections as Record<string, { connections: number; commands: number }>);
    const floor = await sshFloorSeconds(lab.inventory, Math.round(results));
    const figures: Record<string, number> = {
      noop_rerun_wall_s: round(noop.seconds),
      noop_rerun_changed: noop.changed,
      noop_rerun_tasks: tasks,
      ssh_connections_per_host: Math.max(...connections.map((c) => c.connections)),
      commands_per_task_result_per_host: round(Math.max(...connections.map((c) => c.commands)) / results),
      ssh_floor_s: round(floor),
      noop_over_floor: round(noop.seconds / floor),
      noop_startup_and_load_s: round(noop.seconds - noop.recap.durationMs / 1000),
      noop_run_s: round(noop.recap.durationMs / 1000),
      ...phaseFigures('noop', noop.recap),
      peak_rss_mib: round(Math.max(first.peakKiB, noop.peakKiB) / 1024),
    };
    const ansible = await ansiblePlay(PLAYBOOK, lab.inventory, lab.hosts.length).catch(() => undefined);
    if (ansible) {
      const again = await ansiblePlay(PLAYBOOK, lab.inventory, lab.hosts.length);
      figures.ansible_noop_rerun_wall_s = round(again.seconds);
      figures.ansible_peak_rss_mib = round(again.peakKiB / 1024);
      figures.ansible_over_etcdops_wall_ratio = round(again.seconds / noop.seconds);
    }
    return figures;
  } finally {
    await labDown(name);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchNoopRerun(), null, 2));
}
