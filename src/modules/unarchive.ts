// unarchive: extracts a tar archive (from the host with remote_src, or streamed from the control node)
// under an existing folder. Idempotent through `creates`, or by checking every archive member is present.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { archiveExtracted } from '../facts/archive-extracted.js';
import { pathsExist } from '../facts/paths-exist.js';
import { sh, type ShellCode } from '../connection/shell-quote.js';
import { ChangeAction, type TaskPlan, noop } from '../plan/change.js';
import { type ModuleContext, defineModule } from './module.js';
import { resolveSource } from '../playbook/source-path.js';

export interface UnarchiveArgs {
  readonly src: string;
  readonly dest: string;
  readonly remote_src?: boolean;
  readonly creates?: string;
}

export interface UnarchiveFacts {
  /** True when `creates` exists (nothing else is then read). */
  readonly created?: boolean;
  /** False when the archive is not on the host yet (an earlier task downloads it). */
  readonly archive: boolean;
  readonly members: number;
  readonly missing: readonly string[];
}

const SHOWN = 20;

export function planUnarchive(args: UnarchiveArgs, facts: UnarchiveFacts): TaskPlan {
  const result = { src: args.src, dest: args.dest };
  if (facts.created) return noop(`${args.creates} exists`, result);
  if (!facts.archive) {
    return { changes: [{ action: ChangeAction.CREATE, target: args.dest, reason: `archive ${args.src} is not on the host yet` }], result };
  }
  if (!facts.missing.length) return noop(`all ${facts.members} archive members are present under ${args.dest}`, result);
  const shown = facts.missing.slice(0, SHOWN);
  const more = facts.missing.length > SHOWN ? `... and ${facts.missing.length - SHOWN} more\n` : '';
  return {
    changes: [
      {
        action: facts.missing.length === facts.members ? ChangeAction.CREATE : ChangeAction.UPDATE,
        target: args.dest,
        reason: `${facts.missing.length} of ${facts.members} archive members missing`,
        before: '',
        after: shown.map((m) => `${m}\n`).join('') + more,
      },
    ],
    result,
  };
}

/** tar cannot guess the compression of a stream, so it is told from the file name. */
function compressionFlag(src: string): string[] {
  if (/\.(tgz|gz)$/.test(src)) return ['-z'];
  if (/\.(txz|xz)$/.test(src)) return ['-J'];
  if (/\.(tbz2?|bz2)$/.test(src)) return ['-j'];
  return [];
}

function localArchive(args: UnarchiveArgs, ctx: ModuleContext): string {
  return resolveSource(args.src, ctx, 'files');
}

/**
 * Extraction does not keep the archive's owners: files belong to the user running the task. A src with a
 * colon is a local file, never tar's HOST:PATH remote archive (--force-local).
 */
export function unarchiveCommand(args: UnarchiveArgs): ShellCode {
  const source = args.remote_src ? args.src : '-';
  return sh`tar -x ${compressionFlag(args.src)} --no-same-owner --force-local -f ${source} -C ${args.dest}`;
}

export const unarchiveModule = defineModule<UnarchiveArgs, UnarchiveFacts>({
  name: 'unarchive',
  description: 'Extract a tar archive (.tar, .tar.gz, .tar.xz, .tar.bz2) into an existing folder on the host.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['src', 'dest'],
    properties: {
      src: { type: 'string', description: 'The archive: on the host with remote_src: true, else on the control node.' },
      dest: { type: 'string', description: 'Existing folder on the host to extract into.' },
      remote_src: { type: 'boolean', description: 'src is a path on the host (e.g. downloaded by get_url) rather than on the control node.' },
      creates: {
        type: 'string',
        description: 'A path; when it exists nothing is extracted. Without it, extraction happens when any archive member is missing.',
      },
    },
  },
  example: `- name: Unpack etcd
  unarchive:
    src: /tmp/etcd-v3.5.16-linux-amd64.tar.gz
    dest: /opt
    remote_src: true
    creates: /opt/etcd-v3.5.16-linux-amd64/etcd
`,
  idempotent: true,
  async gather(args, ctx) {
    if (args.creates !== undefined) {
      const exists = await ctx.facts.read(pathsExist, { paths: [args.creates] });
      if (exists[args.creates]) return { created: true, archive: true, members: 0, missing: [] };
    }
    if (args.remote_src) {
      const state = await ctx.facts.read(archiveExtracted, { src: args.src, dest: args.dest });
      return state.archive ? { archive: true, members: state.members, missing: state.missing } : { archive: false, members: 0, missing: [] };
    }
    const members = execFileSync('tar', ['-tf', localArchive(args, ctx)], { encoding: 'utf8' }).split('\n').filter(Boolean);
    const present = await ctx.facts.read(pathsExist, { paths: members.map((m) => join(args.dest, m)) });
    return { archive: true, members: members.length, missing: members.filter((m) => !present[join(args.dest, m)]) };
  },
  plan: (args, facts) => planUnarchive(args, facts),
  async apply(args, plan, ctx) {
    if (!plan.changes.length) return { changed: false, result: plan.result };
    const stdin = args.remote_src ? undefined : readFileSync(localArchive(args, ctx));
    const out = await ctx.connection.exec(unarchiveCommand(args).text, { become: ctx.become, ...(stdin ? { stdin } : {}) });
    if (out.code !== 0) return { changed: false, failed: true, msg: out.stderr.trim(), result: plan.result };
    return { changed: true, result: plan.result };
  },
});
