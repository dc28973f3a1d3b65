// etcd_zone_spread: before a playbook changes anything, checks the membership it will build (the voting
// hosts of the inventory group, with their `etcd_zone`) against the loss of any one zone, and refuses
// when a zone holds so many voters that losing it loses the quorum, unless `allow_majority`; it warns about
// an even number of voters or more than 7.
import { memberCountWarnings } from '../etcd/member-count.js';
import { zoneSpread, zoneSpreadFinding, zoneSpreadMessage, type ZonedMember } from '../etcd/zone-spread.js';
import { noop, type TaskPlan } from '../plan/change.js';
import { isStandbyHost } from './etcd-cluster-facts.js';
import { memberHosts } from '../etcd/cluster-spec.js';
import { defineModule, type ModuleContext } from './module.js';
import { TaskFailure } from './task-failure.js';

export interface EtcdZoneSpreadArgs {
  readonly allow_majority?: boolean;
}

function zoneOf(ctx: ModuleContext, host: string): string | undefined {
  const vars = host === ctx.host ? ctx.vars : ((ctx.vars.hostvars ?? {}) as Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>>)[host];
  const zone = vars?.etcd_zone;
  return zone === undefined || zone === null || zone === '' ? undefined : String(zone);
}

export function inventoryMembers(ctx: ModuleContext): ZonedMember[] {
  return memberHosts(ctx).map((name) => ({ name, zone: zoneOf(ctx, name), voter: !isStandbyHost(ctx, name) }));
}

export function planZoneSpread(args: EtcdZoneSpreadArgs, ctx: ModuleContext): TaskPlan {
  const spread = zoneSpread(inventoryMembers(ctx));
  // An even or too large voter count is warned about (as Ansible shows a module's `warnings`), not refused.
  const warnings = memberCountWarnings(spread.voters);
  const result = { zones: Object.fromEntries(spread.zones.map((z) => [z.zone, z.members])), voters: spread.voters, quorum: spread.quorum, ...(warnings.length ? { warnings } : {}) };
  if (spread.zones.length === 0) return noop('no host has etcd_zone: the zone spread is not checked', result);
  const layout = spread.zones.map((z) => `${z.zone}: ${z.members.join(', ')}`).join('; ');
  if (spread.fatal.length === 0) return noop(`any one zone can be lost and a quorum of ${spread.quorum} of ${spread.voters} voters stays (${layout})`, result);
  if (args.allow_majority === true) return noop(`allowed by etcd_allow_zone_majority: ${zoneSpreadFinding(spread)} (${layout})`, result);
  throw new TaskFailure(`refusing this membership: ${zoneSpreadMessage(spread)}`, result);
}

export const etcdZoneSpreadModule = defineModule<EtcdZoneSpreadArgs, undefined>({
  name: 'etcd_zone_spread',
  description:
    'Refuse a membership (the voting hosts of the etcd group and their etcd_zone) where losing any one zone loses the quorum, unless allow_majority; nothing is checked when no host has etcd_zone. Warns about an even number of voters or more than 7.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allow_majority: { type: 'boolean', description: 'Accept a zone whose loss loses the quorum (default false; etcd_allow_zone_majority in the shipped playbooks).' },
    },
  },
  example: `- name: etcd members spread so that any one zone can be lost
  etcd_zone_spread:
    allow_majority: "{{ etcd_allow_zone_majority | bool }}"
  run_once: true
`,
  idempotent: true,
  controlOnly: true,
  gather: async () => undefined,
  plan: (args, _facts, ctx) => planZoneSpread(args, ctx),
  apply: async (_args, plan) => ({ changed: false, result: plan.result }),
});
