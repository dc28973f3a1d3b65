// The `initial-cluster` value of etcd's config: `name=https://address:peerPort` for every initial member.

export interface InitialMember {
  readonly name: string;
  readonly address: string;
}

/** IPv6 addresses need brackets inside a URL. */
export function hostForUrl(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

export function initialClusterString(members: readonly InitialMember[], peerPort: number): string {
  return members.map((m) => `${m.name}=https://${hostForUrl(m.address)}:${peerPort}`).join(',');
}
