// Benchmark: `etcdops lab up --hosts 3` with the root filesystem and etcd tarballs already cached,
// then `lab down`, both timed through the command line as a user runs them (target: up < 30 s).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureArtifacts } from '../src/lab/artifact-cache.js';
import { ensureRootfs } from '../src/lab/rootfs-cache.js';
import { benchLabName } from './timed-run.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const LAB = benchLabName('bench');

function timedCli(args: readonly string[]): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'src/cli/main.ts'), ...args], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`etcdops ${args.join(' ')} failed (${code}): ${stderr}`));
      else resolve(Number(process.hrtime.bigint() - started) / 1e9);
    });
  });
}

/** Seconds for each step; `rootfs_build_s` is 0 when the root filesystem was already cached. */
export async function benchLabUp(): Promise<Record<string, number>> {
  const [rootfs] = await Promise.all([ensureRootfs(), ensureArtifacts()]);
  await timedCli(['lab', 'down', '--name', LAB]);
  try {
    const up = await timedCli(['lab', 'up', '--hosts', '3', '--name', LAB]);
    const down = await timedCli(['lab', 'down', '--name', LAB]);
    return { rootfs_build_s: rootfs.builtSeconds, lab_up_3_hosts_cached_s: up, lab_down_3_hosts_s: down };
  } finally {
    await timedCli(['lab', 'down', '--name', LAB]).catch(() => undefined);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  benchLabUp().then(
    (figures) => process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
}
