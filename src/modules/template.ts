// template: renders a template file from the control node with the task's variables (Jinja, or Handlebars
// for `.hbs` files) and puts the result on the host exactly like copy does.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { type FileState, fileState } from '../facts/file-state.js';
import { isSensitive, sha256 } from '../os/content-diff.js';
import { type FileAttributeArgs, fileAttributeProperties, normaliseMode, wantedAttributes } from '../os/file-attributes.js';
import { planFileContent } from './file-content.js';
import { applyChanges } from '../executor/change-applier.js';
import { type ModuleContext, defineModule } from './module.js';
import { resolveSource } from '../playbook/source-path.js';

export interface TemplateArgs extends FileAttributeArgs {
  readonly src: string;
  readonly dest: string;
  readonly sensitive?: boolean;
}

export interface TemplateFacts {
  /** The template rendered with the task's variables, once: plan and apply use these bytes. */
  readonly content: Buffer;
  readonly dest: FileState;
}

/** The variables Ansible's template module adds for the template (its DEFAULT_MANAGED_STR is "Ansible managed"). */
function templateVariables(args: TemplateArgs, sourcePath: string): Record<string, unknown> {
  return {
    ansible_managed: 'Ansible managed',
    template_host: hostname(),
    template_path: args.src,
    template_fullpath: resolve(sourcePath),
    template_destpath: args.dest,
  };
}

function render(args: TemplateArgs, source: string, sourcePath: string, ctx: ModuleContext): Buffer {
  return Buffer.from(ctx.render(source, sourcePath, templateVariables(args, sourcePath)), 'utf8');
}

const sensitiveFor = (args: TemplateArgs, content: Buffer): boolean =>
  isSensitive({ flag: args.sensitive, dest: args.dest, mode: normaliseMode(args.mode), content });

export const templateModule = defineModule<TemplateArgs, TemplateFacts>({
  name: 'template',
  description: 'Render a Jinja template (Handlebars for .hbs files) from the control node and write it to the host (atomic, exact owner and mode).',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['src', 'dest'],
    properties: {
      src: {
        type: 'string',
        description: "Template on the control node (NAME.j2 is Jinja, NAME.hbs Handlebars), searched in the role's templates/, then the playbook's folder.",
      },
      dest: { type: 'string', pattern: '^/', description: 'Absolute path of the rendered file on the host.' },
      ...fileAttributeProperties,
      sensitive: { type: 'boolean', description: 'Never show the content in diffs or output (no_log sets it).' },
    },
  },
  example: `- name: Write the etcd configuration
  template:
    src: etcd.conf.yml.hbs
    dest: /etc/etcd/etcd.conf.yml
    owner: etcd
    group: etcd
    mode: "0640"
`,
  idempotent: true,
  readsAhead: true,
  async gather(args, ctx) {
    const sourcePath = resolveSource(args.src, ctx, 'templates');
    const source = readFileSync(sourcePath, 'utf8');
    const rendered = render(args, source, sourcePath, ctx);
    const dest = await ctx.facts.read(fileState, {
      path: args.dest,
      checksum: true,
      content: !sensitiveFor(args, rendered),
      // A file that already holds these bytes needs no diff: its content is not read back.
      unlessSha256: sha256(rendered),
    });
    return { content: rendered, dest };
  },
  plan(args, facts) {
    return planFileContent({
      dest: args.dest,
      content: facts.content,
      state: facts.dest,
      attrs: wantedAttributes(args),
      sensitive: sensitiveFor(args, facts.content),
    });
  },
  // The text rendered while planning travels in the planned change: nothing is rendered again.
  apply: (_args, plan, ctx) => applyChanges(plan, ctx),
});
