// "Did you mean X?" hints: the closest known name by edit distance, when it is close enough to be a typo.

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The closest candidate within a third of the word's length (at least 2 edits), or undefined. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.ceil(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** ` (did you mean 'x'?)` or an empty string. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const best = closest(word, candidates);
  return best ? ` (did you mean '${best}'?)` : '';
}

/** Other names Ansible users give the modules etcdops has (Ansible 2.14's own aliases and near relatives). */
const MODULE_RELATIVES: Readonly<Record<string, readonly string[]>> = {
  systemd_service: ['systemd', 'service'],
  sysvinit: ['service', 'systemd'],
  systemctl: ['systemd', 'service'],
  services: ['service', 'systemd'],
  replace: ['lineinfile', 'blockinfile'],
  get_uri: ['uri', 'get_url'],
  win_ping: ['ping'],
};

/**
 * Real Ansible modules etcdops does not provide: a typo check would "correct" them into an unrelated
 * module (pip → ping, ufw → uri, tar → raw), so they get no suggestion but are named as what they are.
 */
const OTHER_ANSIBLE_MODULES = new Set([
  'apk', 'apt', 'apt_key', 'apt_repository', 'archive', 'assemble', 'authorized_key', 'cron', 'dnf', 'expect', 'find',
  'firewalld', 'git', 'hostname', 'iptables', 'known_hosts', 'locale_gen', 'modprobe', 'mount', 'package', 'package_facts',
  'pip', 'reboot', 'script', 'seboolean', 'selinux', 'service_facts', 'slurp', 'snap', 'synchronize', 'sysctl', 'tar',
  'tempfile', 'timezone', 'ufw', 'uri_facts', 'yum', 'yum_repository', 'zypper',
]);

/** True when b is a with two neighbouring letters swapped. */
function swapped(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff = [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
  return diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]!] && a[diff[1]!] === b[diff[0]!];
}

/** ` (did you mean 'x'?)` for an unknown module name, never pointing at an unrelated module. */
export function suggestModule(name: string, known: readonly string[]): string {
  const relatives = (MODULE_RELATIVES[name] ?? []).filter((candidate) => known.includes(candidate));
  if (relatives.length) return ` (did you mean ${relatives.map((r) => `'${r}'`).join(' or ')}?)`;
  if (OTHER_ANSIBLE_MODULES.has(name)) return ` ('${name}' is an Ansible module etcdops does not provide)`;
  // Short names are a few edits from many others: only a one-letter slip or two swapped letters count there.
  const slip = (candidate: string): boolean => editDistance(name.toLowerCase(), candidate.toLowerCase()) <= 1 || swapped(name.toLowerCase(), candidate.toLowerCase());
  const best = name.length <= 4 ? known.find(slip) : closest(name, known);
  if (best === undefined) return '';
  return ` (did you mean '${best}'?)`;
}
