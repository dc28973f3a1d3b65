// get_url: downloads a URL on the host (curl or wget), verifies its sha256, sets owner and mode, and
// renames it into place. Nothing is downloaded when the destination already has the right checksum.
import { type DownloadState, downloadState } from '../facts/download-state.js';
import { shownUrl, urlFromStdinFetchScript, urlOnStdin } from '../facts/url-fetch-script.js';
import { atomicWriteScript } from '../connection/atomic-write-script.js';
import { ShellCode, sh } from '../connection/shell-quote.js';
import { ChangeAction, type TaskPlan, noop } from '../plan/change.js';
import { checksumFromList, parseChecksum } from '../os/checksum-spec.js';
import {
  type FileAttributeArgs,
  attributeDifferences,
  attributeScript,
  fileAttributeProperties,
  wantedAttributes,
} from '../os/file-attributes.js';
import { defineModule } from './module.js';
import { TaskFailure } from './task-failure.js';

export interface GetUrlArgs extends FileAttributeArgs {
  readonly url: string;
  readonly dest: string;
  readonly checksum?: string;
  readonly timeout?: number;
}

export function planGetUrl(args: GetUrlArgs, facts: DownloadState): TaskPlan {
  const spec = parseChecksum(args.checksum);
  const expected =
    spec.kind === 'hex' ? spec.sha256 : spec.kind === 'list' ? checksumFromList(facts.checksumList ?? '', args.url) : undefined;
  const result = { url: shownUrl(args.url), dest: args.dest, ...(expected ? { checksum: expected } : {}) };
  const state = facts.dest;
  const after = `${shownUrl(args.url)}\n${expected ? `sha256: ${expected}\n` : ''}`;
  if (state.type === 'absent') {
    return { changes: [{ action: ChangeAction.CREATE, target: args.dest, reason: 'file does not exist', before: '', after }], result };
  }
  if (state.type !== 'file') throw new TaskFailure(`${args.dest} is a ${state.type}; give the file's full path`);
  if (expected && state.sha256 !== expected) {
    return {
      changes: [
        {
          action: ChangeAction.REPLACE,
          target: args.dest,
          reason: `sha256 ${state.sha256?.slice(0, 12)} is not the expected ${expected.slice(0, 12)}`,
          before: `sha256: ${state.sha256}\n`,
          after,
        },
      ],
      result,
    };
  }
  const diffs = attributeDifferences(wantedAttributes(args), state);
  if (diffs.length) return { changes: [{ action: ChangeAction.UPDATE, target: args.dest, reason: diffs.join(', ') }], result };
  return noop(expected ? 'file exists with the expected sha256' : 'file exists (no checksum given to compare)', result);
}

/** The apply script: download into the temp file, verify, then the common atomic write. */
export function getUrlScript(args: GetUrlArgs, plan: TaskPlan): ShellCode {
  const change = plan.changes[0];
  const attrs = wantedAttributes(args);
  if (change.action === ChangeAction.UPDATE) return attributeScript(args.dest, attrs);
  const expected = plan.result?.checksum as string | undefined;
  const verify = expected
    ? sh`got=$(sha256sum < "$t" | cut -d' ' -f1)
if [ "$got" != ${expected} ]; then echo "checksum mismatch for "${shownUrl(args.url)}": expected "${expected}", got $got" >&2; exit 1; fi`
    : new ShellCode(':');
  return atomicWriteScript(args.dest, { ...attrs, fill: sh`${urlFromStdinFetchScript(new ShellCode('"$t"'))}\n${verify}` });
}

export const getUrlModule = defineModule<GetUrlArgs, DownloadState>({
  name: 'get_url',
  description: 'Download a file on the host with curl or wget, verify its sha256, and move it into place atomically.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['url', 'dest'],
    properties: {
      url: { type: 'string', pattern: '^https?://', description: 'http:// or https:// URL, fetched by the host itself (no other scheme).' },
      dest: { type: 'string', pattern: '^/', description: 'Absolute path of the file on the host.' },
      checksum: {
        type: 'string',
        description:
          'sha256:HEX, or sha256:URL (http:// or https://) of a checksum list (HEX  NAME lines) where the line for the URL\'s file name is used. Without it an existing file is never downloaded again.',
      },
      timeout: { type: 'integer', description: 'Seconds allowed for the download (default 600).' },
      ...fileAttributeProperties,
    },
  },
  example: `- name: Download etcd
  get_url:
    url: https://github.com/etcd-io/etcd/releases/download/v3.5.16/etcd-v3.5.16-linux-amd64.tar.gz
    dest: /tmp/etcd-v3.5.16-linux-amd64.tar.gz
    checksum: sha256:https://github.com/etcd-io/etcd/releases/download/v3.5.16/SHA256SUMS
`,
  idempotent: true,
  readsAhead: true,
  gather(args, ctx) {
    const spec = parseChecksum(args.checksum);
    return ctx.facts.read(downloadState, { dest: args.dest, ...(spec.kind === 'list' ? { checksumUrl: spec.url } : {}) });
  },
  plan: (args, facts) => planGetUrl(args, facts),
  async apply(args, plan, ctx) {
    if (!plan.changes.length) return { changed: false, result: plan.result };
    let stdin: string;
    try {
      stdin = urlOnStdin(args.url);
    } catch (error) {
      throw new TaskFailure(`${shownUrl(args.url)}: ${(error as Error).message}`);
    }
    // The URL goes on stdin: a password in it would show in the host's process list on a command line.
    const out = await ctx.connection.exec(getUrlScript(args, plan).text, {
      stdin,
      become: ctx.become,
      timeoutMs: (args.timeout ?? 600) * 1000,
    });
    if (out.code !== 0) return { changed: false, failed: true, msg: `${shownUrl(args.url)}: ${out.stderr.trim()}`, result: plan.result };
    return { changed: true, result: plan.result };
  },
});
