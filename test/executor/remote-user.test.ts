// remote_user is the login user only where the inventory names none (ansible_user wins, as in Ansible 2.14).
import { deepStrictEqual } from 'node:assert/strict';
import { withRemoteUser } from '../../src/executor/connection-pool.js';

describe('remote_user', () => {
  const table = [
    { name: 'no remote_user: the inventory as it is', vars: { ansible_host: '10.0.0.1' }, remoteUser: undefined, user: undefined },
    { name: 'remote_user where the inventory names no user', vars: { ansible_host: '10.0.0.1' }, remoteUser: 'deploy', user: 'deploy' },
    { name: 'ansible_user wins over remote_user', vars: { ansible_user: 'admin' }, remoteUser: 'deploy', user: 'admin' },
    { name: 'ansible_ssh_user wins too', vars: { ansible_ssh_user: 'old' }, remoteUser: 'deploy', user: undefined },
  ];
  for (const c of table) {
    it(c.name, () => {
      deepStrictEqual(withRemoteUser(c.vars, c.remoteUser).ansible_user, c.user);
    });
  }
});
