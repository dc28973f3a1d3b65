// What `apt`, `dnf` and `package` share: the arguments, the pure plan from the host's package versions
// (install, upgrade, remove, refresh the package lists), and the shell script that carries it out.
// Results and messages follow Ansible's apt module: a task that only refreshes the lists is changed when
// they changed, an unknown package fails with "No package matching 'NAME' is available".
import { joinCode, sh, ShellCode } from '../connection/shell-quote.js';
import { onFirstUse } from '../startup/on-first-use.js';
import type { PackageFacts, PackageManager } from '../facts/package-versions.js';
import { type Change, ChangeAction, type TaskPlan, noop } from '../plan/change.js';
import type { ApplyContext, ApplyResult } from './module.js';
import { TaskFailure } from './task-failure.js';

export interface PackageArgs {
  readonly name?: string | readonly string[];
  readonly state?: 'present' | 'absent' | 'latest';
  readonly update_cache?: boolean;
  /** Seconds; apt only. */
  readonly cache_valid_time?: number;
  /** apt only. */
  readonly purge?: boolean;
  readonly autoremove?: boolean;
  /** apt only. */
  readonly install_recommends?: boolean;
  /** apt only. */
  readonly allow_downgrade?: boolean;
}

/** A name as written: `hello`, `hello=2.10-3` (apt) or `hello-2.10` (dnf), the version possibly ending in `*`. */
export interface PackageRequest {
  readonly spec: string;
  readonly name: string;
  readonly version?: string;
}

/** Package names with an optional `=VERSION`; nothing that could start an option or hold shell syntax. */
export const PACKAGE_SPEC_PATTERN = '^[A-Za-z0-9_][A-Za-z0-9_.+:~-]*(=[A-Za-z0-9_.+:~*-]+)?$';

const SPEC = PACKAGE_SPEC_PATTERN.slice(1, -1);

/** Arguments every manager takes, as JSON Schema properties. */
export const PACKAGE_ARGS_SCHEMA = {
  name: {
    type: ['string', 'array'],
    pattern: `^${SPEC}(\\s*,\\s*${SPEC})*$`,
    items: { type: 'string', pattern: PACKAGE_SPEC_PATTERN },
    description: 'Package name(s), a list or a comma-separated string; NAME=VERSION installs that version (a trailing * matches any suffix).',
  },
  state: {
    type: 'string',
    enum: ['present', 'absent', 'latest'],
    description: 'present: installed (any version, or the one named); latest: the newest the repositories offer; absent: removed (default present).',
  },
  update_cache: { type: 'boolean', description: 'Refresh the package lists first; a task that only refreshes reports changed when the lists changed, as Ansible does.' },
  autoremove: { type: 'boolean', description: 'With state absent, also remove dependencies nothing else needs any more.' },
} as const;

export function packageRequests(name: PackageArgs['name']): PackageRequest[] {
  if (name === undefined) return [];
  const specs = (typeof name === 'string' ? name.split(',') : [...name]).map((s) => s.trim()).filter(Boolean);
  return [...new Set(specs)].map((spec) => {
    const at = spec.indexOf('=');
    return at < 0 ? { spec, name: spec } : { spec, name: spec.slice(0, at), version: spec.slice(at + 1) };
  });
}

const re2js = onFirstUse<typeof import('re2js')>('re2js');

/**
 * Whether an installed version satisfies the version asked for (`2.10*` matches `2.10-3`, as Ansible's fnmatch).
 * On RE2: with backtracking, a wanted `1*1*1*1*1*x` takes seconds on a host's 100-character version.
 */
export function versionMatches(installed: string, wanted: string): boolean {
  if (!wanted.includes('*')) return installed === wanted;
  const pattern = wanted.split('*').map((part) => part.replace(/[.+^$()|[\]{}?\\]/g, '\\$&')).join('.*');
  return re2js().RE2JS.compile(pattern, re2js().RE2JS.DOTALL).matcher(installed).matches();
}

/** The change that refreshes the package lists when the task asks and they are older than cache_valid_time (apt: 0). */
function cacheRefresh(args: PackageArgs, facts: PackageFacts, manager: PackageManager): Change | undefined {
  // As Ansible's apt: cache_valid_time alone asks for a refresh too.
  if (!args.update_cache && !args.cache_valid_time) return undefined;
  const age = facts.cacheUpdatedAt === undefined ? undefined : facts.now - facts.cacheUpdatedAt;
  if (args.cache_valid_time && age !== undefined && age <= args.cache_valid_time) return undefined;
  const reason = args.cache_valid_time ? `the package lists are ${age === undefined ? 'missing' : `${age} s old`}, cache_valid_time is ${args.cache_valid_time} s` : 'update_cache is set';
  return { action: ChangeAction.RUN, target: `${manager} package lists`, reason, after: 'refreshed\n' };
}

/** The manager's own words for a host that lacks it. */
export function missingManager(manager: PackageManager, facts: PackageFacts, host: string): TaskFailure {
  const has = facts.available.length ? `it has ${facts.available.join(', ')}: use that module, or 'package' to pick the host's manager` : 'it has no package manager etcdops drives (apt, dnf)';
  return new TaskFailure(`${manager} is not available on ${host}; ${has}`);
}

export function planPackages(args: PackageArgs, facts: PackageFacts, manager: PackageManager): TaskPlan {
  const state = args.state ?? 'present';
  const requests = packageRequests(args.name);
  const refresh = cacheRefresh(args, facts, manager);
  const changes: Change[] = refresh ? [refresh] : [];
  const settled: string[] = [];
  for (const request of requests) {
    const found = facts.packages[request.name] ?? {};
    const { installed, candidate } = found;
    const target = `package ${request.name}`;
    if (state === 'absent') {
      const versionInstalled = installed !== undefined && (request.version === undefined || versionMatches(installed, request.version));
      if (versionInstalled) changes.push({ action: ChangeAction.DELETE, target, reason: `${request.name} ${installed} is installed`, before: `${request.name} ${installed}\n`, after: '' });
      else if (found.configFilesOnly && args.purge) changes.push({ action: ChangeAction.DELETE, target, reason: `${request.name}'s configuration files are left`, before: `${request.name} (configuration files)\n`, after: '' });
      else settled.push(request.name);
      continue;
    }
    if (state === 'latest' && request.version !== undefined) {
      throw new TaskFailure(`${request.spec}: a version cannot be combined with state: latest; use state: present to install that version`);
    }
    // After a planned refresh the lists may offer what they do not offer now: apt decides then.
    if (candidate === undefined && installed === undefined && !refresh) throw new TaskFailure(`No package matching '${request.name}' is available`);
    const wanted = request.version ?? (state === 'latest' ? candidate : undefined);
    if (installed !== undefined && (wanted === undefined || versionMatches(installed, wanted))) {
      settled.push(`${request.name} ${installed}`);
      continue;
    }
    const after = `${request.name} ${request.version ?? candidate ?? '(the newest after the refresh)'}\n`;
    if (installed === undefined) changes.push({ action: ChangeAction.CREATE, target, reason: `${request.name} is not installed`, before: '', after });
    else changes.push({ action: ChangeAction.UPDATE, target, reason: `${request.name} ${installed} is installed`, before: `${request.name} ${installed}\n`, after });
  }
  if (!changes.length) {
    const what = requests.length ? `${state === 'absent' ? 'not installed' : 'installed'}: ${settled.join(', ')}` : 'nothing asked';
    return noop(what, { cache_updated: false, ...(facts.cacheUpdatedAt !== undefined ? { cache_update_time: facts.cacheUpdatedAt } : {}) });
  }
  return { changes };
}

/** Names to hand the manager for the planned installs and upgrades (with `=VERSION` or `-VERSION` when pinned). */
function installSpecs(args: PackageArgs, changes: readonly Change[], manager: PackageManager): string[] {
  const planned = new Set(changes.filter((c) => c.action === ChangeAction.CREATE || c.action === ChangeAction.UPDATE).map((c) => c.target));
  const refreshed = changes.some((c) => c.action === ChangeAction.RUN);
  return packageRequests(args.name)
    // After a refresh, `latest` asks again for every name: the new lists may hold an upgrade the plan could not see.
    .filter((r) => planned.has(`package ${r.name}`) || (refreshed && args.state === 'latest'))
    .map((r) => (r.version === undefined ? r.name : manager === 'apt' ? `${r.name}=${r.version}` : `${r.name}-${r.version}`));
}

/** Prints each named package's installed version, before and after, so `changed` is what really changed. */
function versionsProbe(manager: PackageManager, label: string, names: readonly string[]): ShellCode {
  const query = manager === 'apt' ? sh`dpkg-query -W -f='\${db:Status-Status} \${Version}\\n' "$n" 2>/dev/null | head -n 1` : sh`rpm -q "$n" 2>/dev/null | head -n 1`;
  return sh`for n in ${names}; do printf '${new ShellCode(label)}\\t%s\\t%s\\n' "$n" "$(${query})"; done`;
}

/** The script for the planned changes: refresh, then one install or one removal, between two version probes. */
export function packageScript(args: PackageArgs, plan: TaskPlan, manager: PackageManager): ShellCode {
  const names = packageRequests(args.name).map((r) => r.name);
  const refreshed = plan.changes.some((c) => c.action === ChangeAction.RUN);
  const removals = plan.changes.filter((c) => c.action === ChangeAction.DELETE).map((c) => c.target.slice('package '.length));
  const installs = installSpecs(args, plan.changes, manager);
  const steps: ShellCode[] = [sh`set -e`, versionsProbe(manager, 'before', names)];
  if (manager === 'apt') {
    // When apt last refreshed its lists, as Ansible's apt reads it: a refresh that changed nothing leaves it.
    const stamp = sh`s=/var/lib/apt/periodic/update-success-stamp; [ -e "$s" ] || s=/var/lib/apt/lists; stat -c %Y "$s"`;
    const options = ['-y', '-q', '-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold', '-o', 'DPkg::Lock::Timeout=60'];
    steps.push(sh`export DEBIAN_FRONTEND=noninteractive`);
    if (refreshed) steps.push(sh`printf 'stamp\\tbefore\\t%s\\n' "$(${stamp})"`, sh`apt-get -q -o DPkg::Lock::Timeout=60 update`, sh`printf 'stamp\\tafter\\t%s\\n' "$(${stamp})"`);
    const recommends = args.install_recommends === undefined ? [] : [args.install_recommends ? '--install-recommends' : '--no-install-recommends'];
    const downgrades = args.allow_downgrade ? ['--allow-downgrades'] : [];
    if (installs.length) steps.push(sh`apt-get ${options} ${recommends} ${downgrades} install ${installs}`);
    if (removals.length) steps.push(sh`apt-get ${options} ${args.purge ? ['--purge'] : []} ${args.autoremove ? ['--auto-remove'] : []} remove ${removals}`);
  } else {
    if (refreshed) steps.push(sh`dnf -q -y makecache`);
    if (installs.length) steps.push(sh`dnf -y ${args.state === 'latest' ? 'upgrade' : 'install'} ${installs} || dnf -y install ${installs}`);
    if (removals.length) steps.push(sh`dnf -y ${args.autoremove ? [] : ['--noautoremove']} remove ${removals}`);
  }
  steps.push(versionsProbe(manager, 'after', names));
  return joinCode(steps);
}

const PROBE_LINE = /^(before|after|stamp)\t([^\t]+)\t(.*)$/;

export interface PackageScriptOutput {
  /** Whether any named package's installed version moved. */
  readonly versionsChanged: boolean;
  /** apt's lists timestamp after a refresh, and whether the refresh moved it. */
  readonly cacheUpdateTime?: number;
  readonly cacheUpdated: boolean;
  /** The manager's own output, without the probes. */
  readonly stdout: string;
}

export function readPackageScriptOutput(stdout: string): PackageScriptOutput {
  const seen = { before: new Map<string, string>(), after: new Map<string, string>(), stamp: new Map<string, string>() };
  const own: string[] = [];
  for (const line of stdout.split('\n')) {
    const probe = PROBE_LINE.exec(line);
    if (probe) seen[probe[1] as 'before' | 'after' | 'stamp'].set(probe[2]!, probe[3]!);
    else own.push(line);
  }
  const after = seen.stamp.get('after');
  return {
    versionsChanged: [...seen.after].some(([name, version]) => seen.before.get(name) !== version),
    ...(after && /^\d+$/.test(after) ? { cacheUpdateTime: Number(after) } : {}),
    cacheUpdated: after !== undefined && after !== seen.stamp.get('before'),
    stdout: own.join('\n'),
  };
}

/** Runs the planned script as the task's user (`become` for root); `changed` is what the versions say. */
export async function applyPackages(args: PackageArgs, plan: TaskPlan, manager: PackageManager, ctx: ApplyContext): Promise<ApplyResult> {
  const out = await ctx.connection.exec(packageScript(args, plan, manager).text, { become: ctx.become });
  const read = readPackageScriptOutput(out.stdout);
  // As Ansible's apt: a task naming packages changed when they did; one that only refreshes, when the lists did.
  const changed = packageRequests(args.name).length ? read.versionsChanged : read.cacheUpdated;
  const result = { cache_updated: read.cacheUpdated, ...(read.cacheUpdateTime !== undefined ? { cache_update_time: read.cacheUpdateTime } : {}), stdout: read.stdout, stderr: out.stderr };
  if (out.code !== 0) {
    const msg = out.stderr.split('\n').filter((line) => /^E: /.test(line)).join('\n') || out.stderr.trim() || `${manager} exited with ${out.code}`;
    return { changed, failed: true, msg, result };
  }
  return { changed, result };
}
