// config_loaded: running services have loaded their current configuration files, or are reloaded. Judged
// on the host, not from this run's results (as a handler is): a file written by a run that failed or was
// killed before its handlers ran is newer than the service's last successful reload, so the next run
// reloads it although it writes nothing. The services of a task are read in one round trip for a no-op
// (src/facts/config-load-state.ts); after a reload, apply waits until each reloaded service's metrics
// show it loaded its files, or fails.
import { type ConfigLoadState, type ReloadedService, configLoadState } from '../facts/config-load-state.js';
import { ShellCode, joinCode, sh } from '../connection/shell-quote.js';
import { type Change, ChangeAction, type TaskPlan, noop } from '../plan/change.js';
import { defineModule, type ModuleContext } from './module.js';
import { unitName } from './systemd.js';

/** One service and what tells whether it runs its files. */
export interface LoadedService {
  readonly name: string;
  readonly files: readonly string[];
  readonly metrics_url: string;
  readonly metric: string;
}

export interface ConfigLoadedArgs {
  readonly services: readonly LoadedService[];
}

const RUNNING = ['active', 'activating', 'reloading'];
/** How long apply waits for the service to report the reload. */
const CONFIRM_TIMEOUT_MS = 15_000;
const CONFIRM_POLL_MS = 200;

const iso = (seconds: number): string => new Date(Math.floor(seconds * 1000)).toISOString();

/** Why the running service must reload to run what its files say; empty when it runs them or is not running. */
export function owedReloadReasons(state: ConfigLoadState, args: Pick<LoadedService, 'metrics_url' | 'metric'>): string[] {
  if (!RUNNING.includes(state.activeState) || state.files.length === 0) return [];
  const newest = Math.max(...state.files.map((f) => f.ctime));
  // A process started after every change read the files at its start: no page to read (it may not answer yet).
  // A start known to the second only: a change within that second may have come after it.
  if (state.startedAt !== null && newest < (state.startedAtCoarse ? Math.floor(state.startedAt) : state.startedAt)) return [];
  const { reload } = state;
  if (reload === null) {
    return [`its last reload cannot be read from ${args.metrics_url} (${state.unreadable || 'no answer'}), so it is reloaded to be sure`];
  }
  if (reload.successful === false) return [`its last reload failed (${args.metric}_successful is 0)`];
  if (reload.successAt === null) return [`${args.metrics_url} shows no ${args.metric}_success_timestamp_seconds, so it is reloaded to be sure`];
  const successAt = reload.successAt;
  return state.files.filter((f) => f.ctime >= successAt).map((f) => `${f.path} changed at ${iso(f.ctime)}, after its last successful reload at ${iso(successAt)}`);
}

/** The reload a service owes, or why it owes none. */
function serviceChange(service: LoadedService, state: ConfigLoadState, ctx: Pick<ModuleContext, 'host' | 'unappliedChanges'>): Change | string {
  const unit = unitName(service.name);
  if (!RUNNING.includes(state.activeState)) return `${unit} is ${state.activeState || 'not installed'}: starting it loads its files`;
  // In check mode an earlier task's new file is planned, not written: the reload it brings is planned too.
  const planned = ctx.unappliedChanges.filter((c) => c.host === ctx.host && service.files.includes(c.target)).map((c) => `${c.target} is changed by "${c.task}"`);
  const reasons = [...planned, ...owedReloadReasons(state, service)];
  if (reasons.length === 0) return `${unit} runs its current ${service.files.join(', ')}`;
  return { action: ChangeAction.UPDATE, target: unit, reason: `reload: ${reasons.join('; ')}`, effect: { script: sh`systemctl reload -- ${unit}`.text } };
}

export function planConfigLoaded(args: ConfigLoadedArgs, states: readonly ConfigLoadState[], ctx: Pick<ModuleContext, 'host' | 'unappliedChanges'>): TaskPlan {
  const judged = args.services.map((service, i) => serviceChange(service, states[i]!, ctx));
  const changes = judged.filter((j): j is Change => typeof j !== 'string');
  return changes.length > 0 ? { changes } : noop(judged.join('; '));
}

export const configLoadedModule = defineModule<ConfigLoadedArgs, ConfigLoadState[]>({
  name: 'config_loaded',
  description:
    "Running services have loaded their current configuration files: each is reloaded when a file changed after its last successful reload (the service's metrics say when), so a reload a failed or killed run owed is made by the next one.",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['services'],
    properties: {
      services: {
        type: 'array',
        description:
          'The services to check, read together in one round trip; each: name (the unit), files (what it reads on a reload), metrics_url (its metrics page, fetched on the host) and metric (the prefix of NAME_successful and NAME_success_timestamp_seconds).',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'files', 'metrics_url', 'metric'],
          description: 'One service and what tells whether it runs its files.',
          properties: {
            name: { type: 'string', description: 'Unit name; ".service" is added when no suffix is given. Reloaded with systemctl reload.' },
            files: {
              type: 'array',
              minItems: 1,
              items: { type: 'string', description: 'A path on the host.' },
              description: 'The configuration files the service reads on a reload.',
            },
            metrics_url: { type: 'string', description: "The service's metrics page, fetched on the host with curl or wget (e.g. http://127.0.0.1:9090/metrics)." },
            metric: {
              type: 'string',
              pattern: '^[a-zA-Z_:][a-zA-Z0-9_:]*$',
              description: 'The prefix of the metrics NAME_successful and NAME_success_timestamp_seconds (prometheus_config_last_reload, alertmanager_config_last_reload).',
            },
          },
        },
      },
    },
  },
  example: `- name: Prometheus runs its current configuration
  config_loaded:
    services:
      - name: prometheus
        files: [/etc/prometheus/prometheus.yml]
        metrics_url: http://127.0.0.1:9090/metrics
        metric: prometheus_config_last_reload
`,
  idempotent: true,
  gather: (args, ctx) => ctx.facts.read(configLoadState, factArgs(args.services)),
  plan: (args, state, ctx) => planConfigLoaded(args, state, ctx),
  async apply(args, plan, ctx) {
    if (!plan.changes.length) return { changed: false };
    const reload = joinCode([new ShellCode('set -e'), ...plan.changes.map((c) => new ShellCode(c.effect!.script))]);
    const reloaded = await ctx.connection.exec(reload.text, { become: ctx.become });
    if (reloaded.code !== 0) return { changed: false, failed: true, msg: `reloading ${plan.changes.map((c) => c.target).join(', ')} on ${ctx.host} failed: ${reloaded.stderr.trim()}` };
    // A reload signal is handled asynchronously: each service's own record says when it is done.
    const services = args.services.filter((s) => plan.changes.some((c) => c.target === unitName(s.name)));
    const read = factArgs(services);
    const deadline = Date.now() + CONFIRM_TIMEOUT_MS;
    for (;;) {
      const states = configLoadState.parse(await ctx.connection.exec(configLoadState.command(read), { become: ctx.become }), read);
      // A page that cannot be read cannot confirm: the reload was made, the next run judges it again.
      const unconfirmed = services.flatMap((s, i) => (states[i]!.reload === null ? [`${s.metrics_url} cannot be read (${states[i]!.unreadable || 'no answer'})`] : []));
      const pending = services.filter((s, i) => states[i]!.reload !== null && owedReloadReasons(states[i]!, s).length > 0);
      if (pending.length === 0) return unconfirmed.length ? { changed: true, reason: `reloaded; not confirmed: ${unconfirmed.join('; ')}` } : { changed: true };
      if (Date.now() > deadline) {
        const units = pending.map((s) => unitName(s.name));
        const reasons = pending.flatMap((s) => owedReloadReasons(states[services.indexOf(s)]!, s).map((r) => `${unitName(s.name)}: ${r}`));
        return {
          changed: true,
          failed: true,
          msg: `reloaded on ${ctx.host}, but not loaded within ${CONFIRM_TIMEOUT_MS / 1000} s: ${reasons.join('; ')}. See journalctl -u ${units.join(' -u ')}, fix the files and run again`,
        };
      }
      await new Promise((resolve) => setTimeout(resolve, CONFIRM_POLL_MS));
    }
  },
});

function factArgs(services: readonly LoadedService[]): { services: ReloadedService[] } {
  return { services: services.map((s) => ({ unit: unitName(s.name), files: s.files, metricsUrl: s.metrics_url, metric: s.metric })) };
}
