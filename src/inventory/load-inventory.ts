// Loads inventories as Ansible does: each `-i` (a file, a folder of them, or a host list), every file read as
// YAML or INI (detected by extension and content, as Ansible's yaml and ini plugins decide), plus the
// `host_vars/` and `group_vars/` folders beside each source; returns hosts with their merged variables.
import { dirname, extname, resolve } from 'node:path';
import { ParseError, UserError } from '../errors/user-error.js';
import { MAX_INI_BYTES, MAX_YAML_BYTES } from '../yaml/input-limits.js';
import { isYamlSyntaxError, yamlValue } from '../yaml/parse-yaml-document.js';
import { readInputFile } from '../yaml/read-input-file.js';
import { ExitCode } from '../errors/exit-code.js';
import type { Inventory, InventoryGroup, InventoryHost } from './inventory.js';
import { InventoryDraft } from './inventory-draft.js';
import { parseHostAddress } from './host-address.js';
import { readIniInventory } from './ini-inventory.js';
import { findInventorySource, type InventorySource } from './inventory-sources.js';
import { resolveHosts } from './resolve-vars.js';
import { openVarsFolder } from './vars-files.js';
import { isYamlInventoryShape, readYamlInventory } from './yaml-inventory.js';
import { parseYaml, type YamlSource } from '../yaml/located-yaml.js';

type Vars = Record<string, unknown>;

/** Extensions Ansible's yaml plugin reads (YAML_FILENAME_EXTENSIONS); a file with no extension is tried too. */
const YAML_EXTENSIONS = ['.yml', '.yaml', '.json'];

export async function loadInventory(paths: string | readonly string[]): Promise<Inventory> {
  const sources = (typeof paths === 'string' ? [paths] : paths).map(findInventorySource);
  const draft = new InventoryDraft();
  for (const source of sources) {
    for (const file of source.files) readInventoryFile(file, draft);
    for (const entry of source.hostList ?? []) {
      const address = parseHostAddress(entry);
      draft.addHost(address?.host ?? entry, 'ungrouped', address?.port, { file: source.path });
    }
  }
  draft.reconcile();

  const groupLayers: Map<string, Vars>[] = [];
  const hostLayers: Map<string, Vars>[] = [];
  for (const source of sources) {
    if (source.varsFolder === undefined) continue;
    const groupFolder = await openVarsFolder(`${source.varsFolder}/group_vars`);
    const hostFolder = await openVarsFolder(`${source.varsFolder}/host_vars`);
    const groupFiles = new Map<string, Vars>();
    for (const name of draft.groups.keys()) {
      const vars = await groupFolder.lookup(name);
      if (vars) groupFiles.set(name, vars);
    }
    const hostFiles = new Map<string, Vars>();
    for (const name of draft.hosts.keys()) {
      const vars = await hostFolder.lookup(name);
      if (vars) hostFiles.set(name, vars);
    }
    groupLayers.push(groupFiles);
    hostLayers.push(hostFiles);
  }

  const resolved = resolveHosts(draft, { groups: groupLayers, hosts: hostLayers });
  const hosts = new Map<string, InventoryHost>();
  for (const [name, host] of resolved) hosts.set(name, { name, vars: host.vars, groups: host.groups, file: draft.hosts.get(name)?.file });
  const groups = new Map<string, InventoryGroup>();
  for (const group of draft.groups.values()) {
    const vars: Vars = { ...group.vars };
    for (const layer of groupLayers) Object.assign(vars, layer.get(group.name));
    groups.set(group.name, { name: group.name, children: group.children, hosts: group.hosts, vars });
  }
  return { source: primaryFile(sources), hosts, groups };
}

/**
 * The file that stands for the inventory (`inventory_file`; its folder holds `.etcdops/` and anchors relative
 * key paths): the first file of the first source that sits directly in that source's folder.
 */
function primaryFile(sources: readonly InventorySource[]): string {
  const first = sources[0]!;
  const folder = first.varsFolder === undefined ? undefined : resolve(first.varsFolder);
  return first.files.find((file) => resolve(dirname(file)) === folder) ?? first.files[0] ?? first.path;
}

/**
 * One inventory file into the draft. As in Ansible, a file with a YAML extension or none is read as YAML
 * first; when it is not YAML, or YAML that is not a mapping, it is read as INI; other extensions are INI.
 */
function readInventoryFile(file: string, draft: InventoryDraft): void {
  const extension = extname(file);
  if (extension === '.toml') throw new ParseError('TOML inventories are not supported: write it as YAML or INI', { file, line: 1 });
  const yamlFirst = extension === '' || YAML_EXTENSIONS.includes(extension);
  const text = readInputFile(file, { what: 'inventory', maxBytes: yamlFirst && extension !== '' ? MAX_YAML_BYTES : MAX_INI_BYTES, missingExitCode: ExitCode.BAD_OPTIONS });
  if (!yamlFirst) return readIniInventory(file, text, draft);
  let yaml: { source: YamlSource; data: unknown } | undefined;
  let yamlError: ParseError | undefined;
  if (extension !== '' || Buffer.byteLength(text) <= MAX_YAML_BYTES) {
    try {
      const source = parseYaml(text, file);
      yaml = { source, data: yamlValue(source) };
    } catch (error) {
      // Only a syntax error means "maybe not YAML"; a vault value or a bound broken is final.
      if (!isYamlSyntaxError(error)) throw error;
      yamlError = error;
    }
  }
  if (yaml && (isYamlInventoryShape(yaml.data) || yaml.data === null || yaml.data === undefined)) return readYamlInventory(yaml.source, yaml.data, draft);
  try {
    readIniInventory(file, text, draft);
  } catch (iniError) {
    // Both readers refused: the extension, or the look of the file, says which message helps.
    if (!(iniError instanceof UserError)) throw iniError;
    const looksIni = extension === '' && /^\s*\[[^\]\s]+\]\s*$/m.test(text);
    if (looksIni || (!yamlError && !yaml)) throw iniError;
    if (yamlError) throw yamlError;
    return readYamlInventory(yaml!.source, yaml!.data, draft);
  }
}
