// Benchmark: rolling restarts of a 3-member TLS cluster by site.yml (a quota change each time) while a Go
// client (etcdctl, every endpoint) writes, counting what that client sees: elections (raft term), writes
// etcd dropped during them, other failed writes and the longest wait. Too long for a test (about 20 s a
// restart), it shows how often etcd's election window is met across many restarts.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labDown, labUp } from '../src/lab/lab.js';
import { startEtcdctlWorkload } from '../test/e2e/etcd-helpers.js';
import { benchLabName, etcdopsPlay, REPO, round } from './timed-run.js';

const SITE = join(REPO, 'playbooks/site.yml');
const QUOTAS = [4294967296, 3221225472];

export async function benchRollingRestarts(restarts = Number(process.env.ETCDOPS_BENCH_RESTARTS ?? 6)): Promise<Record<string, number>> {
  const name = benchLabName('benchroll');
  await labDown(name);
  const lab = await labUp({ name, hosts: 3 });
  try {
    await etcdopsPlay(SITE, lab.inventory);
    const writer = startEtcdctlWorkload(lab);
    let seconds = 0;
    for (let i = 0; i < restarts; i++) {
      seconds += (await etcdopsPlay(SITE, lab.inventory, undefined, ['-e', `etcd_quota_backend_bytes=${QUOTAS[i % QUOTAS.length]}`])).seconds;
    }
    const seen = await writer.stop();
    return {
      rolling_restarts: restarts,
      seconds_per_rolling_restart: round(seconds / restarts),
      elections: seen.elections,
      elections_per_rolling_restart: round(seen.elections / restarts),
      go_writes: seen.succeeded,
      go_dropped_in_elections: seen.dropped.length,
      go_failed_otherwise: seen.failed.length,
      go_longest_wait_ms: seen.longestGapMs,
    };
  } finally {
    await labDown(name);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchRollingRestarts(), null, 2));
}
