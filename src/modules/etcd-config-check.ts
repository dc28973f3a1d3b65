// etcd_config_check: renders and checks a member's etcd.conf.yml on the control node, writing nothing.
// Playbooks run it before their first change, so a value etcd would misread (a quote, a newline, a
// wrong type) stops the run before any host is touched rather than half-way through a rolling change.
import { readFileSync } from 'node:fs';
import { UserError } from '../errors/user-error.js';
import { noop } from '../plan/change.js';
import { bootstrapSettings, renderConfig, templatePath } from './etcd-config.js';
import { defineModule } from './module.js';

export interface EtcdConfigCheckArgs {
  readonly src?: string;
}

export interface EtcdConfigCheckFacts {
  readonly template: string;
  readonly templatePath: string;
}

export const etcdConfigCheckModule = defineModule<EtcdConfigCheckArgs, EtcdConfigCheckFacts>({
  name: 'etcd_config_check',
  description:
    "Check on the control node that a member's etcd.conf.yml renders to known etcd keys with valid values (fails naming each bad variable); changes nothing.",
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      src: { type: 'string', description: 'The etcd_config template to check (default etcd.conf.yml.hbs, as etcd_config).' },
    },
  },
  example: `- name: etcd configuration checked before any host changes
  etcd_config_check:
`,
  idempotent: true,
  controlOnly: true,
  async gather(args, ctx) {
    const path = templatePath({ initial_cluster_state: 'new', ...args }, ctx);
    try {
      return { template: readFileSync(path, 'utf8'), templatePath: path };
    } catch (error) {
      throw new UserError(`cannot read the etcd config template ${path}: ${(error as Error).message}`);
    }
  },
  plan(_args, facts, ctx) {
    // As a new cluster of this member alone: every value but the other members' URLs, which their own check covers.
    const args = { initial_cluster_state: 'new' } as const;
    renderConfig(args, facts.template, facts.templatePath, ctx, bootstrapSettings(args, undefined, ctx));
    return noop(`etcd.conf.yml of ${ctx.host} renders to known keys with valid values`);
  },
  apply: async () => ({ changed: false }),
});
