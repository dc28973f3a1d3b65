// Operands a user gives never read as options: getent and id get `--`, so a user or group named
// `--help` is looked up (and found absent) instead of printing help that reads as "exists"; cd gets `--` too.
import assert from 'node:assert/strict';
import { LocalConnection } from '../../src/connection/local.js';
import { groupEntry } from '../../src/facts/group-entry.js';
import { pathsExist } from '../../src/facts/paths-exist.js';
import { userAccount } from '../../src/facts/user-account.js';

describe('facts with option-like operands', () => {
  const connection = new LocalConnection();
  for (const name of ['--help', '-s']) {
    it(`user_account ${name} is absent`, async () => {
      const args = { name };
      assert.deepEqual(userAccount.parse(await connection.exec(userAccount.command(args)), args), { exists: false });
    });
    it(`group_entry ${name} is absent`, async () => {
      const args = { name };
      assert.deepEqual(groupEntry.parse(await connection.exec(groupEntry.command(args)), args), { exists: false });
    });
  }
  it('paths_exist with chdir "-P" looks in a folder named -P (absent), not in $HOME', async () => {
    const args = { paths: ['.'], cwd: '-P' };
    assert.deepEqual(pathsExist.parse(await connection.exec(pathsExist.command(args)), args), { '.': false });
  });

  it('root is still found', async () => {
    const user = userAccount.parse(await connection.exec(userAccount.command({ name: 'root' })), { name: 'root' });
    assert.equal(user.exists && user.uid, 0);
  });
});
