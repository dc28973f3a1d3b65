// Benchmark: a no-op re-run of playbooks/site.yml (the 3-member TLS cluster) on 3 lab hosts, against the
// SSH floor for as many commands as the run had task results per host. ansible-playbook cannot run it (its
// modules are etcdops'), so the race with Ansible is the example playbook's (noop-rerun.ts). The recap's
// phases say where the time goes; the run lock and the health gates also talk to etcd itself over TLS
// (gRPC), which the SSH floor does not count.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labDown, labUp } from '../src/lab/lab.js';
import { sshFloorSeconds } from './ssh-floor.js';
import { benchLabName, etcdopsPlay, phaseFigures, REPO, round } from './timed-run.js';

const SITE = join(REPO, 'playbooks/site.yml');

export async function benchSiteNoop(): Promise<Record<string, number>> {
  const name = benchLabName('benchsite');
  await labDown(name);
  const lab = await labUp({ name, hosts: 3 });
  try {
    const converge = await etcdopsPlay(SITE, lab.inventory);
    if (converge.changed === 0) throw new Error('site.yml converged nothing on fresh hosts');
    const noop = await etcdopsPlay(SITE, lab.inventory);
    if (noop.changed !== 0) throw new Error(`site.yml re-run changed ${noop.changed} task(s)`);
    const ran = (host: string) => noop.events.filter((e) => e.event === 'host_result' && e.host === host && e.status !== 'SKIPPED').length;
    const results = Math.max(...lab.hosts.map((h) => ran(h.name)));
    const floor = await sshFloorSeconds(lab.inventory, results);
    return {
      converge_s: round(converge.seconds),
      noop_s: round(noop.seconds),
      noop_task_results_per_host: results,
      ssh_floor_s: round(floor),
      noop_over_floor: round(noop.seconds / floor),
      ...phaseFigures('noop', noop.recap),
      peak_rss_mib: round(Math.max(converge.peakKiB, noop.peakKiB) / 1024),
      noop_peak_rss_mib: round(noop.peakKiB / 1024),
    };
  } finally {
    await labDown(name);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchSiteNoop(), null, 2));
}
