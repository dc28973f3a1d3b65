import { strictEqual, deepStrictEqual } from 'node:assert/strict';
import { homedir } from 'node:os';
import { sshSettingsFor } from '../../src/connection/ssh-settings.js';

describe('sshSettingsFor', () => {
  it('reads Ansible connection variables, resolving key paths against the inventory folder', () => {
    const s = sshSettingsFor('n1', {
      ansible_host: '10.0.0.5',
      ansible_port: 2222,
      ansible_user: 'ops',
      ansible_ssh_private_key_file: 'keys/id',
      ansible_ssh_common_args: '-o UserKnownHostsFile=kh -o StrictHostKeyChecking=yes -J jump@bastion:2200',
    }, '/inv');
    deepStrictEqual(
      [s.address, s.port, s.user, s.privateKeyFile, s.knownHostsFiles.user, s.hostKeyChecking, s.jump],
      ['10.0.0.5', 2222, 'ops', '/inv/keys/id', ['/inv/kh'], 'strict', 'jump@bastion:2200'],
    );
  });
  it('defaults the address to the host name and checking to strict', () => {
    const s = sshSettingsFor('db1', {}, '/inv');
    strictEqual(s.address, 'db1');
    strictEqual(s.port, 22);
    strictEqual(s.hostKeyChecking, 'strict');
  });
  it('reads known_hosts file lists as ssh_config does, quoted or not, and none', () => {
    const s = sshSettingsFor('h', { ansible_ssh_common_args: `-o UserKnownHostsFile="kh ~/.ssh/other" -o 'GlobalKnownHostsFile=none'` }, '/inv');
    deepStrictEqual(s.knownHostsFiles, { user: ['/inv/kh', `${homedir()}/.ssh/other`], global: [] });
    const defaults = sshSettingsFor('h', {}, '/inv').knownHostsFiles;
    deepStrictEqual(defaults, {
      user: [`${homedir()}/.ssh/known_hosts`, `${homedir()}/.ssh/known_hosts2`],
      global: ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'],
    });
  });
  const checking: { args: string; vars?: Record<string, unknown>; override?: 'off' | 'accept-new'; mode: string }[] = [
    { args: '-o StrictHostKeyChecking=no', mode: 'off' },
    { args: '-o StrictHostKeyChecking=accept-new', mode: 'accept-new' },
    { args: '', vars: { ansible_host_key_checking: false }, mode: 'off' },
    { args: '-o StrictHostKeyChecking=yes', override: 'accept-new', mode: 'accept-new' },
  ];
  for (const { args, vars, override, mode } of checking) {
    it(`host-key checking "${args}" ${JSON.stringify(vars ?? {})} ${override ?? ''} → ${mode}`, () =>
      strictEqual(sshSettingsFor('h', { ansible_ssh_common_args: args, ...vars }, '/', override).hostKeyChecking, mode));
  }
  const keepalives: { args: string; vars?: Record<string, unknown>; interval: number; count: number; connect: number }[] = [
    { args: '', interval: 15_000, count: 3, connect: 10_000 },
    { args: '-o ServerAliveInterval=1 -o ServerAliveCountMax=5', interval: 1000, count: 5, connect: 10_000 },
    { args: '-oServerAliveInterval=2', vars: { ansible_timeout: 3 }, interval: 2000, count: 3, connect: 3000 },
    { args: '-o ConnectTimeout=4', interval: 15_000, count: 3, connect: 4000 },
  ];
  for (const { args, vars, interval, count, connect } of keepalives) {
    it(`keepalives and connect timeout from "${args}" ${JSON.stringify(vars ?? {})} → ${interval} ms × ${count}, connect ${connect} ms`, () => {
      const s = sshSettingsFor('h', { ansible_ssh_common_args: args, ...vars }, '/');
      deepStrictEqual([s.aliveIntervalMs, s.aliveCountMax, s.connectTimeoutMs], [interval, count, connect]);
    });
  }
});
