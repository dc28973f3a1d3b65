// e2e suites run playbooks against variants of the lab inventory (a standby marked, a host dropped, a
// formation changed). A variant is written beside the inventory it comes from, so that it shares that
// folder's .etcdops PKI and the cluster it describes keeps its certificates.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';

/** Writes `name`.yml beside `from`, with `edit` applied to the parsed inventory, and returns its path. */
export function inventoryVariant(from: string, name: string, edit: (inventory: any) => void): string {
  const inventory = parse(readFileSync(from, 'utf8'));
  edit(inventory);
  const file = join(dirname(from), `${name}.yml`);
  writeFileSync(file, stringify(inventory));
  return file;
}
