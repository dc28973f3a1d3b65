// Owner, group and mode as asked for by file-like modules: schema, normalisation, comparison with what
// a host has, and the shell code that sets them.
import type { FileState } from '../facts/file-state.js';
import { ShellCode, sh, joinCode } from '../connection/shell-quote.js';
import { TaskFailure } from '../modules/task-failure.js';

export interface FileAttributeArgs {
  readonly owner?: string;
  readonly group?: string;
  readonly mode?: string | number;
}

/** Wanted attributes, with the mode as four octal digits. */
export interface FileAttributes {
  readonly owner?: string;
  readonly group?: string;
  readonly mode?: string;
}

export const fileAttributeProperties = {
  owner: { type: 'string', description: 'Owner of the file, as a user name or a numeric uid.' },
  group: { type: 'string', description: 'Group of the file, as a group name or a numeric gid.' },
  mode: {
    type: ['string', 'integer'],
    pattern: '^0?[0-7]{3,4}$',
    description:
      'Permissions in octal, e.g. "0644". Quote it: an unquoted number is read by its written digits (644 and 0644 both mean 0644). Symbolic modes (u=rw,g=r, u+x) and preserve are not supported: write the octal mode.',
  },
} as const;

/** "0644", "644", 644 and 0644-read-as-decimal all become "0644"; anything not octal is an error. */
export function normaliseMode(mode: string | number | undefined): string | undefined {
  if (mode === undefined) return undefined;
  const text = String(mode);
  if (!/^0?[0-7]{3,4}$/.test(text)) {
    throw new TaskFailure(`mode ${JSON.stringify(mode)} is not an octal mode such as "0644" (symbolic modes are not supported: write the octal mode)`);
  }
  return text.replace(/^0(?=[0-7]{4}$)/, '').padStart(4, '0');
}

export function wantedAttributes(args: FileAttributeArgs): FileAttributes {
  return { owner: args.owner, group: args.group, mode: normaliseMode(args.mode) };
}

const matches = (wanted: string, name: string | undefined, id: number | undefined): boolean =>
  /^\d+$/.test(wanted) ? Number(wanted) === id : wanted === name;

/** The attributes that differ, each as "mode 0644 → 0600"; empty when they all match. */
export function attributeDifferences(wanted: FileAttributes, state: FileState, ignoreMode = false): string[] {
  const out: string[] = [];
  if (wanted.owner !== undefined && !matches(wanted.owner, state.owner, state.uid)) {
    out.push(`owner ${state.owner} → ${wanted.owner}`);
  }
  if (wanted.group !== undefined && !matches(wanted.group, state.group, state.gid)) {
    out.push(`group ${state.group} → ${wanted.group}`);
  }
  if (!ignoreMode && wanted.mode !== undefined && state.mode !== wanted.mode) {
    out.push(`mode ${state.mode} → ${wanted.mode}`);
  }
  return out;
}

/** Attributes as diff text, one per line, for the before/after of an attribute-only change. */
export function attributeText(attrs: FileAttributes): string {
  return (['owner', 'group', 'mode'] as const)
    .filter((k) => attrs[k] !== undefined)
    .map((k) => `${k}: ${attrs[k]}\n`)
    .join('');
}

/** Shell code setting the wanted attributes on `path` (`-h` acts on a link itself, not its target). */
export function attributeScript(path: string, wanted: FileAttributes, link = false): ShellCode {
  const parts: ShellCode[] = [];
  const h = new ShellCode(link ? '-h ' : '');
  if (wanted.owner !== undefined) {
    const spec = wanted.group !== undefined ? `${wanted.owner}:${wanted.group}` : wanted.owner;
    parts.push(sh`chown ${h}${spec} -- ${path}`);
  } else if (wanted.group !== undefined) {
    parts.push(sh`chgrp ${h}${wanted.group} -- ${path}`);
  }
  if (wanted.mode !== undefined && !link) parts.push(sh`chmod ${wanted.mode} -- ${path}`);
  return parts.length ? joinCode(parts) : new ShellCode(':');
}
