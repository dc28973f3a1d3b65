// What callers learn about a lab: where its inventory, keys and mirror are, and each host's state.
import { join } from 'node:path';
import { mirrorUrlOf } from './artifact-mirror.js';
import { bridgeAddressOf, subnetOf } from './lab-layout.js';
import { labStateDir } from './lab-paths.js';
import type { LabState } from './lab-state.js';

export type LabHostRunState = 'running' | 'stopped';

export interface LabHostInfo {
  readonly name: string;
  readonly address: string;
  readonly state: LabHostRunState;
  readonly pid: number | null;
}

export interface LabInfo {
  readonly name: string;
  readonly stateDir: string;
  /** Absolute path of the Ansible-format inventory of the lab. */
  readonly inventory: string;
  readonly subnet: string;
  readonly bridgeAddress: string;
  /** Root URL of the artifact mirror (tarballs under /vX.Y.Z/, checksums at /SHA256SUMS). */
  readonly mirrorUrl: string;
  /** Private key authorised for root and the sudo user on every host. */
  readonly keyFile: string;
  /** The pinned host keys; use with StrictHostKeyChecking=yes. */
  readonly knownHostsFile: string;
  readonly hosts: readonly LabHostInfo[];
}

export function labFiles(name: string) {
  const dir = labStateDir(name);
  return {
    dir,
    inventory: join(dir, 'inventory.yml'),
    keyFile: join(dir, 'id_ed25519'),
    knownHostsFile: join(dir, 'known_hosts'),
    hostsDir: join(dir, 'hosts'),
    logsDir: join(dir, 'logs'),
  } as const;
}

export function labInfoOf(state: LabState, running: ReadonlySet<string>): LabInfo {
  const files = labFiles(state.name);
  const bridgeAddress = bridgeAddressOf(state.index);
  return {
    name: state.name,
    stateDir: files.dir,
    inventory: files.inventory,
    subnet: subnetOf(state.index),
    bridgeAddress,
    mirrorUrl: mirrorUrlOf(bridgeAddress),
    keyFile: files.keyFile,
    knownHostsFile: files.knownHostsFile,
    hosts: state.hosts.map((host) => ({
      name: host.name,
      address: host.address,
      state: running.has(host.name) ? 'running' : 'stopped',
      pid: running.has(host.name) ? host.pid : null,
    })),
  };
}
