// The lab's private network: a bridge holding the mirror's address, and per host a named network
// namespace joined to the bridge by a veth pair. IPv6 is off everywhere (no stray router
// solicitations) and no host gets a default route, so lab traffic never leaves this machine.
import { writeFile } from 'node:fs/promises';
import { bridgeAddressOf, bridgeNameOf } from './lab-layout.js';
import type { LabHostState } from './lab-state.js';
import { runCommand } from './run-command.js';

async function linkExists(name: string): Promise<boolean> {
  return (await runCommand('ip', ['link', 'show', 'dev', name], { allowFailure: true })).code === 0;
}

async function netnsExists(name: string): Promise<boolean> {
  return (await runCommand('ip', ['netns', 'list'])).stdout.split('\n').some((line) => line.split(' ')[0] === name);
}

async function disableIpv6(device: string): Promise<void> {
  await writeFile(`/proc/sys/net/ipv6/conf/${device}/disable_ipv6`, '1').catch(() => undefined);
}

export async function ensureBridge(index: number): Promise<void> {
  const bridge = bridgeNameOf(index);
  if (!(await linkExists(bridge))) await runCommand('ip', ['link', 'add', bridge, 'type', 'bridge']);
  await disableIpv6(bridge);
  await runCommand('ip', ['addr', 'replace', `${bridgeAddressOf(index)}/24`, 'dev', bridge]);
  await runCommand('ip', ['link', 'set', bridge, 'up']);
}

export async function removeBridge(index: number): Promise<void> {
  await runCommand('ip', ['link', 'del', bridgeNameOf(index)], { allowFailure: true });
}

/** Creates (or completes) the host's netns and veth; safe to repeat. */
export async function ensureHostLink(index: number, host: LabHostState): Promise<void> {
  if (!(await netnsExists(host.netns))) await runCommand('ip', ['netns', 'add', host.netns]);
  await runCommand('ip', [
    'netns', 'exec', host.netns, 'sh', '-c',
    'for f in all default lo; do echo 1 > /proc/sys/net/ipv6/conf/$f/disable_ipv6; done',
  ]);
  if (!(await linkExists(host.veth))) {
    await runCommand('ip', ['link', 'add', host.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host.netns]);
  }
  await disableIpv6(host.veth);
  await runCommand('ip', ['link', 'set', host.veth, 'master', bridgeNameOf(index), 'up']);
  const batch = [
    `addr replace ${host.address}/24 dev eth0`,
    'link set lo up',
    'link set eth0 up',
  ].join('\n');
  await runCommand('ip', ['-n', host.netns, '-batch', '-'], { input: `${batch}\n` });
}

export async function removeHostLink(host: Pick<LabHostState, 'netns' | 'veth'>): Promise<void> {
  await runCommand('ip', ['link', 'del', host.veth], { allowFailure: true });
  await runCommand('ip', ['netns', 'del', host.netns], { allowFailure: true });
}

/** Names of leftover links and namespaces of a lab, found by prefix (after a crash lost the state). */
export async function findLabLinks(index: number): Promise<{ readonly veths: readonly string[]; readonly netns: readonly string[] }> {
  const links = (await runCommand('ip', ['-o', 'link', 'show'])).stdout;
  const vethPattern = new RegExp(`^etl${index}n\\d+$`);
  const veths = links
    .split('\n')
    .map((line) => line.split(':')[1]?.trim().split('@')[0] ?? '')
    .filter((name) => vethPattern.test(name));
  const nsPattern = new RegExp(`^etcdlab${index}-n\\d+$`);
  const netns = (await runCommand('ip', ['netns', 'list'])).stdout
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => nsPattern.test(name));
  return { veths, netns };
}

export async function bridgeExists(index: number): Promise<boolean> {
  return linkExists(bridgeNameOf(index));
}
