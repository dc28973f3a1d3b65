// dnf: Red Hat-family packages installed, upgraded or removed with dnf, the metadata refreshed on request.
// Versions are read with rpm and dnf repoquery. On a host without dnf the task fails naming what it has.
import { type PackageFacts, packageVersions } from '../facts/package-versions.js';
import { defineModule } from './module.js';
import { PACKAGE_ARGS_SCHEMA, type PackageArgs, applyPackages, missingManager, packageRequests, planPackages } from './package-plan.js';

export const dnfModule = defineModule<PackageArgs, PackageFacts>({
  name: 'dnf',
  aliases: { pkg: 'name', 'expire-cache': 'update_cache' },
  description: 'Install, upgrade or remove Red Hat-family packages with dnf, refreshing the metadata on request.',
  schema: { type: 'object', additionalProperties: false, properties: { ...PACKAGE_ARGS_SCHEMA } },
  example: `- name: Tools for debugging etcd hosts
  dnf:
    name: [jq, curl]
    state: present
`,
  idempotent: true,
  freeForm: 'name',
  gather: (args, ctx) => ctx.facts.read(packageVersions, { manager: 'dnf', names: packageRequests(args.name).map((r) => r.name) }),
  plan(args, facts, ctx) {
    if (facts.manager !== 'dnf') throw missingManager('dnf', facts, ctx.host);
    return planPackages(args, facts, 'dnf');
  },
  apply: (args, plan, ctx) => applyPackages(args, plan, 'dnf', ctx),
});
