// etcd's authentication state through the API with the admin certificate: whether auth is on, its users
// with their roles and its roles with their key permissions; and the steps that change it, one call each.
// With client-cert-auth etcd takes the user name from the client certificate's common name, so users
// are created without a password and nobody can log in with one.
import type { Etcd3 } from 'etcd3';
import { UserError } from '../errors/user-error.js';
import { withAnyEndpoint, type ClusterAccess } from './cluster-access.js';

export type KeyAccess = 'read' | 'write' | 'readwrite';

/** One key range a role may use: `[key, rangeEnd)`, or the single `key` when rangeEnd is empty. */
export interface KeyPermission {
  readonly key: string;
  readonly rangeEnd: string;
  readonly access: KeyAccess;
}

export interface AuthState {
  readonly enabled: boolean;
  /** User name to its roles, sorted. */
  readonly users: Readonly<Record<string, readonly string[]>>;
  /** Role name to its permissions (`root` is built in and has none listed). */
  readonly roles: Readonly<Record<string, readonly KeyPermission[]>>;
}

/** One change to the auth state, executed as one etcd call. */
export type AuthStep =
  | { readonly op: 'role-add'; readonly role: string }
  | { readonly op: 'role-grant'; readonly role: string; readonly permission: KeyPermission }
  | { readonly op: 'role-revoke'; readonly role: string; readonly permission: KeyPermission }
  | { readonly op: 'user-add'; readonly user: string }
  | { readonly op: 'user-grant'; readonly user: string; readonly role: string }
  | { readonly op: 'user-revoke'; readonly user: string; readonly role: string }
  | { readonly op: 'auth-enable' }
  | { readonly op: 'auth-disable' };

const ACCESS_BY_TYPE: Readonly<Record<string, KeyAccess>> = { Read: 'read', Write: 'write', Readwrite: 'readwrite' };
const TYPE_BY_ACCESS = { read: 'Read', write: 'Write', readwrite: 'Readwrite' } as const;

/**
 * Whether auth is on. etcd 3.5 answers AuthStatus; 3.4 has no such call, but refuses Authenticate with
 * "authentication is not enabled" only while auth is off (a made-up user fails otherwise).
 */
async function authEnabled(client: Etcd3): Promise<boolean> {
  try {
    return (await client.auth.authStatus()).enabled;
  } catch (error) {
    if (!/unimplemented|unknown method|unknown service/i.test((error as Error).message)) throw error;
  }
  try {
    await client.auth.authenticate({ name: 'etcdops-auth-probe', password: 'x' });
    return true;
  } catch (error) {
    if (/authentication is not enabled/i.test((error as Error).message)) return false;
    if (/authentication failed|invalid user ID or password/i.test((error as Error).message)) return true;
    throw error;
  }
}

export async function readAuthState(access: ClusterAccess): Promise<AuthState> {
  return withAnyEndpoint(access, async (client) => {
    const enabled = await authEnabled(client);
    const [userNames, roleNames] = await Promise.all([client.auth.userList(), client.auth.roleList()]);
    const users: Record<string, string[]> = {};
    for (const name of userNames.users) users[name] = [...(await client.auth.userGet({ name })).roles].sort();
    const roles: Record<string, KeyPermission[]> = {};
    for (const name of roleNames.roles) {
      roles[name] = (await client.auth.roleGet({ role: name })).perm.map((p) => ({
        key: p.key.toString('utf8'),
        rangeEnd: p.range_end.toString('utf8'),
        access: ACCESS_BY_TYPE[p.permType] ?? 'readwrite',
      }));
    }
    return { enabled, users, roles };
  });
}

async function runStep(client: Etcd3, step: AuthStep): Promise<void> {
  const auth = client.auth;
  switch (step.op) {
    case 'role-add':
      return void (await auth.roleAdd({ name: step.role }));
    case 'role-grant':
      return void (await auth.roleGrantPermission({
        name: step.role,
        perm: { permType: TYPE_BY_ACCESS[step.permission.access], key: Buffer.from(step.permission.key), range_end: Buffer.from(step.permission.rangeEnd) },
      }));
    case 'role-revoke':
      return void (await auth.roleRevokePermission({ role: step.role, key: Buffer.from(step.permission.key), range_end: Buffer.from(step.permission.rangeEnd) }));
    case 'user-add':
      return void (await auth.userAdd({ name: step.user, options: { no_password: true } }));
    case 'user-grant':
      return void (await auth.userGrantRole({ user: step.user, role: step.role }));
    case 'user-revoke':
      return void (await auth.userRevokeRole({ name: step.user, role: step.role }));
    case 'auth-enable':
      return void (await auth.authEnable());
    case 'auth-disable':
      return void (await auth.authDisable());
  }
}

/** Runs the steps in order on one member that answers; stops at the first refusal, naming the step. */
export async function applyAuthSteps(access: ClusterAccess, steps: readonly AuthStep[]): Promise<void> {
  await withAnyEndpoint(access, async (client) => {
    for (const step of steps) {
      try {
        await runStep(client, step);
      } catch (error) {
        throw new UserError(`etcd auth: ${describeAuthStep(step)} failed: ${(error as Error).message}`);
      }
    }
  });
}

function describeRange(p: KeyPermission): string {
  return p.rangeEnd === '' ? `key ${JSON.stringify(p.key)}` : `keys [${JSON.stringify(p.key)}, ${JSON.stringify(p.rangeEnd)})`;
}

/** One line per step, as plans and errors show it. */
export function describeAuthStep(step: AuthStep): string {
  switch (step.op) {
    case 'role-add':
      return `add role ${step.role}`;
    case 'role-grant':
      return `grant role ${step.role} ${step.permission.access} on ${describeRange(step.permission)}`;
    case 'role-revoke':
      return `revoke from role ${step.role} ${step.permission.access} on ${describeRange(step.permission)}`;
    case 'user-add':
      return `add user ${step.user} (no password: it authenticates by its client certificate)`;
    case 'user-grant':
      return `grant role ${step.role} to user ${step.user}`;
    case 'user-revoke':
      return `revoke role ${step.role} from user ${step.user}`;
    case 'auth-enable':
      return 'enable authentication';
    case 'auth-disable':
      return 'disable authentication';
  }
}
