// Benchmark: load and resolve a generated 10,000-host inventory in 100 groups (nested, with group vars and
// vars folders), select hosts with a few patterns, and compare with ansible-inventory on 5,000 hosts.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { loadInventory } from '../src/inventory/load-inventory.js';
import { selectHosts } from '../src/inventory/select-hosts.js';

const regions = 10;
const servicesPerRegion = 10;

/** Writes an inventory of `hosts` hosts: 10 region groups, each the parent of 10 service groups. */
async function generate(folder: string, hosts: number): Promise<string> {
  const perGroup = hosts / (regions * servicesPerRegion);
  const lines = ['all:', '  vars:', '    ansible_user: root', '    cluster: bench', '  children:'];
  let n = 0;
  for (let r = 0; r < regions; r++) {
    lines.push(`    region${r}:`, '      vars:', `        region: r${r}`, `        ansible_group_priority: ${r % 3}`, '      children:');
    for (let s = 0; s < servicesPerRegion; s++) {
      lines.push(`        svc${r}_${s}:`, '          vars:', `            service: s${s}`, `            port: ${2000 + s}`, '          hosts:');
      for (let h = 0; h < perGroup; h++, n++) {
        lines.push(`            node${n}:`, `              ansible_host: 10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`);
      }
    }
  }
  const path = join(folder, 'inventory.yml');
  await writeFile(path, `${lines.join('\n')}\n`);
  await mkdir(join(folder, 'group_vars'));
  await mkdir(join(folder, 'host_vars'));
  await writeFile(join(folder, 'group_vars', 'all.yml'), 'ntp: pool.ntp.org\n');
  for (let r = 0; r < regions; r++) await writeFile(join(folder, 'group_vars', `region${r}.yml`), `dc: dc${r}\nport: 3000\n`);
  for (let h = 0; h < hosts; h += 100) await writeFile(join(folder, 'host_vars', `node${h}.yml`), `special: true\nport: 4000\n`);
  return path;
}

async function timeOurs(path: string): Promise<{ loadMs: number; resolveMs: number; selectMs: number }> {
  const started = performance.now();
  const inventory = await loadInventory(path);
  const loaded = performance.now();
  let touched = 0;
  for (const host of inventory.hosts.values()) touched += Object.keys(host.vars).length;
  if (touched === 0) throw new Error('no variables resolved');
  const resolved = performance.now();
  for (const pattern of ['all', 'region3:&svc3_*', 'node1*:!region1', 'svc5_5[10:20],~node99.*', 'region0:region9:!svc0_0']) {
    selectHosts(inventory, pattern);
  }
  const selected = performance.now();
  return { loadMs: loaded - started, resolveMs: resolved - loaded, selectMs: selected - resolved };
}

function timeAnsible(path: string, timeoutMs: number): Promise<number | undefined> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      'ansible-inventory',
      ['-i', path, '--list'],
      { cwd: tmpdir(), timeout: timeoutMs, maxBuffer: 1 << 30, env: { ...process.env, ANSIBLE_NOCOLOR: '1' } },
      (error) => resolve(error ? undefined : performance.now() - started),
    );
  });
}

export async function benchInventoryLoad(): Promise<Record<string, number>> {
  const folder = await mkdtemp(join(tmpdir(), 'etcdops-bench-inventory-'));
  try {
    await mkdir(join(folder, 'big'));
    await mkdir(join(folder, 'half'));
    const big = await generate(join(folder, 'big'), 10_000);
    const half = await generate(join(folder, 'half'), 5_000);
    const ours = await timeOurs(big);
    const oursHalf = await timeOurs(half);
    const result: Record<string, number> = {
      inventory_10k_load_ms: Math.round(ours.loadMs),
      inventory_10k_resolve_ms: Math.round(ours.resolveMs),
      inventory_10k_select_5_patterns_ms: Math.round(ours.selectMs),
      inventory_10k_total_ms: Math.round(ours.loadMs + ours.resolveMs + ours.selectMs),
      inventory_5k_load_resolve_ms: Math.round(oursHalf.loadMs + oursHalf.resolveMs),
    };
    const ansibleMs = await timeAnsible(half, 120_000);
    if (ansibleMs !== undefined) {
      result.ansible_inventory_5k_list_ms = Math.round(ansibleMs);
      result.ansible_over_etcdops_5k_ratio = Math.round((ansibleMs / (oursHalf.loadMs + oursHalf.resolveMs)) * 10) / 10;
    }
    return result;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await benchInventoryLoad(), null, 2));
}
