// service: Ansible's generic service module. etcdops hosts run systemd, so it means what `systemd` means
// (same gather, plan and apply); only the arguments that make sense for any service manager are offered.
import { systemdUnit } from '../facts/systemd-unit.js';
import { type SystemdArgs, planSystemd, systemdModule, unitName } from './systemd.js';
import { defineModule } from './module.js';

export interface ServiceArgs {
  readonly name: string;
  readonly state?: SystemdArgs['state'];
  readonly enabled?: boolean;
  readonly daemon_reload?: boolean;
}

export const serviceModule = defineModule<ServiceArgs, Awaited<ReturnType<typeof systemdModule.gather>>>({
  name: 'service',
  description: "Start, stop, restart or reload a service and set whether it starts at boot (on systemd hosts, the same as 'systemd').",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', description: 'Service name; ".service" is added when no suffix is given.' },
      state: {
        type: 'string',
        enum: ['started', 'stopped', 'restarted', 'reloaded'],
        description: 'started/stopped are states (no-op when already so); restarted/reloaded always act.',
      },
      enabled: { type: 'boolean', description: 'Whether the service starts at boot.' },
      daemon_reload: { type: 'boolean', description: 'Run systemctl daemon-reload first, when systemd reports that unit files changed on disk.' },
    },
  },
  example: `- name: Keep chrony running
  service:
    name: chrony
    state: started
    enabled: true
`,
  idempotent: true,
  readsAhead: true,
  gather: (args, ctx) => ctx.facts.read(systemdUnit, { unit: unitName(args.name) }),
  plan: (args, unit) => planSystemd(args, unit),
  apply: (args, plan, ctx) => systemdModule.apply(args, plan, ctx),
});
