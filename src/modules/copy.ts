// copy: puts a file from the control node (`src`) or inline `content` on the host, atomically, with exact
// owner and mode. Gathers the destination's state (sha256, attributes, small text content) in one command.
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { type FileState, fileState } from '../facts/file-state.js';
import { isOwnerOnlyMode, isSensitive, sha256 } from '../os/content-diff.js';
import { type FileAttributeArgs, fileAttributeProperties, normaliseMode, wantedAttributes } from '../os/file-attributes.js';
import { planFileContent } from './file-content.js';
import { applyChanges } from '../executor/change-applier.js';
import { type ModuleContext, defineModule } from './module.js';
import { pyJsonDumps } from '../playbook/python-values.js';
import { resolveSource } from '../playbook/source-path.js';

export interface CopyArgs extends FileAttributeArgs {
  readonly src?: string;
  readonly content?: string | readonly unknown[] | Readonly<Record<string, unknown>>;
  readonly dest: string;
  readonly sensitive?: boolean;
}

export interface CopyFacts {
  /** The bytes the destination must hold. */
  readonly content: Buffer;
  readonly dest: FileState;
  /** The source file on the control node is readable by its owner only: its content is secret too. */
  readonly sourceSecret?: boolean;
}

/** A `dest` ending in "/" names a folder: the file keeps the source's name. */
export function copyDestination(args: CopyArgs): string {
  return args.dest.endsWith('/') && args.src ? args.dest + basename(args.src) : args.dest;
}

function wantedContent(args: CopyArgs, ctx: ModuleContext): Buffer {
  // As Ansible's copy: content that templated to a list or mapping (JSON text reads back as one) is written as JSON.
  if (typeof args.content === 'string') return Buffer.from(args.content, 'utf8');
  if (args.content !== undefined) return Buffer.from(pyJsonDumps(args.content), 'utf8');
  return readFileSync(resolveSource(args.src as string, ctx, 'files'));
}

function sourceIsSecret(args: CopyArgs, ctx: ModuleContext): boolean {
  if (args.src === undefined) return false;
  const mode = (statSync(resolveSource(args.src, ctx, 'files')).mode & 0o777).toString(8).padStart(4, '0');
  return isOwnerOnlyMode(mode);
}

const sensitiveFor = (args: CopyArgs, content: Buffer, sourceSecret = false): boolean =>
  isSensitive({ flag: args.sensitive || sourceSecret, dest: copyDestination(args), mode: normaliseMode(args.mode), content });

export const copyModule = defineModule<CopyArgs, CopyFacts>({
  name: 'copy',
  description: 'Copy a file from the control node, or inline content, to the host (atomic, exact owner and mode).',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['dest'],
    oneOf: [{ required: ['src'] }, { required: ['content'] }],
    properties: {
      src: {
        type: 'string',
        description: "File on the control node; relative paths are searched in the role's files/, then the playbook's folder.",
      },
      content: {
        type: ['string', 'array', 'object'],
        description: 'Text to write instead of a source file; a list or mapping is written as JSON (Python json.dumps), as Ansible does.',
      },
      dest: { type: 'string', pattern: '^/', description: 'Absolute path on the host; a trailing "/" keeps the source file name.' },
      ...fileAttributeProperties,
      sensitive: { type: 'boolean', description: 'Never show the content in diffs or output (no_log sets it).' },
    },
  },
  example: `- name: Install the etcd environment file
  copy:
    content: "ETCD_NAME={{ inventory_hostname }}\\n"
    dest: /etc/default/etcd
    owner: root
    mode: "0644"
`,
  idempotent: true,
  readsAhead: true,
  async gather(args, ctx) {
    const content = wantedContent(args, ctx);
    const sourceSecret = sourceIsSecret(args, ctx);
    const dest = await ctx.facts.read(fileState, {
      path: copyDestination(args),
      checksum: true,
      content: !sensitiveFor(args, content, sourceSecret),
      // A file that already holds these bytes needs no diff: its content is not read back.
      unlessSha256: sha256(content),
    });
    return { content, dest, ...(sourceSecret ? { sourceSecret } : {}) };
  },
  plan(args, facts) {
    return planFileContent({
      dest: copyDestination(args),
      content: facts.content,
      state: facts.dest,
      attrs: wantedAttributes(args),
      sensitive: sensitiveFor(args, facts.content, facts.sourceSecret),
    });
  },
  // The bytes read while gathering travel in the planned change: the source is not read again.
  apply: (_args, plan, ctx) => applyChanges(plan, ctx),
});
