// etcd_adopt_host_vars: writes what etcd_adopt_read found as this host's variables beside the inventory
// (host_vars/HOST.yml, which every later run reads), on the control node. A host_vars file etcdops did
// not write is never overwritten: the run fails naming it, and the variables to add are in the output.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { ChangeAction, noop, type TaskPlan } from '../plan/change.js';
import { writeFileAtomic } from '../etcd/pki/pem-files.js';
import { defineModule, type ModuleContext } from './module.js';
import { TaskFailure } from './task-failure.js';

export interface EtcdAdoptHostVarsArgs {
  readonly vars: Readonly<Record<string, unknown>>;
  readonly dir?: string;
}

const HEADER = '# Written by etcdops playbooks/adopt.yml: how this etcd member runs (re-run adopt.yml to refresh).\n';

const pathOf = (args: EtcdAdoptHostVarsArgs, ctx: ModuleContext): string =>
  join(args.dir ?? join(String(ctx.vars.inventory_dir ?? '.'), 'host_vars'), `${ctx.host}.yml`);

export const etcdAdoptHostVarsModule = defineModule<EtcdAdoptHostVarsArgs, string | null>({
  name: 'etcd_adopt_host_vars',
  description: "Write an adopted member's host variables to host_vars/HOST.yml beside the inventory (never over a file etcdops did not write).",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['vars'],
    properties: {
      vars: { type: 'object', description: 'The variables to write (etcd_adopted_vars).' },
      dir: { type: 'string', description: 'The host_vars folder (default: host_vars beside the inventory).' },
    },
  },
  example: `- etcd_adopt_host_vars:
    vars: "{{ etcd_adopted_vars }}"
`,
  idempotent: true,
  controlOnly: true,
  gather: async (args, ctx) => readFile(pathOf(args, ctx), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  }),
  plan(args, current, ctx): TaskPlan {
    const path = pathOf(args, ctx);
    const wanted = HEADER + stringify(args.vars);
    if (current === wanted) return noop(`${path} already holds what adopt.yml found`, { path });
    if (current !== null && !current.startsWith(HEADER)) {
      throw new TaskFailure(`${path} exists and was not written by adopt.yml: not overwriting it. Add these variables to it yourself:\n${stringify(args.vars)}`);
    }
    return {
      changes: [{ action: current === null ? ChangeAction.CREATE : ChangeAction.UPDATE, target: path, reason: 'the variables etcdops needs to reach this member as it runs', before: current ?? '', after: wanted }],
      result: { path },
    };
  },
  async apply(args, plan, ctx) {
    const path = pathOf(args, ctx);
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, HEADER + stringify(args.vars), 0o644);
    return { changed: true, result: plan.result };
  },
});
