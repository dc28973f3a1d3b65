// `npm run bench`: every benchmark in one run, so the figures can be compared as ratios
// (`npm run bench -- --fleet-hosts 100` races on 100 hosts instead of 30).
import { fleetHosts, benchFleetRace } from './fleet-race.js';
import { benchInventoryLoad } from './inventory-load.js';
import { benchLabUp } from './lab-up.js';
import { benchNoopRerun } from './noop-rerun.js';
import { benchRollingRestarts } from './rolling-restarts.js';
import { benchSiteNoop } from './site-noop.js';

const benches: Record<string, () => Promise<Record<string, number>>> = {
  'lab up/down (3 hosts)': benchLabUp,
  'no-op re-run of the example playbook (3 lab hosts)': benchNoopRerun,
  'no-op re-run of site.yml (3 lab hosts, TLS etcd cluster)': benchSiteNoop,
  [`fleet race (${fleetHosts()} hosts, ansible-playbook with forks = hosts)`]: () => benchFleetRace(),
  'inventory load (10k hosts, 100 groups)': benchInventoryLoad,
  'rolling restarts by site.yml under an etcdctl writer (3 lab hosts)': () => benchRollingRestarts(),
};

for (const [name, bench] of Object.entries(benches)) {
  process.stdout.write(`\n${name}\n`);
  for (const [figure, value] of Object.entries(await bench())) process.stdout.write(`  ${figure.padEnd(40)} ${value}\n`);
}
