// Which package managers a host has, and for each named package the installed version and the version the
// manager would install (apt-cache policy's candidate, dnf's latest available), with the age of apt's
// package lists for `cache_valid_time`. One command per task; a name the manager does not know has neither.
import { sh, ShellCode } from '../connection/shell-quote.js';
import { defineFact } from './fact.js';
import { requireSuccess } from './file-state.js';

export type PackageManager = 'apt' | 'dnf';

/** The managers etcdops drives, in the order `package` prefers them when a host has several. */
export const PACKAGE_MANAGERS: readonly PackageManager[] = ['apt', 'dnf'];

export interface PackageVersions {
  /** `undefined` when the package is not installed. */
  readonly installed?: string;
  /** `undefined` when no configured repository offers it. */
  readonly candidate?: string;
  /** Removed, with configuration files left (dpkg's `config-files`): `purge` removes those too. */
  readonly configFilesOnly?: boolean;
}

export interface PackageFactsArgs {
  /** The manager to read through; `auto` reads through the first of PACKAGE_MANAGERS the host has. */
  readonly manager: PackageManager | 'auto';
  readonly names: readonly string[];
}

export interface PackageFacts {
  /** The managers found on the host. */
  readonly available: readonly PackageManager[];
  /** The manager the versions were read through; undefined when the host lacks the one asked for. */
  readonly manager?: PackageManager;
  /** The host's clock and when apt last refreshed its lists (seconds since the epoch), for cache_valid_time. */
  readonly now: number;
  readonly cacheUpdatedAt?: number;
  readonly packages: Readonly<Record<string, PackageVersions>>;
}

/** The tools each manager is recognised by. */
const MANAGER_COMMANDS: Readonly<Record<PackageManager, string>> = { apt: 'apt-get', dnf: 'dnf' };

function readScript(manager: PackageManager, names: readonly string[]): ShellCode {
  if (manager === 'apt') {
    return sh`s=/var/lib/apt/periodic/update-success-stamp; [ -e "$s" ] || s=/var/lib/apt/lists
printf 'cache\\t%s\\n' "$(stat -c %Y "$s" 2>/dev/null)"
for n in ${names}; do
printf 'installed\\t%s\\t%s\\n' "$n" "$(dpkg-query -W -f='\${db:Status-Status} \${Version}\\n' "$n" 2>/dev/null | head -n 1)"
printf 'candidate\\t%s\\t%s\\n' "$n" "$(apt-cache policy "$n" 2>/dev/null | sed -n 's/^ *Candidate: //p' | head -n 1)"
done`;
  }
  return sh`for n in ${names}; do
v=$(rpm -q --qf '%{EPOCHNUM}:%{VERSION}-%{RELEASE}\\n' "$n" 2>/dev/null | head -n 1) && printf 'installed\\t%s\\tinstalled %s\\n' "$n" "$v"
printf 'candidate\\t%s\\t%s\\n' "$n" "$(dnf -q repoquery --latest-limit 1 --qf '%{epoch}:%{version}-%{release}' "$n" 2>/dev/null | tail -n 1)"
done`;
}

/** dnf prints epoch 0 as `0:`; users and Ansible write versions without it. */
function withoutZeroEpoch(version: string): string {
  return version.replace(/^0:/, '');
}

export function parsePackageFacts(stdout: string, names: readonly string[]): PackageFacts {
  const available: PackageManager[] = [];
  let manager: PackageManager | undefined;
  let now = 0;
  let cacheUpdatedAt: number | undefined;
  const packages: Record<string, { installed?: string; candidate?: string; configFilesOnly?: boolean }> = {};
  for (const name of names) packages[name] = {};
  for (const line of stdout.split('\n')) {
    const [kind, first = '', second = ''] = line.split('\t');
    if (kind === 'has' && (PACKAGE_MANAGERS as readonly string[]).includes(first)) available.push(first as PackageManager);
    else if (kind === 'using' && (PACKAGE_MANAGERS as readonly string[]).includes(first)) manager = first as PackageManager;
    else if (kind === 'now') now = Number(first);
    else if (kind === 'cache' && /^\d+$/.test(first)) cacheUpdatedAt = Number(first);
    else if (kind === 'installed' && packages[first]) {
      const [status, version] = second.split(' ');
      if (status === 'installed' && version) packages[first].installed = withoutZeroEpoch(version);
      if (status === 'config-files') packages[first].configFilesOnly = true;
    } else if (kind === 'candidate' && packages[first] && second && second !== '(none)') {
      packages[first].candidate = withoutZeroEpoch(second);
    }
  }
  return { available, manager, now, cacheUpdatedAt, packages };
}

export const packageVersions = defineFact<PackageFactsArgs, PackageFacts>({
  name: 'package_versions',
  command({ manager, names }) {
    const detect = PACKAGE_MANAGERS.map((m) => `command -v ${MANAGER_COMMANDS[m]} >/dev/null 2>&1 && printf 'has\\t${m}\\n'`).join('\n');
    const wanted = manager === 'auto' ? PACKAGE_MANAGERS : [manager];
    const readers = wanted.map((m) => `${m === wanted[0] ? 'if' : 'elif'} command -v ${MANAGER_COMMANDS[m]} >/dev/null 2>&1; then\nprintf 'using\\t${m}\\n'\n${readScript(m, names).text}`);
    return `printf 'now\\t%s\\n' "$(date +%s)"\n${detect}\n${readers.join('\n')}\nfi\ntrue`;
  },
  parse(result, { names }) {
    requireSuccess(result, 'reading package versions');
    return parsePackageFacts(result.stdout, names);
  },
});
