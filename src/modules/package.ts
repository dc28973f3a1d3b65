// package: Ansible's generic package module. It drives the host's own manager (apt or dnf): the one named
// by `use`, else the `pkg_mgr` fact when facts were gathered, else the one found on the host while gathering.
import { type PackageFacts, type PackageManager, PACKAGE_MANAGERS, packageVersions } from '../facts/package-versions.js';
import { defineModule, type ModuleContext } from './module.js';
import { PACKAGE_ARGS_SCHEMA, type PackageArgs, applyPackages, missingManager, packageRequests, planPackages } from './package-plan.js';
import { TaskFailure } from './task-failure.js';

export interface GenericPackageArgs extends Pick<PackageArgs, 'name' | 'state'> {
  readonly use?: 'auto' | PackageManager;
}

/** The manager facts name (Ansible's `pkg_mgr`), when it is one etcdops drives. */
function managerFromFacts(vars: ModuleContext['vars']): PackageManager | undefined {
  const facts = vars.ansible_facts as Record<string, unknown> | undefined;
  const named = facts?.pkg_mgr ?? vars.ansible_pkg_mgr;
  return (PACKAGE_MANAGERS as readonly unknown[]).includes(named) ? (named as PackageManager) : undefined;
}

function chosenManager(args: GenericPackageArgs, ctx: ModuleContext): PackageManager | 'auto' {
  return args.use && args.use !== 'auto' ? args.use : managerFromFacts(ctx.vars) ?? 'auto';
}

export const packageModule = defineModule<GenericPackageArgs, PackageFacts>({
  name: 'package',
  description: "Install, upgrade or remove packages with the host's own manager (apt or dnf).",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: PACKAGE_ARGS_SCHEMA.name,
      state: PACKAGE_ARGS_SCHEMA.state,
      use: { type: 'string', enum: ['auto', ...PACKAGE_MANAGERS], description: "The manager to use (default auto: the host's pkg_mgr fact, else the one found on the host)." },
    },
  },
  example: `- name: chrony keeps the clocks of etcd members close
  package:
    name: chrony
    state: present
`,
  idempotent: true,
  freeForm: 'name',
  gather: (args, ctx) => ctx.facts.read(packageVersions, { manager: chosenManager(args, ctx), names: packageRequests(args.name).map((r) => r.name) }),
  plan(args, facts, ctx) {
    const wanted = chosenManager(args, ctx);
    if (facts.manager === undefined) {
      if (wanted !== 'auto') throw missingManager(wanted, facts, ctx.host);
      throw new TaskFailure(`${ctx.host} has no package manager etcdops drives (${PACKAGE_MANAGERS.join(', ')}); install packages another way (command) or use a host that has one`);
    }
    const plan = planPackages(args, facts, facts.manager);
    return { ...plan, result: { ...plan.result, pkg_mgr: facts.manager } };
  },
  apply(args, plan, ctx) {
    const manager = plan.result?.pkg_mgr as PackageManager;
    return applyPackages(args, plan, manager, ctx);
  },
});
