// etcd_adopt_read: reads how an etcd etcdops did not build runs on this host (src/facts/running-etcd.ts,
// src/etcd/adopted-config.ts) and sets, as facts, the host variables that let etcdops' playbooks and
// commands reach it as it is (etcd_address, etcd_client_port, etcd_peer_port, etcd_data_dir) plus
// etcd_adopted (where each setting and TLS file is) and etcd_adopted_vars (all of them, to write down).
// Changes nothing on the host.
import { adoptedConfig, adoptedHostVars } from '../etcd/adopted-config.js';
import { runningEtcd, type RunningEtcdFact } from '../facts/running-etcd.js';
import { noop } from '../plan/change.js';
import { defineModule } from './module.js';
import { TaskFailure } from './task-failure.js';

export interface EtcdAdoptReadArgs {
  readonly unit?: string;
}

export const etcdAdoptReadModule = defineModule<EtcdAdoptReadArgs, RunningEtcdFact>({
  name: 'etcd_adopt_read',
  description:
    "Read the configuration of the etcd running on a host (its process's flags and environment, or its config file) and set the host variables etcdops needs to reach it as facts (etcd_adopted_vars); changes nothing.",
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      unit: { type: 'string', minLength: 1, description: 'The systemd unit running etcd (default etcd.service).' },
    },
  },
  example: `- name: etcd as it runs now
  etcd_adopt_read:
    unit: etcd.service
`,
  idempotent: true,
  facts: ['etcd_adopted', 'etcd_adopted_vars'],
  gather: (args, ctx) => ctx.facts.read(runningEtcd, { unit: args.unit ?? 'etcd.service' }),
  plan(_args, fact, ctx) {
    if (!fact.process) {
      throw new TaskFailure(`no etcd runs under ${fact.unit} on ${ctx.host}${fact.unitFile ? ` (unit file ${fact.unitFile})` : ' (no such unit)'}: start it, or name its unit with -e etcd_adopt_unit=UNIT`);
    }
    let vars: Record<string, unknown>;
    try {
      vars = adoptedHostVars(adoptedConfig(fact.process));
    } catch (error) {
      throw new TaskFailure(`reading the configuration of etcd on ${ctx.host}: ${(error as Error).message}`);
    }
    const adopted = vars.etcd_adopted as { name: string; source: string };
    // etcdops names a member after its inventory host: a different name would be a different member.
    const warnings = adopted.name !== ctx.host ? [`etcd on ${ctx.host} runs as member "${adopted.name}": rename the inventory host to ${adopted.name} before site.yml takes it over`] : [];
    const facts = { ...vars, etcd_adopted_vars: vars };
    return noop(`etcd member ${adopted.name} (pid ${fact.mainPid}, ${fact.unitFile || fact.unit}) configured by its ${adopted.source}: reached at ${String(vars.etcd_address)}:${String(vars.etcd_client_port)}`, {
      ansible_facts: facts,
      restarts: fact.restarts,
      active_since: fact.activeSince,
      ...(warnings.length ? { warnings } : {}),
    });
  },
  apply: async (_args, plan) => ({ changed: false, result: plan.result }),
});
