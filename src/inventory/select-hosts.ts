// Resolves a host pattern (and an optional `--limit`) to host names with Ansible 2.14's semantics and order:
// a group contributes its own hosts, then its descendants' level by level; terms add, intersect or exclude.
import { ExitCode } from '../errors/exit-code.js';
import { UserError } from '../errors/user-error.js';
import type { Inventory } from './inventory.js';
import { HostPatternError, parseHostPattern, splitHostPattern, TermKind, type PatternTerm } from './host-pattern.js';

/** Names Ansible treats as the implicit localhost when the inventory does not list them. */
const localhostNames = new Set(['localhost', '127.0.0.1', '::1']);

export interface SelectOptions {
  /** A `--limit` pattern: the result keeps only hosts it also matches, in the main pattern's order. */
  readonly limit?: string;
}

const groupHostCache = new WeakMap<Inventory, Map<string, readonly string[]>>();

/** Hosts of a group and of all its descendants, breadth first: the order Ansible uses. */
export function groupHosts(inventory: Inventory, name: string): readonly string[] {
  let cache = groupHostCache.get(inventory);
  if (!cache) {
    cache = new Map();
    groupHostCache.set(inventory, cache);
  }
  const known = cache.get(name);
  if (known) return known;
  const group = inventory.groups.get(name);
  if (!group) return [];
  const ordered = [name];
  const seenGroups = new Set(ordered);
  let level = [name];
  while (level.length > 0) {
    const next: string[] = [];
    for (const parent of level) {
      for (const child of inventory.groups.get(parent)?.children ?? []) {
        if (seenGroups.has(child)) continue;
        seenGroups.add(child);
        ordered.push(child);
        next.push(child);
      }
    }
    level = next;
  }
  const seenHosts = new Set<string>();
  const hosts: string[] = [];
  for (const groupName of ordered) {
    for (const host of inventory.groups.get(groupName)!.hosts) {
      if (seenHosts.has(host)) continue;
      seenHosts.add(host);
      hosts.push(host);
    }
  }
  cache.set(name, hosts);
  return hosts;
}

/**
 * Host names matching `pattern` (and `options.limit`), without duplicates. A pattern matching nothing gives
 * []; bad syntax or an out-of-range single subscript throws HostPatternError (exit code 5). As in Ansible, a
 * pattern naming `localhost` when the inventory has no such host yields it as an implicit local host.
 */
export function selectHosts(inventory: Inventory, pattern: string, options: SelectOptions = {}): string[] {
  let hosts = unique(evaluate(inventory, parseHostPattern(pattern), pattern));
  if (options.limit !== undefined && splitHostPattern(options.limit).length > 0) {
    const allowed = new Set(evaluate(inventory, parseHostPattern(options.limit), options.limit));
    hosts = hosts.filter((host) => allowed.has(host));
  }
  return hosts;
}

function evaluate(inventory: Inventory, terms: readonly PatternTerm[], pattern: string): string[] {
  let hosts: string[] = [];
  for (const term of terms) {
    if (term.kind === TermKind.UNION && inventory.hosts.has(term.text)) {
      hosts.push(term.text);
      continue;
    }
    const matched = matchTerm(inventory, term, pattern);
    if (term.kind === TermKind.INTERSECTION) {
      const keep = new Set(matched);
      hosts = hosts.filter((host) => keep.has(host));
    } else if (term.kind === TermKind.EXCLUSION) {
      const drop = new Set(matched);
      hosts = hosts.filter((host) => !drop.has(host));
    } else {
      const existing = new Set(hosts);
      for (const host of matched) if (!existing.has(host)) hosts.push(host);
    }
  }
  return hosts;
}

function matchTerm(inventory: Inventory, term: PatternTerm, pattern: string): readonly string[] {
  const results: string[] = [];
  let groupMatched = false;
  for (const name of inventory.groups.keys()) {
    if (!term.matches(name)) continue;
    groupMatched = true;
    results.push(...groupHosts(inventory, name));
  }
  // A wildcard or regex may name hosts as well as groups; a plain word names hosts only if no group has that name.
  if (!groupMatched || /^~|[.?*[]/.test(term.expression)) {
    for (const name of inventory.hosts.keys()) if (term.matches(name)) results.push(name);
  }
  if (results.length === 0 && localhostNames.has(term.expression)) results.push(term.expression);
  return applySubscript(results, term, pattern);
}

function applySubscript(hosts: string[], term: PatternTerm, pattern: string): string[] {
  const subscript = term.subscript;
  if (hosts.length === 0 || !subscript) return hosts;
  // Like Ansible, `[a:0]` reads as the single index `a`.
  if (subscript.end) {
    const end = subscript.end === -1 ? hosts.length - 1 : subscript.end;
    return hosts.slice(subscript.start, end + 1);
  }
  const index = subscript.start < 0 ? hosts.length + subscript.start : subscript.start;
  if (index < 0 || index >= hosts.length) throw new HostPatternError(`no host at index ${subscript.start} of '${term.expression}' (${hosts.length} hosts)`, pattern);
  return [hosts[index]!];
}

function unique(hosts: readonly string[]): string[] {
  return [...new Set(hosts)];
}

/** Ansible's words when `--limit` leaves no host of the inventory at all. */
export const NO_HOSTS_TO_TARGET = 'Specified inventory, host pattern and/or --limit leaves us with no hosts to target.';

/**
 * As ansible-playbook does before anything else: a `--limit` that selects no host of a non-empty inventory
 * is an error (exit 1), not a run that does nothing and succeeds.
 */
export function requireLimitMatches(inventory: Inventory, limit: string | undefined): void {
  if (limit === undefined || inventory.hosts.size === 0) return;
  if (selectHosts(inventory, 'all', { limit }).length === 0) throw new UserError(`${NO_HOSTS_TO_TARGET} (--limit '${limit}')`, ExitCode.ERROR);
}
