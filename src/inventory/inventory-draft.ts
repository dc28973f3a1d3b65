// The mutable inventory a loader fills in, with Ansible's rules for group membership: every group without
// a parent hangs under `all`, hosts in no group land in `ungrouped`, and group nesting may not loop. It holds
// at most MAX_HOSTS hosts, however many files and ranges add them.
import { ParseError, type SourceLocation } from '../errors/user-error.js';
import { MAX_HOSTS } from '../yaml/input-limits.js';

export interface GroupDraft {
  readonly name: string;
  readonly hosts: string[];
  readonly hostSet: Set<string>;
  readonly children: string[];
  readonly parents: string[];
  /** Variables written inline in the inventory file. */
  readonly vars: Record<string, unknown>;
  /** `ansible_group_priority`: orders groups of the same depth. */
  priority: number;
}

export interface HostDraft {
  readonly name: string;
  /** Variables written inline in the inventory file (including a `:port` suffix as `ansible_port`). */
  readonly vars: Record<string, unknown>;
  /** Groups the host is listed in directly. */
  readonly groups: string[];
  /** The inventory file that listed the host first (Ansible's `inventory_file` for it). */
  readonly file?: string;
}

/**
 * Why a host name cannot be used, or null. The name becomes a path component on the control node (fetch's
 * dest/HOST, adopt's host_vars/HOST.yml) and on backup targets, and an etcd member name pasted into
 * initial-cluster (`name=url,...`) and a word of the scheduled inspection's command line: a '/', '..', a ','
 * or '=', a space or a control character there would write outside the folder, forge a member, add an
 * argument or add a line to a file.
 */
export function unsafeHostName(name: string): string | null {
  const shown = JSON.stringify(name).slice(1, -1);
  const why = (what: string) =>
    `host name '${shown}' ${what}: host names are also file names (fetch, host_vars, backups) and etcd member names; rename the host and give its address in ansible_host`;
  if (name.trim() === '') return why('is empty');
  if (name === '.' || name === '..') return why(`is '${name}', which names a folder, not a file, for files named after the host`);
  if (/[\x00-\x1f\x7f]/.test(name)) return why('holds a control character (a newline, a tab...)');
  if (/\s/.test(name)) return why('holds a space, which splits it into two words on a command line or in a unit file');
  const bad = ['/', '\\', ',', '='].find((c) => name.includes(c));
  if (bad) return why(`holds '${bad}'${bad === '/' || bad === '\\' ? ', a folder separator in files named after the host' : ', which etcd reads as a separator in its member list'}`);
  return null;
}

export class InventoryDraft {
  readonly groups = new Map<string, GroupDraft>();
  readonly hosts = new Map<string, HostDraft>();

  constructor() {
    this.addGroup('all');
    this.addGroup('ungrouped');
    this.addChild('all', 'ungrouped');
  }

  addGroup(name: string): GroupDraft {
    let group = this.groups.get(name);
    if (!group) {
      group = { name, hosts: [], hostSet: new Set(), children: [], parents: [], vars: {}, priority: 1 };
      this.groups.set(name, group);
    }
    return group;
  }

  /** Adds a host to a group; `where` is the line that lists it, named when the inventory gets too large. */
  addHost(name: string, groupName: string, port?: number, where?: SourceLocation): HostDraft {
    let host = this.hosts.get(name);
    if (!host) {
      const unsafe = unsafeHostName(name);
      if (unsafe) throw new ParseError(unsafe, where);
      if (this.hosts.size >= MAX_HOSTS) throw new ParseError(`the inventory lists more than ${MAX_HOSTS} hosts, the most etcdops takes`, where);
      host = { name, vars: port === undefined ? {} : { ansible_port: port }, groups: [], file: where?.file };
      this.hosts.set(name, host);
    }
    const group = this.groups.get(groupName)!;
    if (!group.hostSet.has(name)) {
      group.hostSet.add(name);
      group.hosts.push(name);
      host.groups.push(groupName);
    }
    return host;
  }

  /** Makes `child` a child group of `parent`; returns an explanation instead when that would create a loop. */
  addChild(parentName: string, childName: string): string | undefined {
    const parent = this.groups.get(parentName)!;
    const child = this.groups.get(childName)!;
    if (parent.children.includes(childName)) return undefined;
    if (parentName === childName || this.ancestors(parentName).has(childName)) {
      return `adding group '${childName}' as a child of '${parentName}' creates a loop`;
    }
    parent.children.push(childName);
    child.parents.push(parentName);
    return undefined;
  }

  ancestors(name: string): Set<string> {
    const seen = new Set<string>();
    const queue = [...this.groups.get(name)!.parents];
    while (queue.length > 0) {
      const next = queue.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...this.groups.get(next)!.parents);
    }
    return seen;
  }

  /** Applies Ansible's membership rules once everything is loaded. */
  reconcile(): void {
    for (const group of this.groups.values()) {
      if (group.name !== 'all' && group.parents.length === 0) this.addChild('all', group.name);
    }
    const ungrouped = this.groups.get('ungrouped')!;
    for (const host of this.hosts.values()) {
      const elsewhere = host.groups.some((name) => name !== 'all' && name !== 'ungrouped');
      if (elsewhere && ungrouped.hostSet.has(host.name)) {
        ungrouped.hostSet.delete(host.name);
        ungrouped.hosts.splice(ungrouped.hosts.indexOf(host.name), 1);
        host.groups.splice(host.groups.indexOf('ungrouped'), 1);
      } else if (!elsewhere && !ungrouped.hostSet.has(host.name)) {
        this.addHost(host.name, 'ungrouped');
      }
    }
  }

  /** Depth of each group: the longest chain of parents up to `all` (which has depth 0). */
  depths(): Map<string, number> {
    const depths = new Map<string, number>();
    const visit = (name: string): number => {
      const known = depths.get(name);
      if (known !== undefined) return known;
      const parents = this.groups.get(name)!.parents;
      const depth = parents.length === 0 ? 0 : Math.max(...parents.map((parent) => visit(parent) + 1));
      depths.set(name, depth);
      return depth;
    };
    for (const name of this.groups.keys()) visit(name);
    return depths;
  }
}
