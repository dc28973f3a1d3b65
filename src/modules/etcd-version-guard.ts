// etcd_version_guard: refuses, before anything changes, an etcd version change that is not site.yml's
// to make (src/etcd/site-version-change.ts), from what the member runs and links on the host. Reads only.
import { etcdProcess } from '../facts/etcd-process.js';
import { siteVersionChange, versionOfPath } from '../etcd/site-version-change.js';
import { noop } from '../plan/change.js';
import { type EtcdRestartPendingArgs, processArgs } from './etcd-restart-pending.js';
import { defineModule } from './module.js';
import { TaskFailure } from './task-failure.js';

export interface EtcdVersionGuardArgs {
  readonly version: string;
  readonly binary?: string;
}

export const etcdVersionGuardModule = defineModule<EtcdVersionGuardArgs, { running: string | null; linked: string | null }>({
  name: 'etcd_version_guard',
  description: 'Refuse an etcd version change site.yml must not make (a downgrade, or a minor upgrade that upgrade.yml owns), naming the running version and the way forward.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['version'],
    properties: {
      version: { type: 'string', description: 'The version the play would install and link, e.g. 3.5.16.' },
      binary: { type: 'string', description: 'The link etcd is started through (default /usr/local/bin/etcd).' },
    },
  },
  example: `- name: etcd version change is site.yml's to make
  etcd_version_guard:
    version: "{{ etcd_version }}"
`,
  idempotent: true,
  async gather(args, ctx) {
    const read: EtcdRestartPendingArgs = { binary: args.binary };
    const p = await ctx.facts.read(etcdProcess, processArgs(read, ctx));
    return { running: p.mainPid > 0 ? versionOfPath(p.exe) : null, linked: versionOfPath(p.linkTarget) };
  },
  plan(args, installed, ctx) {
    const verdict = siteVersionChange(ctx.host, args.version, installed);
    if (!verdict.allowed) throw new TaskFailure(verdict.reason, { running: installed.running, linked: installed.linked, wanted: args.version });
    return noop(verdict.reason, { running: installed.running, linked: installed.linked });
  },
  apply: async (_args, plan) => ({ changed: false, result: plan.result }),
});
