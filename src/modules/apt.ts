// apt: Debian-family packages installed, upgraded or removed with apt-get, the package lists refreshed on
// request (`update_cache`, `cache_valid_time`). Versions are read with dpkg-query and apt-cache policy.
import { type PackageFacts, packageVersions } from '../facts/package-versions.js';
import { defineModule } from './module.js';
import { PACKAGE_ARGS_SCHEMA, type PackageArgs, applyPackages, missingManager, packageRequests, planPackages } from './package-plan.js';

export const aptModule = defineModule<PackageArgs, PackageFacts>({
  name: 'apt',
  aliases: { 'allow-downgrade': 'allow_downgrade', allow_downgrades: 'allow_downgrade', 'allow-downgrades': 'allow_downgrade', 'install-recommends': 'install_recommends', package: 'name', pkg: 'name', 'update-cache': 'update_cache' },
  description: 'Install, upgrade or remove Debian packages with apt-get, refreshing the package lists on request.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ...PACKAGE_ARGS_SCHEMA,
      cache_valid_time: { type: 'integer', minimum: 0, description: 'With update_cache, refresh only when the lists are older than this many seconds.' },
      purge: { type: 'boolean', description: 'With state absent, also remove the configuration files.' },
      allow_downgrade: { type: 'boolean', description: 'Let NAME=VERSION install a version older than the installed one (apt refuses otherwise).' },
      install_recommends: { type: 'boolean', description: "Install recommended packages too (default: apt's own setting)." },
    },
  },
  example: `- name: Tools for debugging etcd hosts
  apt:
    name: [jq, curl]
    update_cache: true
    cache_valid_time: 3600
`,
  idempotent: true,
  freeForm: 'name',
  gather: (args, ctx) => ctx.facts.read(packageVersions, { manager: 'apt', names: packageRequests(args.name).map((r) => r.name) }),
  plan(args, facts, ctx) {
    if (facts.manager !== 'apt') throw missingManager('apt', facts, ctx.host);
    return planPackages(args, facts, 'apt');
  },
  apply: (args, plan, ctx) => applyPackages(args, plan, 'apt', ctx),
});
