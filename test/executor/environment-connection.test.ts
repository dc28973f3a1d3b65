// environment: values reach the command as they are, whatever quotes, dollars or newlines they hold.
import { strictEqual } from 'node:assert/strict';
import { withEnvironment } from '../../src/executor/environment-connection.js';
import { LocalConnection } from '../../src/connection/local.js';

describe('environment for command and shell', () => {
  const values = ["it's", '$(echo injected) `echo too`', 'a "b" \\c', 'line1\nline2', '', 'plain', true, 8080];
  for (const value of values) {
    it(`passes ${JSON.stringify(value)} through unchanged`, async () => {
      const connection = withEnvironment(new LocalConnection(), { VALUE: value });
      const out = await connection.exec('printf %s "$VALUE"');
      // Values are strings as Ansible makes them: Python's str() (True, not true).
      strictEqual(out.stdout, value === true ? 'True' : String(value));
    });
  }

  it('later layers are what the task sees', async () => {
    const connection = withEnvironment(new LocalConnection(), { A: 'play', B: 'task' });
    strictEqual((await connection.exec('printf %s-%s "$A" "$B"')).stdout, 'play-task');
  });
});
