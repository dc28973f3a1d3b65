// Runs the real ansible-playbook, the oracle the CLI's tests compare etcdops with.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';

export function ansiblePlaybook(args: readonly string[]): SpawnSyncReturns<string> {
  return spawnSync('ansible-playbook', [...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'false', ANSIBLE_HOST_KEY_CHECKING: 'false' },
  });
}
