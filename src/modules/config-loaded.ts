// config_loaded: a running service has loaded its current configuration files, or is reloaded. Judged on
// the host, not from this run's results (as a handler is): a file written by a run that failed or was
// killed before its handlers ran is newer than the service's last successful reload, so the next run
// reloads it although it writes nothing. One round trip for a no-op (src/facts/config-load-state.ts);
// after a reload, apply waits until the service's metrics show it loaded the files, or fails.
import { type ConfigLoadState, type ConfigLoadStateArgs, configLoadState } from '../facts/config-load-state.js';
import { sh } from '../connection/shell-quote.js';
import { ChangeAction, type TaskPlan, noop } from '../plan/change.js';
import { defineModule, type ModuleContext } from './module.js';
import { unitName } from './systemd.js';

export interface ConfigLoadedArgs {
  readonly name: string;
  readonly files: readonly string[];
  readonly metrics_url: string;
  readonly metric: string;
}

const RUNNING = ['active', 'activating', 'reloading'];
/** How long apply waits for the service to report the reload. */
const CONFIRM_TIMEOUT_MS = 15_000;
const CONFIRM_POLL_MS = 200;

const iso = (seconds: number): string => new Date(Math.floor(seconds * 1000)).toISOString();

/** Why the running service must reload to run what its files say; empty when it runs them or is not running. */
export function owedReloadReasons(state: ConfigLoadState, args: Pick<ConfigLoadedArgs, 'metrics_url' | 'metric'>): string[] {
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

export function planConfigLoaded(args: ConfigLoadedArgs, state: ConfigLoadState, ctx: Pick<ModuleContext, 'host' | 'unappliedChanges'>): TaskPlan {
  const unit = unitName(args.name);
  if (!RUNNING.includes(state.activeState)) return noop(`${unit} is ${state.activeState || 'not installed'}: starting it loads its files`);
  // In check mode an earlier task's new file is planned, not written: the reload it brings is planned too.
  const planned = ctx.unappliedChanges.filter((c) => c.host === ctx.host && args.files.includes(c.target)).map((c) => `${c.target} is changed by "${c.task}"`);
  const reasons = [...planned, ...owedReloadReasons(state, args)];
  if (reasons.length === 0) return noop(`${unit} runs its current ${args.files.join(', ')}`);
  return {
    changes: [{ action: ChangeAction.UPDATE, target: unit, reason: `reload: ${reasons.join('; ')}`, effect: { script: sh`systemctl reload -- ${unit}`.text } }],
  };
}

export const configLoadedModule = defineModule<ConfigLoadedArgs, ConfigLoadState>({
  name: 'config_loaded',
  description:
    "A running service has loaded its current configuration files: reloaded when a file changed after its last successful reload (the service's metrics say when), so a reload a failed or killed run owed is made by the next one.",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'files', 'metrics_url', 'metric'],
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
  example: `- name: Prometheus runs its current configuration
  config_loaded:
    name: prometheus
    files: [/etc/prometheus/prometheus.yml]
    metrics_url: http://127.0.0.1:9090/metrics
    metric: prometheus_config_last_reload
`,
  idempotent: true,
  gather: (args, ctx) => ctx.facts.read(configLoadState, factArgs(args)),
  plan: (args, state, ctx) => planConfigLoaded(args, state, ctx),
  async apply(args, plan, ctx) {
    if (!plan.changes.length) return { changed: false };
    const unit = unitName(args.name);
    const reloaded = await ctx.connection.exec(plan.changes[0]!.effect!.script, { become: ctx.become });
    if (reloaded.code !== 0) return { changed: false, failed: true, msg: `systemctl reload ${unit} failed: ${reloaded.stderr.trim()}` };
    // The reload signal is handled asynchronously: the service's own record says when it is done.
    const deadline = Date.now() + CONFIRM_TIMEOUT_MS;
    for (;;) {
      const read = await ctx.connection.exec(configLoadState.command(factArgs(args)), { become: ctx.become });
      const state = configLoadState.parse(read, factArgs(args));
      if (state.reload === null) return { changed: true, reason: `reloaded; not confirmed: ${args.metrics_url} cannot be read (${state.unreadable || 'no answer'})` };
      const reasons = owedReloadReasons(state, args);
      if (reasons.length === 0) return { changed: true };
      if (Date.now() > deadline) {
        return {
          changed: true,
          failed: true,
          msg: `${unit} was reloaded on ${ctx.host} but did not load its files within ${CONFIRM_TIMEOUT_MS / 1000} s: ${reasons.join('; ')}. See journalctl -u ${unit}, fix the files and run again`,
        };
      }
      await new Promise((resolve) => setTimeout(resolve, CONFIRM_POLL_MS));
    }
  },
});

function factArgs(args: ConfigLoadedArgs): ConfigLoadStateArgs {
  return { unit: unitName(args.name), files: args.files, metricsUrl: args.metrics_url, metric: args.metric };
}
