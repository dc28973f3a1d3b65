// setup: gathers the host's facts (what `gather_facts` runs at the start of a play) in one command,
// with Ansible's `gather_subset` and `filter`; read-only, so it runs the same under --check and in plans.
import { hostFacts, type FactSubset } from '../facts/host-facts.js';
import { noop } from '../plan/change.js';
import { onFirstUse } from '../startup/on-first-use.js';
import { defineModule } from './module.js';
import { TaskFailure } from './task-failure.js';

export interface SetupArgs {
  readonly gather_subset?: string | readonly string[];
  readonly filter?: string | readonly string[];
}

const SUPPORTED: readonly FactSubset[] = ['min', 'hardware', 'network'];

/** Subsets Ansible knows that etcdops does not gather: asking for one is refused, excluding it is fine. */
const UNSUPPORTED = ['virtual', 'ohai', 'facter', 'devices', 'dmi', 'interfaces', 'distribution', 'platform', 'env', 'date_time', 'dns', 'user', 'selinux', 'apparmor'];

/** Every fact name this module may set (prefixed), so load-time checks know them as defined. */
export const SETUP_FACT_NAMES = [
  'hostname', 'fqdn', 'nodename', 'domain', 'distribution', 'distribution_version', 'distribution_major_version',
  'distribution_release', 'os_family', 'system', 'kernel', 'kernel_version', 'architecture', 'machine',
  'userspace_architecture', 'processor_vcpus', 'processor_cores', 'processor_count', 'processor_threads_per_core',
  'processor_nproc', 'memtotal_mb', 'memfree_mb', 'swaptotal_mb', 'swapfree_mb', 'default_ipv4', 'default_ipv6',
  'all_ipv4_addresses', 'all_ipv6_addresses', 'interfaces', 'mounts', 'service_mgr', 'python', 'python_version',
].map((name) => `ansible_${name}`);

function list(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return (typeof value === 'string' ? value.split(',') : [...value]).map((s) => s.trim()).filter(Boolean);
}

/** Ansible's get_collector_names(): min always, additions, then exclusions (except what was named explicitly). */
export function chooseSubsets(spec: readonly string[]): FactSubset[] {
  const added = new Set<FactSubset>();
  const excluded = new Set<string>();
  const explicit = new Set<string>();
  for (const entry of ['min', ...(spec.length ? spec : ['all'])]) {
    if (entry === 'min') added.add('min');
    else if (entry === 'all') SUPPORTED.forEach((s) => added.add(s));
    else if (entry === '!min') excluded.add('min');
    else if (entry === '!all') ['hardware', 'network'].forEach((s) => excluded.add(s));
    else if (entry.startsWith('!')) excluded.add(entry.slice(1));
    else if ((SUPPORTED as readonly string[]).includes(entry)) {
      added.add(entry as FactSubset);
      explicit.add(entry);
    } else if (UNSUPPORTED.includes(entry)) {
      throw new TaskFailure(`gather_subset "${entry}" is an Ansible subset etcdops does not gather; use all, min, hardware or network (or exclude it with "!${entry}")`);
    } else {
      throw new TaskFailure(`bad gather_subset "${entry}": the subsets are all, min, hardware, network, each optionally negated with "!"`);
    }
  }
  return SUPPORTED.filter((s) => added.has(s) && (!excluded.has(s) || explicit.has(s)));
}

const re2js = onFirstUse<typeof import('re2js')>('re2js');

/** fnmatch-style pattern (`*`, `?`, `[...]`) to a whole-name test, on RE2 so no filter can backtrack without bound. */
function globTest(pattern: string): (name: string) => boolean {
  const body = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  const regex = re2js().RE2JS.compile(body);
  return (name) => regex.matcher(name).matches();
}

export const setupModule = defineModule<SetupArgs, Record<string, unknown>>({
  name: 'setup',
  description: "Gather the host's facts (hostname, distribution, CPUs, memory, addresses, mounts, ...) as Ansible names them.",
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      gather_subset: {
        type: ['string', 'array'],
        items: { type: 'string' },
        description: 'Which facts: all (default), min, hardware, network; "!name" excludes one (min is always gathered unless "!min").',
      },
      filter: {
        type: ['string', 'array'],
        items: { type: 'string' },
        description: 'Keep only facts whose name (ansible_...) matches one of these shell-style patterns, e.g. ansible_distribution*.',
      },
    },
  },
  example: `- name: Read the distribution only
  setup:
    gather_subset: ['!all']
    filter: ['ansible_distribution*']
`,
  idempotent: true,
  facts: [...SETUP_FACT_NAMES, 'ansible_facts'],
  hostFacts: true,
  async gather(args, ctx) {
    const subsets = chooseSubsets(list(args.gather_subset));
    if (subsets.length === 0) return {};
    // Read afresh, not from the run's fact cache: as in Ansible, each setup reports the host as it is now.
    const interpreter = ctx.vars.ansible_python_interpreter;
    const read = { subsets, ...(typeof interpreter === 'string' && interpreter.trim() !== '' ? { interpreter } : {}) };
    return hostFacts.parse(await ctx.connection.exec(hostFacts.command(read), { become: ctx.become }), read);
  },
  plan(args, facts) {
    const patterns = list(args.filter).map(globTest);
    const prefixed = Object.fromEntries(
      Object.entries(facts)
        .map(([name, value]) => [`ansible_${name}`, value] as const)
        .filter(([name]) => patterns.length === 0 || patterns.some((matches) => matches(name))),
    );
    return noop('facts are read, nothing changes', { ansible_facts: prefixed });
  },
  apply: async (_args, plan) => ({ changed: false, result: plan.result }),
});
