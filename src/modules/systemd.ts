// systemd: a unit's running state, enablement and masking, and a daemon-reload when unit files changed.
// One `systemctl show` gathers everything; each change carries its systemctl command, and apply runs them
// in order, in one command.
import { type SystemdUnit, systemdUnit } from '../facts/systemd-unit.js';
import { etcdProcess } from '../facts/etcd-process.js';
import { changedSinceStart } from '../etcd/restart-pending.js';
import { ShellCode, joinCode, sh } from '../connection/shell-quote.js';
import { type Change, ChangeAction, type TaskPlan, noop } from '../plan/change.js';
import { defineModule } from './module.js';

export interface SystemdArgs {
  readonly name?: string;
  readonly state?: 'started' | 'stopped' | 'restarted' | 'reloaded';
  readonly enabled?: boolean;
  readonly masked?: boolean;
  readonly daemon_reload?: boolean;
  readonly restart_if_changed?: boolean;
  readonly watched?: readonly string[];
}

/** The unit's state, and with restart_if_changed why its running process predates its files. */
export type SystemdFacts = SystemdUnit & { readonly changedSinceStart?: readonly string[] };

/** `etcd` means `etcd.service`, as systemctl itself assumes. */
export const unitName = (name: string): string => (/\.[a-z]+$/.test(name) ? name : `${name}.service`);

const RUNNING = ['active', 'activating', 'reloading'];
const ENABLED = ['enabled', 'enabled-runtime', 'static', 'indirect', 'generated', 'alias'];

export function planSystemd(args: SystemdArgs, unit: SystemdFacts | undefined): TaskPlan {
  const changes: Change[] = [];
  if (args.daemon_reload && (unit === undefined || unit.needDaemonReload)) {
    const reason = unit ? 'unit files changed since systemd read them' : 'no unit named, so systemd is reloaded unconditionally';
    changes.push({ action: ChangeAction.RUN, target: 'systemd', reason, effect: { script: 'systemctl daemon-reload' } });
  }
  if (!args.name || !unit) {
    return changes.length ? { changes } : noop('nothing asked of systemd');
  }
  const name = unitName(args.name);
  const missing = unit.loadState === 'not-found' ? ' (unit not found yet; an earlier task may install it)' : '';
  const effect = (verb: string) => ({ script: sh`systemctl ${verb} -- ${name}`.text });
  /** A state reached: shown as before → after. */
  const change = (reason: string, before: string, after: string, verb: string): void => {
    changes.push({ action: ChangeAction.UPDATE, target: name, reason: reason + missing, before: `${before}\n`, after, effect: effect(verb) });
  };
  /** An action (restart, reload): it has no before and after to show, only its reason. */
  const act = (reason: string, verb: string): void => {
    changes.push({ action: ChangeAction.UPDATE, target: name, reason: `${reason} (unit is ${unit.activeState})${missing}`, effect: effect(verb) });
  };
  const masked = unit.unitFileState === 'masked' || unit.loadState === 'masked';
  if (args.masked === true && !masked) change('unit is not masked', unit.unitFileState || 'no unit file', 'masked', 'mask');
  if (args.masked === false && masked) change('unit is masked', 'masked', 'unmasked', 'unmask');
  if (args.enabled === true && !ENABLED.includes(unit.unitFileState)) {
    change(`unit is ${unit.unitFileState || 'not installed'}`, unit.unitFileState || 'no unit file', 'enabled', 'enable');
  }
  if (args.enabled === false && ['enabled', 'enabled-runtime'].includes(unit.unitFileState)) {
    change('unit is enabled', unit.unitFileState, 'disabled', 'disable');
  }
  if (args.state === 'started' && !RUNNING.includes(unit.activeState)) change(`unit is ${unit.activeState}`, unit.activeState, 'started', 'start');
  // Judged on the host, so a restart a failed or killed run owed (its handler never ran) is still made.
  if (args.state === 'started' && RUNNING.includes(unit.activeState) && unit.changedSinceStart?.length) {
    act(`it runs what it read before a change: ${unit.changedSinceStart.join('; ')}`, 'restart');
  }
  if (args.state === 'stopped' && !['inactive', 'failed'].includes(unit.activeState)) change(`unit is ${unit.activeState}`, unit.activeState, 'stopped', 'stop');
  // restarted and reloaded are actions, not states: they always happen (use them from handlers).
  if (args.state === 'restarted') act('restart requested', 'restart');
  if (args.state === 'reloaded') act('reload requested', 'reload');
  if (changes.length) return { changes };
  return noop(`${name} is ${unit.activeState} and ${unit.unitFileState || 'has no unit file'}`, { name, status: { ...unit } });
}

/** The planned changes' systemctl commands, in order, as one script: one round trip for the whole task. */
export function systemdScript(plan: TaskPlan): ShellCode {
  return joinCode([new ShellCode('set -e'), ...plan.changes.map((c) => new ShellCode(c.effect!.script))]);
}

export const systemdModule = defineModule<SystemdArgs, SystemdFacts | undefined>({
  name: 'systemd',
  aliases: { 'daemon-reload': 'daemon_reload', service: 'name', unit: 'name' },
  description: 'Start, stop, restart or reload a systemd unit, enable or mask it, and reload systemd when unit files changed.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      name: { type: 'string', description: 'Unit name; ".service" is added when no suffix is given.' },
      state: {
        type: 'string',
        enum: ['started', 'stopped', 'restarted', 'reloaded'],
        description: 'started/stopped are states (no-op when already so); restarted/reloaded always act.',
      },
      enabled: { type: 'boolean', description: 'Whether the unit starts at boot.' },
      masked: { type: 'boolean', description: 'Whether the unit is masked (cannot be started at all).' },
      daemon_reload: {
        type: 'boolean',
        description: 'Run systemctl daemon-reload first, when systemd reports that unit files changed on disk.',
      },
      restart_if_changed: {
        type: 'boolean',
        description:
          'With state started: restart the running service when its unit file, a drop-in or a watched file changed after its process started (judged on the host, so a restart that a failed or killed run owed is not forgotten as a handler is).',
      },
      watched: {
        type: 'array',
        items: { type: 'string', description: 'A path on the host.' },
        description: 'With restart_if_changed: files the service reads only at start (besides its unit files).',
      },
    },
  },
  example: `- name: Run etcd
  systemd:
    name: etcd
    state: started
    enabled: true
    daemon_reload: true
`,
  idempotent: true,
  readsAhead: true,
  // NeedDaemonReload is a property of one unit, so without a name there is nothing to read.
  async gather(args, ctx): Promise<SystemdFacts | undefined> {
    if (!args.name) return undefined;
    const unit = await ctx.facts.read(systemdUnit, { unit: unitName(args.name) });
    if (!args.restart_if_changed) return unit;
    const process = await ctx.facts.read(etcdProcess, { unit: unitName(args.name), watched: args.watched ?? [] });
    return { ...unit, changedSinceStart: changedSinceStart(process) };
  },
  plan: (args, unit) => planSystemd(args, unit),
  async apply(args, plan, ctx) {
    if (!plan.changes.length) return { changed: false, result: plan.result };
    const out = await ctx.connection.exec(systemdScript(plan).text, { become: ctx.become });
    const result = { name: args.name ? unitName(args.name) : undefined, state: args.state, enabled: args.enabled };
    if (out.code !== 0) return { changed: false, failed: true, msg: out.stderr.trim(), result };
    return { changed: true, result };
  },
});
