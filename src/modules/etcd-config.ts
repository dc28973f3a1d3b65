// etcd_config: renders a member's etcd.conf.yml (the `initial-cluster` list computed from the inventory or
// from the live member list) through etcd-config-document.ts (every value checked, the file written by a
// YAML serializer) and says whether the change needs a restart. etcd reads `initial-cluster*`
// only when its data dir is empty, so a change to those keys alone is written without asking for a restart.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { isDeepStrictEqual } from 'node:util';
import { fileState, type FileState } from '../facts/file-state.js';
import { renderTemplateFile } from '../playbook/templating.js';
import { renderEtcdConfig } from '../etcd/etcd-config-document.js';
import { hostForUrl } from '../etcd/initial-cluster.js';
import { UserError } from '../errors/user-error.js';
import { withLocals } from '../variables/variable-precedence.js';
import { ChangeAction, type TaskPlan } from '../plan/change.js';
import type { EtcdMemberFact } from './etcd-cluster-facts.js';
import { clusterSpecOf, discoveryDomain, memberAddress, peerUrl } from '../etcd/cluster-spec.js';
import { type FileAttributeArgs, fileAttributeProperties, wantedAttributes } from '../os/file-attributes.js';
import { planFileContent } from './file-content.js';
import { applyChanges } from '../executor/change-applier.js';
import { defineModule, type ModuleContext } from './module.js';
import { resolveSource } from '../playbook/source-path.js';
import { TaskFailure } from './task-failure.js';

export interface EtcdConfigArgs extends FileAttributeArgs {
  readonly src?: string;
  readonly dest?: string;
  readonly initial_cluster_state: 'new' | 'existing';
  readonly initial_members?: readonly string[];
  readonly members?: readonly EtcdMemberFact[];
}

export interface EtcdConfigFacts {
  readonly template: string;
  readonly templatePath: string;
  readonly dest: FileState;
}

/** Keys etcd reads only to bootstrap an empty data dir. */
export const BOOTSTRAP_ONLY_KEYS = ['initial-cluster', 'initial-cluster-state', 'initial-cluster-token', 'discovery-srv'] as const;

const DEFAULT_TEMPLATE = 'etcd.conf.yml.hbs';
/** The templates shipped with etcdops: `templates/` at the package root (two levels above this file). */
const SHIPPED_TEMPLATES = fileURLToPath(new URL('../../templates/', import.meta.url));

export function templatePath(args: EtcdConfigArgs, ctx: ModuleContext): string {
  const src = args.src ?? DEFAULT_TEMPLATE;
  try {
    return resolveSource(src, ctx, 'templates');
  } catch (error) {
    if (args.src !== undefined) throw error;
    return `${SHIPPED_TEMPLATES}${DEFAULT_TEMPLATE}`;
  }
}

const destOf = (args: EtcdConfigArgs, ctx: ModuleContext): string => args.dest ?? `${clusterSpecOf(ctx).confDir}/etcd.conf.yml`;

/** `name=peerURL,...`: the inventory's initial members for a new cluster, the live members (plus this one) to join. */
export function initialCluster(args: EtcdConfigArgs, ctx: ModuleContext): string {
  const self = ctx.host;
  const selfUrl = peerUrl(ctx, self);
  if (args.initial_cluster_state === 'new') {
    const hosts = args.initial_members ?? [self];
    if (!hosts.includes(self)) throw new TaskFailure(`${self} is not among the initial members (${hosts.join(', ')}) of the new cluster`);
    return hosts.map((h) => `${h}=${peerUrl(ctx, h)}`).join(',');
  }
  const entries = new Set<string>([`${self}=${selfUrl}`]);
  for (const member of args.members ?? []) {
    if (member.host === self || member.peer_urls.includes(selfUrl)) continue;
    // A member added but never started has no name yet; etcd refuses a join that does not list it.
    if (member.name === '') throw new TaskFailure(`member ${member.id} (${member.peer_urls.join(', ')}) was added but never started; start or remove it first`);
    for (const url of member.peer_urls) entries.add(`${member.name}=${url}`);
  }
  return [...entries].sort().join(',');
}

/**
 * The `initial-cluster` a member that has joined already has written: kept as it is, since etcd no longer
 * reads it and rewriting it after every membership change would be a change with no effect.
 */
export function joinedInitialCluster(args: EtcdConfigArgs, current: string | undefined, ctx: ModuleContext): string | undefined {
  if (args.initial_cluster_state !== 'existing' || current === undefined) return undefined;
  // Only a member that runs in the cluster has joined; one joining (again) needs the live member list.
  const selfUrl = peerUrl(ctx, ctx.host);
  const joined = (args.members ?? []).some((m) => m.started && (m.host === ctx.host || m.peer_urls.includes(selfUrl)));
  if (!joined) return undefined;
  try {
    const parsed = parseYaml(current) as Record<string, unknown> | null;
    const value = parsed?.['initial-cluster'];
    return parsed?.['initial-cluster-state'] === 'existing' && typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** How a member's data dir is bootstrapped: from an `initial-cluster` list, or from DNS SRV records of a domain. */
export interface BootstrapSettings {
  readonly initial_cluster: string;
  /** The domain of `discovery-srv`, or '' (etcd refuses both set). */
  readonly discovery_srv: string;
}

/** The `discovery-srv` of a member that formed by DNS discovery and runs in the cluster: kept, as etcd reads it no more. */
function joinedDiscoverySrv(args: EtcdConfigArgs, current: string | undefined, ctx: ModuleContext): string | undefined {
  if (args.initial_cluster_state !== 'existing' || current === undefined) return undefined;
  const selfUrl = peerUrl(ctx, ctx.host);
  if (!(args.members ?? []).some((m) => m.started && (m.host === ctx.host || m.peer_urls.includes(selfUrl)))) return undefined;
  try {
    const value = (parseYaml(current) as Record<string, unknown> | null)?.['discovery-srv'];
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What bootstraps this member: a member that runs keeps what its file says; a new cluster formed by DNS
 * discovery reads the SRV records of etcd_discovery_domain; any other member, and one joining a running
 * cluster (scale-out after a discovery formation too), gets the `initial-cluster` list.
 */
export function bootstrapSettings(args: EtcdConfigArgs, current: string | undefined, ctx: ModuleContext): BootstrapSettings {
  const discovered = joinedDiscoverySrv(args, current, ctx);
  if (discovered !== undefined) return { initial_cluster: '', discovery_srv: discovered };
  const kept = joinedInitialCluster(args, current, ctx);
  if (kept !== undefined) return { initial_cluster: kept, discovery_srv: '' };
  const domain = args.initial_cluster_state === 'new' ? discoveryDomain(ctx) : undefined;
  if (domain !== undefined) return { initial_cluster: '', discovery_srv: domain };
  return { initial_cluster: initialCluster(args, ctx), discovery_srv: '' };
}

/** The config text for this host; throws a UserError naming every value etcd would misread. */
export function renderConfig(args: EtcdConfigArgs, template: string, path: string, ctx: ModuleContext, bootstrap: BootstrapSettings): Buffer {
  const vars = withLocals(
    ctx.vars,
    {
      etcd_name: ctx.host,
      etcd_address: memberAddress(ctx, ctx.host),
      etcd_url_host: hostForUrl(memberAddress(ctx, ctx.host)),
      etcd_initial_cluster: bootstrap.initial_cluster,
      etcd_discovery_srv: bootstrap.discovery_srv,
      etcd_initial_cluster_state: args.initial_cluster_state,
    },
    { file: path },
  );
  // etcd_url_host is etcd_address made fit for a URL: a problem with it is one with etcd_address.
  const text = renderEtcdConfig(template, path, (value) => renderTemplateFile(value, vars, path), vars.etcd_version, { etcd_url_host: 'etcd_address' });
  return Buffer.from(text, 'utf8');
}

function settingsOf(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = parseYaml(text) as Record<string, unknown> | null;
    if (parsed === null || typeof parsed !== 'object') return undefined;
    const settings = { ...parsed };
    for (const key of BOOTSTRAP_ONLY_KEYS) delete settings[key];
    return settings;
  } catch {
    return undefined;
  }
}

/** Which settings etcd would read differently after the change (empty: the change needs no restart). */
export function settingsChanged(before: string | undefined, after: string): string[] {
  const old = settingsOf(before);
  const next = settingsOf(after);
  if (old === undefined || next === undefined) return ['the whole file'];
  const keys = [...new Set([...Object.keys(old), ...Object.keys(next)])];
  return keys.filter((k) => !isDeepStrictEqual(old[k], next[k])).sort();
}

export const etcdConfigModule = defineModule<EtcdConfigArgs, EtcdConfigFacts>({
  name: 'etcd_config',
  description:
    "Write a member's etcd.conf.yml from a template, with initial-cluster computed from the inventory (new cluster) or the live members (joining); the result's restart_needed says whether etcd must restart to read it.",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['initial_cluster_state'],
    properties: {
      src: {
        type: 'string',
        description:
          "YAML template whose values may be quoted '{{ var }}' templates, each checked against etcd's keys and types (default etcd.conf.yml.hbs: the role's, else the one shipped with etcdops).",
      },
      dest: { type: 'string', description: 'Path of the config on the host (default: etcd_conf_dir/etcd.conf.yml).' },
      initial_cluster_state: {
        type: 'string',
        enum: ['new', 'existing'],
        description: 'new: this member forms a new cluster with initial_members; existing: it has joined (or joins) the cluster of `members`.',
      },
      initial_members: {
        type: 'array',
        items: { type: 'string', description: 'An inventory host name.' },
        description: 'With state new: the hosts that form the cluster together (default: this host alone).',
      },
      members: {
        type: 'array',
        items: { type: 'object', description: 'A member as etcd_cluster_facts reports it (name, id, peer_urls, host).' },
        description: 'With state existing: the live members (etcd_members); this host is added when it is not listed.',
      },
      ...fileAttributeProperties,
    },
  },
  example: `- name: Member configuration
  etcd_config:
    initial_cluster_state: existing
    members: "{{ etcd_members }}"
    owner: root
    group: etcd
    mode: "0640"
  register: etcd_config_result
- name: Restart when a setting etcd reads changed
  systemd: { name: etcd, state: restarted }
  when: etcd_config_result.restart_needed
`,
  idempotent: true,
  async gather(args, ctx) {
    const path = templatePath(args, ctx);
    let template: string;
    try {
      template = readFileSync(path, 'utf8');
    } catch (error) {
      throw new UserError(`cannot read the etcd config template ${path}: ${(error as Error).message}`);
    }
    const dest = await ctx.facts.read(fileState, { path: destOf(args, ctx), checksum: true, content: true, secretContent: true });
    return { template, templatePath: path, dest };
  },
  plan(args, facts, ctx) {
    const bootstrap = bootstrapSettings(args, facts.dest.type === 'file' ? facts.dest.content : undefined, ctx);
    const content = renderConfig(args, facts.template, facts.templatePath, ctx, bootstrap);
    const plan = planFileContent({ dest: destOf(args, ctx), content, state: facts.dest, attrs: wantedAttributes(args), sensitive: false });
    const rewrite = plan.changes.some((c) => c.action === ChangeAction.CREATE || c.action === ChangeAction.REPLACE);
    const changed = rewrite ? settingsChanged(facts.dest.type === 'file' ? facts.dest.content : undefined, content.toString('utf8')) : [];
    const restartNeeded = facts.dest.type === 'file' && changed.length > 0;
    const result = { dest: destOf(args, ctx), restart_needed: restartNeeded, settings_changed: changed, initial_cluster: bootstrap.initial_cluster, bootstrap };
    if (!plan.changes.length) return { ...plan, result: { ...plan.result, ...result } };
    const note = rewrite ? (restartNeeded ? `; restart needed for ${changed.join(', ')}` : '; no restart needed (only bootstrap settings changed)') : '';
    return {
      changes: plan.changes.map((c, i) => (i === 0 && facts.dest.type === 'file' ? { ...c, reason: c.reason + note } : c)),
      result: { ...plan.result, ...result },
    } satisfies TaskPlan;
  },
  // The config rendered while planning travels in the planned change: nothing is rendered again.
  apply: (_args, plan, ctx) => applyChanges(plan, ctx),
});
