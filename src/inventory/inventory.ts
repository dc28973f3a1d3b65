// The inventory model: hosts with their merged variables and the groups they belong to,
// in the order the source lists them (patterns and `serial` batches keep that order).

export interface InventoryHost {
  readonly name: string;
  /** Variables after Ansible's precedence for inventory sources (all < parent group < child group < host). */
  readonly vars: Readonly<Record<string, unknown>>;
  /** Every group the host is in, including ancestors and `all`. */
  readonly groups: readonly string[];
  /** The inventory file that listed the host first: its `inventory_file`, as Ansible sets it per host. */
  readonly file?: string;
}

export interface InventoryGroup {
  readonly name: string;
  /** Direct child groups. */
  readonly children: readonly string[];
  /** Hosts listed directly in this group. */
  readonly hosts: readonly string[];
  readonly vars: Readonly<Record<string, unknown>>;
}

export interface Inventory {
  /** File the inventory came from. */
  readonly source: string;
  /** All hosts, in the order they first appear. */
  readonly hosts: ReadonlyMap<string, InventoryHost>;
  readonly groups: ReadonlyMap<string, InventoryGroup>;
}
