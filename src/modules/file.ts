// file: a path's kind (directory, file, link, touched file, absent) and its owner, group and mode.
// One `stat` round trip to gather; apply runs one short script for the planned change.
import { type FileState, fileState } from '../facts/file-state.js';
import { ShellCode, joinCode, sh } from '../connection/shell-quote.js';
import { ChangeAction, type TaskPlan, noop } from '../plan/change.js';
import {
  type FileAttributeArgs,
  type FileAttributes,
  attributeDifferences,
  attributeScript,
  attributeText,
  fileAttributeProperties,
  wantedAttributes,
} from '../os/file-attributes.js';
import { defineModule } from './module.js';
import { TaskFailure } from './task-failure.js';

export type FileStateName = 'file' | 'directory' | 'absent' | 'link' | 'touch';

export interface FileArgs extends FileAttributeArgs {
  readonly path: string;
  readonly state?: FileStateName;
  readonly src?: string;
  readonly access_time?: 'now' | 'preserve';
  readonly modification_time?: 'now' | 'preserve';
}

/** The times state: touch sets on an existing path (Ansible's default: both, so it always changes). */
function touchedTimes(args: FileArgs): { access: boolean; modification: boolean } {
  return { access: args.access_time !== 'preserve', modification: args.modification_time !== 'preserve' };
}

function attributePlan(path: string, state: FileState, attrs: FileAttributes, isLink: boolean): TaskPlan {
  const diffs = attributeDifferences(attrs, state, isLink);
  if (!diffs.length) return noop(`${isLink ? 'link' : state.type} exists with the wanted attributes`, { path });
  const pick = (a: FileAttributes): FileAttributes => ({
    owner: attrs.owner !== undefined ? a.owner : undefined,
    group: attrs.group !== undefined ? a.group : undefined,
    mode: attrs.mode !== undefined && !isLink ? a.mode : undefined,
  });
  return {
    changes: [
      {
        action: ChangeAction.UPDATE,
        target: path,
        reason: diffs.join(', '),
        before: attributeText(pick({ owner: state.owner, group: state.group, mode: state.mode })),
        after: attributeText(pick(attrs)),
      },
    ],
  };
}

export function planFile(args: FileArgs, state: FileState): TaskPlan {
  const path = args.path;
  const wanted = args.state ?? 'file';
  const attrs = wantedAttributes(args);
  const created = (reason: string, after: string): TaskPlan => ({
    changes: [{ action: ChangeAction.CREATE, target: path, reason, before: '', after }],
  });
  switch (wanted) {
    case 'absent':
      if (state.type === 'absent') return noop('path does not exist', { path });
      return { changes: [{ action: ChangeAction.DELETE, target: path, reason: `${state.type} exists`, before: `${state.type}\n`, after: '' }] };
    case 'directory':
      if (state.type === 'absent') return created('directory does not exist', `directory\n${attributeText(attrs)}`);
      if (state.type !== 'directory') throw new TaskFailure(`${path} exists as a ${state.type}, not a directory`);
      return attributePlan(path, state, attrs, false);
    case 'file':
      if (state.type === 'absent') throw new TaskFailure(`${path} does not exist; use state: touch to create an empty file`);
      if (state.type !== 'file') throw new TaskFailure(`${path} is a ${state.type}, not a file`);
      return attributePlan(path, state, attrs, false);
    case 'touch': {
      if (state.type === 'absent') return created('file does not exist', `file\n${attributeText(attrs)}`);
      // As Ansible: an existing path gets new times (a change every run) unless both are preserved.
      const times = touchedTimes(args);
      if (!times.access && !times.modification) return attributePlan(path, state, attrs, false);
      const which = [times.access ? 'access' : '', times.modification ? 'modification' : ''].filter(Boolean).join(' and ');
      const reason = [`${which} time set to now`, ...attributeDifferences(attrs, state)].join(', ');
      return { changes: [{ action: ChangeAction.UPDATE, target: path, reason, before: '', after: '' }] };
    }
    case 'link': {
      if (args.src === undefined) throw new TaskFailure('state: link needs src (where the link points)');
      const after = `-> ${args.src}\n`;
      if (state.type === 'absent') return created('link does not exist', after);
      if (state.type === 'directory') throw new TaskFailure(`${path} is a directory; remove it before making a link there`);
      if (state.type !== 'link') {
        return { changes: [{ action: ChangeAction.REPLACE, target: path, reason: `is a ${state.type}, not a link`, before: `${state.type}\n`, after }] };
      }
      if (state.linkTarget !== args.src) {
        return {
          changes: [
            {
              action: ChangeAction.REPLACE,
              target: path,
              reason: `points to ${state.linkTarget}, not ${args.src}`,
              before: `-> ${state.linkTarget}\n`,
              after,
            },
          ],
        };
      }
      return attributePlan(path, state, attrs, true);
    }
  }
}

function touchCommand(args: FileArgs): ShellCode {
  const times = touchedTimes(args);
  return new ShellCode(times.access && times.modification ? 'touch' : times.access ? 'touch -a' : 'touch -m');
}

/** Each missing folder down to `path`, created with the wanted attributes, as Ansible does for the parents too. */
function createDirectory(path: string, attrs: FileAttributes): ShellCode {
  const parts = path.split('/').filter(Boolean);
  const folders = parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}`);
  return joinCode(folders.map((folder) => sh`if [ ! -e ${folder} ]; then\nmkdir -- ${folder}\n${attributeScript(folder, attrs)}\nfi`));
}

function changeScript(args: FileArgs, action: ChangeAction): ShellCode {
  const attrs = wantedAttributes(args);
  const isLink = args.state === 'link';
  const set = attributeScript(args.path, attrs, isLink);
  switch (action) {
    case ChangeAction.DELETE:
      return sh`rm -rf -- ${args.path}`;
    case ChangeAction.UPDATE:
      return args.state === 'touch' ? sh`${touchCommand(args)} -- ${args.path}\n${set}` : set;
    default:
      if (isLink) return sh`ln -sfn -- ${args.src as string} ${args.path}\n${set}`;
      if (args.state === 'directory') return createDirectory(args.path, attrs);
      return sh`touch -- ${args.path}\n${set}`;
  }
}

export const fileModule = defineModule<FileArgs, FileState>({
  name: 'file',
  aliases: { dest: 'path', name: 'path' },
  description: 'Make a path a directory, a file, a symbolic link or absent, with exact owner, group and mode.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: { type: 'string', pattern: '^/', description: 'Absolute path on the host (a relative one is refused, as in Ansible).' },
      state: {
        type: 'string',
        enum: ['file', 'directory', 'absent', 'link', 'touch'],
        description:
          'directory (created with its missing parents, each with the owner, group and mode given, as Ansible does), file (must exist; sets attributes), touch (created empty if missing; an existing one gets its access and modification times set to now, a change every run, unless both are preserve), link (symbolic link to src), absent (removed recursively). Default: file.',
      },
      access_time: { type: 'string', enum: ['now', 'preserve'], description: "With state: touch, set the access time to now (default) or keep it (a timestamp is not supported)." },
      modification_time: { type: 'string', enum: ['now', 'preserve'], description: "With state: touch, set the modification time to now (default) or keep it; both preserve make touch idempotent." },
      src: { type: 'string', description: 'For state: link, the path the link points to, written as is.' },
      ...fileAttributeProperties,
    },
  },
  example: `- name: Data directory
  file:
    path: /var/lib/etcd
    state: directory
    owner: etcd
    group: etcd
    mode: "0700"
`,
  idempotent: true,
  readsAhead: true,
  gather: (args, ctx) => ctx.facts.read(fileState, { path: args.path }),
  plan: (args, facts) => planFile(args, facts),
  async apply(args, plan, ctx) {
    const change = plan.changes[0];
    if (!change) return { changed: false, result: plan.result };
    const out = await ctx.connection.exec(`set -e\n${changeScript(args, change.action).text}`, { become: ctx.become });
    if (out.code !== 0) return { changed: false, failed: true, msg: `${args.path}: ${out.stderr.trim()}` };
    return { changed: true, result: { path: args.path, state: args.state ?? 'file' } };
  },
});
