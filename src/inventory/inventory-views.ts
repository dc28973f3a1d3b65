// The views `etcdops inventory` prints, shaped like ansible-inventory's so existing tooling can read them:
// `--list` JSON (groups with hosts/children, `_meta.hostvars`), `--graph` text, and one host's variables.
import type { Inventory } from './inventory.js';
import { groupHosts } from './select-hosts.js';

export interface AnsibleListGroup {
  readonly hosts?: readonly string[];
  readonly children?: readonly string[];
}

export type AnsibleList = Readonly<Record<string, AnsibleListGroup>> & {
  readonly _meta: { readonly hostvars: Readonly<Record<string, Readonly<Record<string, unknown>>>> };
};

/** The same shape as `ansible-inventory --list`: empty groups and hosts without variables are left out. */
export function toAnsibleList(inventory: Inventory): AnsibleList {
  const result: Record<string, AnsibleListGroup> = {};
  const seen = new Set<string>();
  const visit = (name: string): void => {
    const group = inventory.groups.get(name)!;
    const entry: { hosts?: readonly string[]; children?: readonly string[] } = {};
    if (name !== 'all' && group.hosts.length > 0) entry.hosts = group.hosts;
    if (group.children.length > 0) entry.children = group.children;
    if (entry.hosts || entry.children) result[name] = entry;
    for (const child of group.children) {
      if (seen.has(child)) continue;
      seen.add(child);
      visit(child);
    }
  };
  visit('all');
  const hostvars: Record<string, Readonly<Record<string, unknown>>> = {};
  for (const name of groupHosts(inventory, 'all')) {
    const vars = inventory.hosts.get(name)!.vars;
    if (Object.keys(vars).length > 0) hostvars[name] = vars;
  }
  return { ...result, _meta: { hostvars } } as AnsibleList;
}

/** The tree `ansible-inventory --graph` draws, starting at `root`. */
export function renderGraph(inventory: Inventory, root = 'all'): string {
  const lines: string[] = [];
  const indent = (depth: number, text: string): string => (depth === 0 ? text : `${'  |'.repeat(depth)}--${text}`);
  const visit = (name: string, depth: number): void => {
    const group = inventory.groups.get(name)!;
    lines.push(indent(depth, `@${name}:`));
    for (const child of group.children) visit(child, depth + 1);
    if (name !== 'all') for (const host of group.hosts) lines.push(indent(depth + 1, host));
  };
  visit(root, 0);
  return lines.join('\n');
}

/** JSON with keys sorted at every level and four-space indents, as ansible-inventory prints it. */
export function toSortedJson(value: unknown): string {
  const sort = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(sort);
    if (node && typeof node === 'object' && !(node instanceof Date)) {
      return Object.fromEntries(
        Object.keys(node)
          .sort()
          .map((key) => [key, sort((node as Record<string, unknown>)[key])]),
      );
    }
    return node;
  };
  return JSON.stringify(sort(value), null, 4);
}
