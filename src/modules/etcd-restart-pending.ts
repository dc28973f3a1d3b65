// etcd_restart_pending: whether this member still owes a restart, judged on the host (see
// src/etcd/restart-pending.ts), so a restart a killed run left undone is found by the next run and by
// `plan`. Reads only; sets etcd_restart_pending and etcd_restart_reasons.
import { type EtcdProcessArgs, etcdProcess } from '../facts/etcd-process.js';
import { pendingRestartReasons } from '../etcd/restart-pending.js';
import { noop } from '../plan/change.js';
import { clusterSpecOf } from '../etcd/cluster-spec.js';
import { PEER_CA_CERT_FILE } from '../etcd/pki/peer-certificate-authority.js';
import { defineModule, type ModuleContext } from './module.js';
import { unitName } from './systemd.js';

export interface EtcdRestartPendingArgs {
  readonly unit?: string;
  readonly config?: string;
  readonly running_config?: string;
  readonly binary?: string;
  readonly watched?: readonly string[];
}

/** The copy of etcd.conf.yml the shipped unit takes at start (its RuntimeDirectory is /run/etcd). */
export const RUNNING_CONFIG = '/run/etcd/etcd.conf.yml';

/** What to read on the host: the role's paths unless the task names others. */
export function processArgs(args: EtcdRestartPendingArgs, ctx: ModuleContext): EtcdProcessArgs {
  // The folders etcd_config and etcd_certificates write to, from the same spec.
  const { confDir, memberPkiDir: pkiDir } = clusterSpecOf(ctx);
  return {
    unit: unitName(args.unit ?? 'etcd'),
    config: args.config ?? `${confDir}/etcd.conf.yml`,
    runningConfig: args.running_config ?? RUNNING_CONFIG,
    binary: args.binary ?? '/usr/local/bin/etcd',
    watched: args.watched ?? ['ca.crt', PEER_CA_CERT_FILE, 'server.crt', 'server.key', 'peer.crt', 'peer.key'].map((f) => `${pkiDir}/${f}`),
  };
}

/** The schema properties both etcd_restart_pending and etcd_restart read the host with. */
export const processProperties = {
  unit: { type: 'string', description: 'The systemd unit of the member (default etcd).' },
  config: { type: 'string', description: 'The configuration file (default: etcd_conf_dir/etcd.conf.yml).' },
  running_config: { type: 'string', description: `The copy of the configuration the unit takes when etcd starts (default ${RUNNING_CONFIG}).` },
  binary: { type: 'string', description: 'The link etcd is started through (default /usr/local/bin/etcd).' },
  watched: {
    type: 'array',
    items: { type: 'string', description: 'A path on the host.' },
    description: 'Files etcd reads only at start: a change after the start is owed a restart (default: ca.crt, peer-ca.crt, server and peer certificates and keys in etcd_pki_dir).',
  },
} as const;

export const etcdRestartPendingModule = defineModule<EtcdRestartPendingArgs, string[]>({
  name: 'etcd_restart_pending',
  description:
    'Whether this etcd member still owes a restart, judged on the host (binary, configuration copy taken at start, unit and TLS files changed since the start): sets etcd_restart_pending and etcd_restart_reasons.',
  schema: { type: 'object', additionalProperties: false, properties: processProperties },
  example: `- name: etcd restart owed by an earlier change
  etcd_restart_pending:
- debug:
    msg: "{{ etcd_restart_reasons }}"
  when: etcd_restart_pending
`,
  idempotent: true,
  facts: ['etcd_restart_pending', 'etcd_restart_reasons'],
  gather: async (args, ctx) => pendingRestartReasons(await ctx.facts.read(etcdProcess, processArgs(args, ctx))),
  plan(_args, reasons) {
    const facts = { etcd_restart_pending: reasons.length > 0, etcd_restart_reasons: reasons };
    return noop(reasons.length > 0 ? `restart pending: ${reasons.join('; ')}` : 'etcd runs what its files say (or is not running)', { ansible_facts: facts });
  },
  apply: async (_args, plan) => ({ changed: false, result: plan.result }),
});
