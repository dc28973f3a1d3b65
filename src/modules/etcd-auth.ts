// etcd_auth: etcd's own authentication, on or off, with one user per client certificate etcdops issues
// (etcd maps the certificate's common name to the user) and the narrowest role each: admin is root;
// backup is root too, because etcd 3.4 and 3.5 allow Maintenance.Snapshot to the root role only;
// prometheus has no role (metrics need none); a certificate the inventory adds gets a role of its own with
// the key prefixes it declares. Turning auth on is one visible change; users etcdops did not create are left alone.
import { applyAuthSteps, describeAuthStep, readAuthState, type AuthState, type AuthStep, type KeyAccess, type KeyPermission } from '../etcd/auth-state.js';
import { ChangeAction, type Change, type TaskPlan, noop } from '../plan/change.js';
import { booleanWord } from '../playbook/ansible-boolean.js';
import { clusterAccess, memberEndpoints, memberHosts } from '../etcd/cluster-spec.js';
import { defineModule } from './module.js';
import { TaskFailure } from './task-failure.js';

export interface ClientCertificatePermission {
  readonly prefix: string;
  readonly access: KeyAccess;
}

export interface ClientCertificateSpec {
  readonly name: string;
  readonly permissions?: readonly ClientCertificatePermission[];
}

export interface EtcdAuthArgs {
  /** Strings too, as `-e etcd_auth=false` gives one (Ansible's boolean spellings). */
  readonly enabled?: boolean | 'true' | 'false' | 'yes' | 'no';
  readonly client_certificates?: readonly ClientCertificateSpec[];
  readonly local_pki_dir?: string;
}

export interface EtcdAuthFacts {
  /** Undefined before the cluster and its admin certificate exist. */
  readonly state?: AuthState;
}

/** etcd refuses to enable auth unless a user named root with the root role exists. */
const ROOT = 'root';

/** The users etcdops issues certificates for, and their roles (role names equal to user names are user roles). */
export const BUILT_IN_USERS: Readonly<Record<string, readonly string[]>> = {
  [ROOT]: [ROOT],
  admin: [ROOT],
  backup: [ROOT],
  prometheus: [],
};

/** `[prefix, prefix + 1)`: every key that starts with the prefix, as `etcdctl --prefix` computes it. */
export function prefixRange(prefix: string, access: KeyAccess): KeyPermission {
  const bytes = Buffer.from(prefix, 'utf8');
  let end = bytes.length - 1;
  while (end >= 0 && bytes[end] === 0xff) end--;
  // A prefix of only 0xff bytes (never valid UTF-8, kept for completeness) means "to the end of the keyspace".
  if (end < 0) return { key: prefix, rangeEnd: '\0', access };
  const rangeEnd = Buffer.from(bytes.subarray(0, end + 1));
  rangeEnd[end] = rangeEnd[end]! + 1;
  return { key: prefix, rangeEnd: rangeEnd.toString('latin1'), access };
}

const samePermission = (a: KeyPermission, b: KeyPermission) => a.key === b.key && a.rangeEnd === b.rangeEnd && a.access === b.access;

/** Every user and role wanted, from the built-in users and the inventory's client certificates. */
export function wantedAuth(specs: readonly ClientCertificateSpec[], memberNames: readonly string[] = []): { users: Record<string, readonly string[]>; roles: Record<string, readonly KeyPermission[]> } {
  const users: Record<string, readonly string[]> = { ...BUILT_IN_USERS };
  const roles: Record<string, readonly KeyPermission[]> = {};
  for (const spec of specs) {
    if (Object.hasOwn(users, spec.name)) throw new TaskFailure(`client certificate "${spec.name}" (etcd_client_certificates) is a name etcdops uses itself: choose another name`);
    // A member's server and peer certificates carry its name as common name: that user would be theirs too.
    if (memberNames.includes(spec.name)) throw new TaskFailure(`client certificate "${spec.name}" (etcd_client_certificates) has the name of an etcd member: choose another name`);
    users[spec.name] = [spec.name];
    roles[spec.name] = (spec.permissions ?? []).map((p) => prefixRange(p.prefix, p.access));
  }
  return { users, roles };
}

function stepChange(step: AuthStep): Change {
  const action = step.op.endsWith('-add') ? ChangeAction.CREATE : step.op.endsWith('-revoke') ? ChangeAction.DELETE : ChangeAction.UPDATE;
  const target = 'role' in step && step.op.startsWith('role') ? `etcd role ${step.role}` : 'user' in step ? `etcd user ${step.user}` : 'etcd authentication';
  const toggles = step.op === 'auth-enable' || step.op === 'auth-disable';
  return {
    action,
    target,
    reason: describeAuthStep(step),
    ...(toggles ? { before: step.op === 'auth-enable' ? 'off\n' : 'on\n', after: step.op === 'auth-enable' ? 'on\n' : 'off\n' } : {}),
  };
}

const isEnabled = (args: EtcdAuthArgs): boolean => args.enabled === undefined || args.enabled === true || (typeof args.enabled === 'string' && booleanWord(args.enabled) === true);

/** The steps from `state` to the wanted state, in an order etcd accepts: roles, users, then auth on. */
export function authSteps(args: EtcdAuthArgs, state: AuthState, memberNames: readonly string[] = []): AuthStep[] {
  const enabled = isEnabled(args);
  if (!enabled) return state.enabled ? [{ op: 'auth-disable' }] : [];
  const wanted = wantedAuth(args.client_certificates ?? [], memberNames);
  const steps: AuthStep[] = [];
  for (const [role, permissions] of Object.entries(wanted.roles)) {
    const found = state.roles[role];
    if (found === undefined) steps.push({ op: 'role-add', role });
    for (const p of found ?? []) if (!permissions.some((w) => samePermission(w, p))) steps.push({ op: 'role-revoke', role, permission: p });
    for (const p of permissions) if (!(found ?? []).some((f) => samePermission(f, p))) steps.push({ op: 'role-grant', role, permission: p });
  }
  for (const [user, roles] of Object.entries(wanted.users)) {
    const found = state.users[user];
    if (found === undefined) steps.push({ op: 'user-add', user });
    for (const role of found ?? []) if (!roles.includes(role)) steps.push({ op: 'user-revoke', user, role });
    for (const role of roles) if (!(found ?? []).includes(role)) steps.push({ op: 'user-grant', user, role });
  }
  if (!state.enabled) steps.push({ op: 'auth-enable' });
  return steps;
}

export function planAuth(args: EtcdAuthArgs, facts: EtcdAuthFacts, memberNames: readonly string[] = []): TaskPlan {
  if (facts.state === undefined) return { changes: [], deferred: 'the cluster and its admin certificate do not exist yet (known after a real run)' };
  const steps = authSteps(args, facts.state, memberNames);
  const result = { enabled: isEnabled(args), users: Object.keys(facts.state.users).sort() };
  if (steps.length === 0) return noop(`authentication is ${result.enabled ? 'on, every user with its roles' : 'off'}`, result);
  return { changes: steps.map(stepChange), result: { ...result, steps } };
}

const accessSchema = { type: 'string', enum: ['read', 'write', 'readwrite'], description: 'What the certificate may do with these keys.' };

/** The inventory's `etcd_client_certificates`, shared with the role's validation of that variable. */
export const clientCertificatesSchema = {
  type: 'array',
  description: 'Client certificates the inventory adds (etcd_client_certificates): each is a user with a role of its own.',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'permissions'],
    properties: {
      name: {
        type: 'string',
        pattern: '^[A-Za-z0-9_.-]+$',
        not: { enum: Object.keys(BUILT_IN_USERS) },
        description: 'User name: the certificate common name and file stem (not root, admin, backup or prometheus).',
      },
      permissions: {
        type: 'array',
        description: 'Key prefixes the certificate may use; an empty list allows no key at all.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['prefix', 'access'],
          properties: {
            prefix: { type: 'string', minLength: 1, description: 'Every key starting with this text, e.g. /app1/.' },
            access: accessSchema,
          },
        },
      },
    },
  },
} as const;

export const etcdAuthModule = defineModule<EtcdAuthArgs, EtcdAuthFacts>({
  name: 'etcd_auth',
  description:
    'Turn etcd authentication on (or off) with a user per client certificate and the narrowest role each: admin and backup root (snapshots need root), prometheus none, added certificates their declared key prefixes.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      enabled: { type: ['boolean', 'string'], enum: [true, false, 'true', 'false', 'yes', 'no'], description: 'Authentication on (default true) or off.' },
      client_certificates: clientCertificatesSchema,
      local_pki_dir: { type: 'string', description: 'Folder of the admin client certificate on the control node (default: etcd_local_pki_dir).' },
    },
  },
  example: `- name: etcd authentication
  etcd_auth:
    enabled: true
    client_certificates:
      - name: app1
        permissions: [{prefix: /app1/, access: readwrite}]
  run_once: true
`,
  idempotent: true,
  controlOnly: true,
  async gather(args, ctx) {
    const access = await clusterAccess(ctx, { pkiDir: args.local_pki_dir });
    return access === undefined ? {} : { state: await readAuthState(await memberEndpoints(access)) };
  },
  plan: (args, facts, ctx) => planAuth(args, facts, memberHosts(ctx)),
  async apply(args, plan, ctx) {
    const access = (await clusterAccess(ctx, { pkiDir: args.local_pki_dir }))!;
    const steps = (plan.result?.steps ?? []) as AuthStep[];
    await applyAuthSteps(await memberEndpoints(access), steps);
    return { changed: true, result: { ...plan.result } };
  },
});
