// Benchmark: the fleet race. The same generic play (bench/fleet-play.yml: a folder, two files, a unit, the
// service started) on N lab hosts, converge and no-op re-run, by etcdops with --forks N and by
// ansible-playbook with forks = N (both work on every host at once), in the same run; with the SSH floor for
// the no-op (one connection per host and one command per task per host). Each tool's no-op is the median of
// three in a row. N is 30, or `--fleet-hosts N` (100 is supported). Each tool converges fresh hosts: the
// play is undone in between (bench/fleet-clean.yml).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labDown, labUp } from '../src/lab/lab.js';
import { sshFloorSeconds } from './ssh-floor.js';
import { ansiblePlay, benchLabName, etcdopsPlay, medianRun, phaseFigures, REPO, round } from './timed-run.js';

const PLAY = join(REPO, 'bench/fleet-play.yml');
const CLEAN = join(REPO, 'bench/fleet-clean.yml');
const TASKS = 5;
/** Each tool's no-op runs this many times in a row; the race takes the median of each. */
const NOOP_RUNS = 3;

/** `--fleet-hosts N` on the command line (npm run bench -- --fleet-hosts 100), else 30. */
export function fleetHosts(argv: readonly string[] = process.argv): number {
  const at = argv.indexOf('--fleet-hosts');
  const value = at < 0 ? 30 : Number(argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--fleet-hosts needs a whole number of hosts, got ${argv[at + 1]}`);
  return value;
}

function expect(what: string, ok: boolean, detail: string): void {
  if (!ok) throw new Error(`fleet race: ${what} (${detail})`);
}

export async function benchFleetRace(hosts = fleetHosts()): Promise<Record<string, number>> {
  const name = benchLabName('benchfleet');
  await labDown(name);
  const lab = await labUp({ name, hosts });
  try {
    const converge = await etcdopsPlay(PLAY, lab.inventory, hosts);
    expect('etcdops converge changed nothing', converge.changed >= hosts * 4, `changed=${converge.changed}`);
    const noop = await medianRun(NOOP_RUNS, async () => {
      const run = await etcdopsPlay(PLAY, lab.inventory, hosts);
      expect('etcdops re-run changed something', run.changed === 0, `changed=${run.changed}`);
      return run;
    });
    const floor = await sshFloorSeconds(lab.inventory, TASKS);
    const cleaned = await etcdopsPlay(CLEAN, lab.inventory, hosts);
    expect('clean-up changed nothing', cleaned.changed > 0, `changed=${cleaned.changed}`);
    const ansibleConverge = await ansiblePlay(PLAY, lab.inventory, hosts);
    expect('ansible converge changed nothing', ansibleConverge.changed >= hosts * 4, `changed=${ansibleConverge.changed}`);
    const ansibleNoop = await medianRun(NOOP_RUNS, async () => {
      const run = await ansiblePlay(PLAY, lab.inventory, hosts);
      expect('ansible re-run changed something', run.changed === 0, `changed=${run.changed}`);
      return run;
    });
    return {
      hosts,
      converge_s: round(converge.seconds),
      ansible_converge_s: round(ansibleConverge.seconds),
      converge_ratio: round(ansibleConverge.seconds / converge.seconds),
      noop_runs: NOOP_RUNS,
      noop_s: round(noop.seconds),
      ansible_noop_s: round(ansibleNoop.seconds),
      noop_ratio: round(ansibleNoop.seconds / noop.seconds),
      ssh_floor_s: round(floor),
      noop_over_floor: round(noop.seconds / floor),
      // Where the no-op's time goes: the process starting and loading (wall less the run) and the run itself.
      noop_startup_and_load_s: round(noop.seconds - noop.recap.durationMs / 1000),
      noop_run_s: round(noop.recap.durationMs / 1000),
      ...phaseFigures('noop', noop.recap),
      peak_rss_mib: round(Math.max(converge.peakKiB, noop.peakKiB) / 1024),
      ansible_peak_rss_mib: round(Math.max(ansibleConverge.peakKiB, ansibleNoop.peakKiB) / 1024),
    };
  } finally {
    await labDown(name);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchFleetRace(), null, 2));
}
