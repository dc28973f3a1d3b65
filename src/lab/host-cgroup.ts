// A cgroup of its own for each lab host. Containers started from one shell would otherwise share
// that shell's cgroup, and their systemd instances then create and remove each other's unit
// cgroups (units failing at random with status 219/CGROUP).
import { mkdir, readFile, readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';

const PARENT = 'etcdops-lab';

/** Mount points of the hierarchies systemd manages: the unified (v2) one and the named v1 `systemd` one. */
async function systemdHierarchies(): Promise<readonly string[]> {
  const mounts = (await readFile('/proc/self/mounts', 'utf8')).split('\n').map((line) => line.split(' '));
  return mounts
    .filter(([, , type, options]) => type === 'cgroup2' || (type === 'cgroup' && (options ?? '').split(',').includes('name=systemd')))
    .map(([, point]) => point ?? '')
    .filter(Boolean);
}

/** Creates the host's cgroup in each hierarchy; returns the `cgroup.procs` files to join. */
export async function prepareHostCgroup(machine: string): Promise<readonly string[]> {
  const procs: string[] = [];
  for (const hierarchy of await systemdHierarchies()) {
    const dir = join(hierarchy, PARENT, machine);
    await mkdir(dir, { recursive: true });
    procs.push(join(dir, 'cgroup.procs'));
  }
  return procs;
}

async function removeTree(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) if (entry.isDirectory()) await removeTree(join(dir, entry.name));
  await rmdir(dir).catch(() => undefined);
}

/** Removes the host's cgroups (and any its systemd left behind) once its processes are gone. */
export async function removeHostCgroup(machine: string): Promise<void> {
  for (const hierarchy of await systemdHierarchies()) await removeTree(join(hierarchy, PARENT, machine));
}

async function processesIn(dir: string): Promise<number[]> {
  const own = (await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => ''))
    .split('\n')
    .filter(Boolean)
    .map(Number);
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(entries.filter((e) => e.isDirectory()).map((e) => processesIn(join(dir, e.name))));
  return [...own, ...nested.flat()];
}

/**
 * Pulls the plug on a host: SIGKILL to every process of its cgroups. Killing nspawn alone is not enough,
 * since the container's init lives on in its own PID namespace when its parent dies.
 */
export async function killHostCgroup(machine: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const pids = (await Promise.all((await systemdHierarchies()).map((h) => processesIn(join(h, PARENT, machine))))).flat();
    if (pids.length === 0 || Date.now() > deadline) return;
    for (const pid of new Set(pids)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await new Promise((done) => setTimeout(done, 50));
  }
}
