// Table-driven: etcd_auth's steps from a found auth state to the wanted one, and the key range of a prefix.
import assert from 'node:assert/strict';
import type { AuthState } from '../../src/etcd/auth-state.js';
import { authSteps, planAuth, prefixRange, type EtcdAuthArgs } from '../../src/modules/etcd-auth.js';
import { ChangeAction } from '../../src/plan/change.js';
import { TaskFailure } from '../../src/modules/task-failure.js';
import { etcdAuthModule } from '../../src/modules/etcd-auth.js';
import { checkModuleArguments } from '../../src/executor/module-arguments.js';
import { UserError } from '../../src/errors/user-error.js';

const builtIn = { root: ['root'], admin: ['root'], backup: ['root'], prometheus: [] };
const app1 = { name: 'app1', permissions: [{ prefix: '/app1/', access: 'readwrite' as const }] };
const app1Range = { key: '/app1/', rangeEnd: '/app10', access: 'readwrite' as const };

describe('etcd_auth: prefixRange', () => {
  const rows: [string, string][] = [
    ['/app1/', '/app10'],
    ['a', 'b'],
    ['/', '0'],
  ];
  for (const [prefix, end] of rows) it(`${prefix} ends before ${end}`, () => assert.equal(prefixRange(prefix, 'read').rangeEnd, end));
});

describe('etcd_auth: authSteps', () => {
  const rows: { title: string; args: EtcdAuthArgs; state: AuthState; steps: string[] }[] = [
    {
      title: 'a cluster without auth: users, roles, then auth on last',
      args: { client_certificates: [app1] },
      state: { enabled: false, users: {}, roles: {} },
      steps: [
        'role-add app1',
        'role-grant app1',
        'user-add root',
        'user-grant root root',
        'user-add admin',
        'user-grant admin root',
        'user-add backup',
        'user-grant backup root',
        'user-add prometheus',
        'user-add app1',
        'user-grant app1 app1',
        'auth-enable',
      ],
    },
    { title: 'everything as wanted: nothing', args: { client_certificates: [app1] }, state: { enabled: true, users: { ...builtIn, app1: ['app1'] }, roles: { app1: [app1Range] } }, steps: [] },
    {
      title: 'prometheus given root by hand, a prefix changed: taken back, replaced',
      args: { client_certificates: [{ name: 'app1', permissions: [{ prefix: '/app1/', access: 'read' }] }] },
      state: { enabled: true, users: { ...builtIn, prometheus: ['root'], app1: ['app1'] }, roles: { app1: [app1Range] } },
      steps: ['role-revoke app1', 'role-grant app1', 'user-revoke prometheus root'],
    },
    { title: 'users etcdops did not create are left alone', args: {}, state: { enabled: true, users: { ...builtIn, someone: ['x'] }, roles: { x: [] } }, steps: [] },
    { title: 'auth off wanted on a cluster with auth: turned off only', args: { enabled: false }, state: { enabled: true, users: builtIn, roles: {} }, steps: ['auth-disable'] },
    { title: 'auth off wanted and off: nothing', args: { enabled: false }, state: { enabled: false, users: {}, roles: {} }, steps: [] },
  ];
  for (const row of rows) {
    it(row.title, () => {
      const steps = authSteps(row.args, row.state).map((s) => [s.op, 'role' in s && s.op.startsWith('role') ? s.role : 'user' in s ? s.user : '', s.op.startsWith('user-') && 'role' in s ? s.role : ''].filter(Boolean).join(' '));
      assert.deepStrictEqual(steps, row.steps);
    });
  }

  it('refuses an added certificate named like one of etcdops own users', () => {
    assert.throws(() => authSteps({ client_certificates: [{ name: 'admin', permissions: [] }] }, { enabled: false, users: {}, roles: {} }), TaskFailure);
  });

  it('refuses an added certificate named like a member (its server and peer certificates would be that user)', () => {
    assert.throws(() => authSteps({ client_certificates: [{ name: 'n2', permissions: [] }] }, { enabled: false, users: {}, roles: {} }, ['n1', 'n2']), /name of an etcd member/);
  });

  it('turning auth on is one visible change with before and after', () => {
    const plan = planAuth({}, { state: { enabled: false, users: builtIn, roles: {} } });
    assert.deepStrictEqual(plan.changes.map((c) => [c.action, c.target, c.before, c.after]), [[ChangeAction.UPDATE, 'etcd authentication', 'off\n', 'on\n']]);
  });

  it('before the cluster exists the plan is deferred', () => assert.match(planAuth({}, {}).deferred ?? '', /do not exist yet/));
});

describe('etcd_auth: the schema of etcd_client_certificates', () => {
  const where = { file: 'inventory.yml', line: 3 };
  const rows: { title: string; certificates: unknown; error?: RegExp }[] = [
    { title: 'a name with prefixes', certificates: [app1] },
    { title: 'no permissions at all (a user that can read nothing)', certificates: [{ name: 'audit', permissions: [] }] },
    { title: 'an unknown access', certificates: [{ name: 'a', permissions: [{ prefix: '/a/', access: 'rw' }] }], error: /access must be equal to one of the allowed values/ },
    { title: 'an empty prefix (the whole keyspace)', certificates: [{ name: 'a', permissions: [{ prefix: '', access: 'read' }] }], error: /prefix must NOT have fewer than 1 characters/ },
    { title: 'a misspelt key', certificates: [{ name: 'a', permisions: [] }], error: /must have required property 'permissions'|must NOT have additional properties/ },
    { title: 'a built-in name', certificates: [{ name: 'admin', permissions: [] }], error: /name must NOT be valid/ },
    { title: 'a name that is no file stem', certificates: [{ name: '../x', permissions: [] }], error: /name must match pattern/ },
  ];
  for (const row of rows) {
    it(row.title, () => {
      const check = () => checkModuleArguments(etcdAuthModule, { client_certificates: row.certificates }, where);
      if (row.error === undefined) check();
      else assert.throws(check, (e: unknown) => e instanceof UserError && row.error!.test(e.message));
    });
  }
});
