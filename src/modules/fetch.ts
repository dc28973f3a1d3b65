// fetch: copies a file from the host to the control node (dest/HOST/src, or dest itself with flat),
// written atomically with the remote file's mode; skipped when the local copy already has the same sha256.
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { type FileState, fileState } from '../facts/file-state.js';
import { ChangeAction, type TaskPlan, noop } from '../plan/change.js';
import { sha256 } from '../os/content-diff.js';
import { type ModuleContext, defineModule } from './module.js';
import { TaskFailure } from './task-failure.js';

export interface FetchArgs {
  readonly src: string;
  readonly dest: string;
  readonly flat?: boolean;
  readonly fail_on_missing?: boolean;
}

export interface FetchFacts {
  readonly remote: FileState;
  /** sha256 of the local copy, or null when there is none. */
  readonly localSha256: string | null;
}

export function fetchDestination(args: FetchArgs, host: string): string {
  if (!args.flat) {
    // join() resolves '..': a src such as /../../x (or a host name with one) would land outside dest/HOST.
    const folder = join(args.dest, host);
    const dest = join(folder, args.src);
    const [first, ...rest] = relative(args.dest, dest).split(sep);
    if (first !== host || rest.length === 0 || rest[0] === '..') {
      throw new TaskFailure(`fetch: src ${args.src} of ${host} would be written to ${dest}, outside ${args.dest}/${host}: name the file without '..', or use flat: true with a dest of your own`);
    }
    return dest;
  }
  return args.dest.endsWith('/') ? join(args.dest, basename(args.src)) : args.dest;
}

export function planFetch(args: FetchArgs, facts: FetchFacts, ctx: Pick<ModuleContext, 'host'>): TaskPlan {
  const dest = fetchDestination(args, ctx.host);
  if (facts.remote.type !== 'file') {
    const msg = `${args.src} ${facts.remote.type === 'absent' ? 'does not exist' : `is a ${facts.remote.type}`} on ${ctx.host}`;
    if (args.fail_on_missing === false) return noop(msg, { src: args.src, dest });
    throw new TaskFailure(msg);
  }
  const result = { src: args.src, dest, checksum: facts.remote.sha256, mode: facts.remote.mode ?? OWNER_ONLY };
  if (facts.localSha256 === null) {
    return { changes: [{ action: ChangeAction.CREATE, target: `control node: ${dest}`, reason: 'no local copy yet' }], result };
  }
  if (facts.localSha256 !== facts.remote.sha256) {
    return { changes: [{ action: ChangeAction.REPLACE, target: `control node: ${dest}`, reason: 'local copy differs' }], result };
  }
  return noop('local copy matches', result);
}

const OWNER_ONLY = '0600';

/**
 * Writes `data` to `dest` through a temp file created exclusively (O_EXCL, a random name, 0600 from the
 * start, so neither a planted link nor the umask decides who can read a fetched key), given `mode`, then
 * renamed into place.
 */
export function writeFetchedFile(dest: string, data: Buffer, mode: string): void {
  mkdirSync(dirname(dest), { recursive: true });
  const temp = join(dirname(dest), `.${basename(dest)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o600);
  let open = true;
  try {
    writeFileSync(fd, data);
    fchmodSync(fd, Number.parseInt(mode, 8) & 0o777);
    closeSync(fd);
    open = false;
    renameSync(temp, dest);
  } catch (error) {
    if (open) closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
}

function localSha256(path: string): string | null {
  try {
    return sha256(readFileSync(path));
  } catch {
    return null;
  }
}

export const fetchModule = defineModule<FetchArgs, FetchFacts>({
  name: 'fetch',
  description: 'Copy a file from the host to the control node (one folder per host unless flat).',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['src', 'dest'],
    properties: {
      src: { type: 'string', description: 'File on the host.' },
      dest: { type: 'string', description: 'Folder (or, with flat, file) on the control node.' },
      flat: { type: 'boolean', description: 'Write to dest itself instead of dest/HOST/src (a trailing "/" keeps the file name).' },
      fail_on_missing: { type: 'boolean', description: 'Fail when src does not exist (default true).' },
    },
  },
  example: `- name: Bring back the CA certificate
  fetch:
    src: /etc/etcd/pki/ca.crt
    dest: artifacts/ca.crt
    flat: true
`,
  idempotent: true,
  async gather(args, ctx) {
    const remote = await ctx.facts.read(fileState, { path: args.src, checksum: true });
    return { remote, localSha256: localSha256(fetchDestination(args, ctx.host)) };
  },
  plan: (args, facts, ctx) => planFetch(args, facts, ctx),
  async apply(args, plan, ctx) {
    if (!plan.changes.length) return { changed: false, result: plan.result };
    const dest = fetchDestination(args, ctx.host);
    const data = await ctx.connection.fetchFile(args.src, { become: ctx.become });
    writeFetchedFile(dest, data, String(plan.result?.mode ?? OWNER_ONLY));
    return { changed: true, result: { ...plan.result, checksum: sha256(data) } };
  },
});
