// How the benchmarks run each tool as a user runs it (the built etcdops CLI, ansible-playbook), timed, with
// peak memory and what each run changed, so every race reads the same figures.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const REPO = fileURLToPath(new URL('..', import.meta.url));

/** A bench lab's name: ETCDOPS_LAB_PREFIX keeps two checkouts' benchmarks apart, as it does for e2e labs. */
export const benchLabName = (name: string): string => `${process.env.ETCDOPS_LAB_PREFIX ?? ''}${name}`;

export interface Timed {
  readonly seconds: number;
  readonly peakKiB: number;
  readonly stdout: string;
}

/** Runs a command under /usr/bin/time for its peak resident memory. */
export async function timed(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Timed> {
  const started = process.hrtime.bigint();
  const { stdout, stderr } = await run('/usr/bin/time', ['-f', 'peak_kib=%M', ...argv], { cwd: REPO, env, maxBuffer: 256 << 20 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, peakKiB: Number(/peak_kib=(\d+)/.exec(stderr)?.[1] ?? NaN), stdout };
}

/** The run of median wall time of `count` in a row: the machine is shared, and one run can be an outlier either way. */
export async function medianRun<T extends Timed>(count: number, run: () => Promise<T>): Promise<T> {
  const runs: T[] = [];
  for (let i = 0; i < count; i++) runs.push(await run());
  return runs.sort((a, b) => a.seconds - b.seconds)[Math.floor(count / 2)]!;
}

export interface EtcdopsRun extends Timed {
  readonly events: readonly Record<string, any>[];
  readonly recap: Record<string, any>;
  /** Tasks changed, summed over hosts. */
  readonly changed: number;
}

/**
 * `etcdops play` with JSON output and `extra` options; `forks` hosts at once (etcdops' default, 10, unless
 * given). A failed run throws (its exit code is not 0). The built command runs through its shebang, as an
 * installed `etcdops` does, so it gets the Node options set there.
 */
export async function etcdopsPlay(playbook: string, inventory: string, forks?: number, extra: readonly string[] = []): Promise<EtcdopsRun> {
  const parallel = forks === undefined ? [] : ['--forks', String(forks)];
  const result = await timed([join(REPO, 'dist/bin/etcdops.js'), 'play', playbook, '-i', inventory, '--output', 'json', ...parallel, ...extra]);
  const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>);
  const recap = events.find((e) => e.event === 'recap');
  if (!recap) throw new Error(`etcdops play ${playbook}: no recap in its output`);
  const changed = Object.values(recap.hosts as Record<string, { changed: number }>).reduce((n, c) => n + c.changed, 0);
  return { ...result, events, recap, changed };
}

export interface AnsibleRun extends Timed {
  readonly changed: number;
}

/** ansible-playbook as the issue measures it: pipelining on, ControlPersist (its default ssh_args), `forks` hosts at once. */
export async function ansiblePlay(playbook: string, inventory: string, forks: number): Promise<AnsibleRun> {
  const env = {
    ...process.env,
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_HOST_KEY_CHECKING: 'True',
    ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
    ANSIBLE_PIPELINING: 'True',
    ANSIBLE_FORKS: String(forks),
  };
  const result = await timed(['ansible-playbook', '-i', inventory, playbook], env);
  const changed = [...result.stdout.matchAll(/\bchanged=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
  return { ...result, changed };
}

/** The recap's phases (where the run's time went) as bench figures, `PREFIX_start_ms`, `PREFIX_connect_ms`... */
export function phaseFigures(prefix: string, recap: Record<string, any>): Record<string, number> {
  const phases = recap.phases as Record<string, number>;
  return Object.fromEntries(Object.entries(phases).map(([name, ms]) => [`${prefix}_${name.replace(/Ms$/, '')}_ms`, ms]));
}

export function round(value: number): number {
  return Math.round(value * 100) / 100;
}
