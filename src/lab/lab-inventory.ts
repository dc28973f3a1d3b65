// The lab's inventory, in Ansible's YAML inventory format, so etcdops and ansible both use it as is.
import { CHECKSUMS_FILE } from './artifact-cache.js';

export interface LabInventoryInput {
  readonly keyFile: string;
  readonly knownHostsFile: string;
  readonly mirrorUrl: string;
  readonly hosts: readonly { readonly name: string; readonly address: string }[];
}

/** JSON strings are valid YAML scalars, and quote any path safely. */
const quote = (value: string): string => JSON.stringify(value);

export function renderLabInventory(input: LabInventoryInput): string {
  const commonArgs = `-o UserKnownHostsFile=${input.knownHostsFile} -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes`;
  const lines = [
    '# Written by `etcdops lab up`; rewritten when the lab changes.',
    '# Artifact mirror layout: {etcd_download_base_url}/vX.Y.Z/etcd-vX.Y.Z-linux-amd64.tar.gz,',
    `# checksums of all tarballs (sha256sum format) at {etcd_download_base_url}/${CHECKSUMS_FILE}; Prometheus,`,
    '# Alertmanager and node_exporter at {etcd_monitoring_download_base_url}/NAME/releases/download/vX.Y.Z/.',
    'all:',
    '  vars:',
    '    ansible_user: root',
    `    ansible_ssh_private_key_file: ${quote(input.keyFile)}`,
    `    ansible_ssh_common_args: ${quote(commonArgs)}`,
    `    etcd_download_base_url: ${quote(input.mirrorUrl)}`,
    `    etcd_checksums_url: ${quote(`${input.mirrorUrl}/${CHECKSUMS_FILE}`)}`,
    `    etcd_monitoring_download_base_url: ${quote(input.mirrorUrl)}`,
    `    etcd_monitoring_checksums_url: ${quote(`${input.mirrorUrl}/${CHECKSUMS_FILE}`)}`,
    '  children:',
    '    etcd:',
    '      hosts:',
    ...input.hosts.map((host) => `        ${host.name}: { ansible_host: ${host.address} }`),
  ];
  return `${lines.join('\n')}\n`;
}
