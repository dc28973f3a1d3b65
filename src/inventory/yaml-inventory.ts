// Reads an Ansible YAML inventory (groups with `hosts`, `vars` and `children`) into the draft, after checking
// it against the inventory schema, so every mistake is reported at its file:line:column and field.
import type { ErrorObject } from 'ajv';
import { isMap, isScalar, type Node, type Pair } from 'yaml';
import { ParseError } from '../errors/user-error.js';
import { inventorySchema } from './inventory-schema.js';
import type { InventoryDraft } from './inventory-draft.js';
import { parseHostAddress } from './host-address.js';
import { expandHostRange, hasHostRange } from './host-range.js';
import { nodeLocation, pathLocation, type YamlSource } from '../yaml/located-yaml.js';
import { schemaCompiler } from '../schema/schema-compiler.js';

type Vars = Record<string, unknown>;

const validateInventory = schemaCompiler({ allowUnionTypes: true }).compile(inventorySchema);

/** Whether a parsed YAML value has the shape of an inventory at all (a mapping), so INI is not worth a try. */
export function isYamlInventoryShape(data: unknown): boolean {
  return data !== null && typeof data === 'object' && !Array.isArray(data);
}

/** Fills the draft from a YAML inventory whose value is `data`; throws a ParseError at the first mistake. */
export function readYamlInventory(source: YamlSource, data: unknown, draft: InventoryDraft): void {
  if (data === null || data === undefined) throw new ParseError('the inventory is empty', { file: source.file, line: 1, column: 1 });
  if (!isYamlInventoryShape(data)) {
    throw new ParseError('an inventory must be a mapping of group names (usually just `all`)', nodeLocation(source, source.doc.contents));
  }
  if (!validateInventory(data)) throw schemaError(source, validateInventory.errors![0]!);
  for (const pair of (source.doc.contents as unknown as { items: Pair<Node, Node | null>[] }).items) {
    readGroup(source, draft, keyName(source, pair), pair.value, [keyName(source, pair)]);
  }
}

function keyName(source: YamlSource, pair: Pair<Node, Node | null>): string {
  if (!isScalar(pair.key)) throw new ParseError('names in an inventory must be plain strings', nodeLocation(source, pair.key));
  return String(pair.key.value);
}

function readGroup(source: YamlSource, draft: InventoryDraft, name: string, node: Node | null, path: string[]): void {
  const group = draft.addGroup(name);
  if (!isMap(node)) return;
  for (const section of node.items as Pair<Node, Node | null>[]) {
    const key = keyName(source, section);
    const value = section.value;
    const sectionPath = [...path, key];
    if (key === 'vars' && isMap(value)) {
      const vars = value.toJS(source.doc, { maxAliasCount: -1 }) as Vars;
      for (const [variable, content] of Object.entries(vars)) {
        if (variable === 'ansible_group_priority') group.priority = Number(content);
        else group.vars[variable] = content;
      }
    } else if (key === 'children') {
      for (const [childName, child] of entries(source, value)) {
        readGroup(source, draft, childName, child.value, [...sectionPath, childName]);
        const loop = draft.addChild(name, childName);
        if (loop) throw new ParseError(loop, nodeLocation(source, child.key, [...sectionPath, childName].join('.')));
      }
    } else if (key === 'hosts') {
      for (const [hostKey, entry] of entries(source, value)) {
        if (!isScalar(entry.key) || typeof entry.key.value !== 'string') {
          throw new ParseError(`host name ${hostKey} must be a string: put it in quotes`, nodeLocation(source, entry.key, [...sectionPath, hostKey].join('.')));
        }
        const address = parseHostAddress(hostKey);
        const base = address?.host ?? hostKey;
        let names: string[];
        try {
          names = hasHostRange(base) ? expandHostRange(base) : [base];
        } catch (error) {
          throw new ParseError((error as Error).message, nodeLocation(source, entry.key, [...sectionPath, hostKey].join('.')));
        }
        const vars = isMap(entry.value) ? (entry.value.toJS(source.doc, { maxAliasCount: -1 }) as Vars) : {};
        const where = nodeLocation(source, entry.key, [...sectionPath, hostKey].join('.'));
        for (const hostName of names) Object.assign(draft.addHost(hostName, name, address?.port, where).vars, vars);
      }
    }
  }
}

/** The entries of a `hosts`/`children` section; a plain string stands for one entry with no content. */
function entries(source: YamlSource, node: Node | null): [string, Pair<Node, Node | null>][] {
  if (isScalar(node) && typeof node.value === 'string') return [[node.value, { key: node, value: null } as unknown as Pair<Node, Node | null>]];
  if (!isMap(node)) return [];
  return (node.items as Pair<Node, Node | null>[]).map((pair) => [keyName(source, pair), pair]);
}

function schemaError(source: YamlSource, error: ErrorObject): ParseError {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = path[path.length - 1];
  const owner = path.length >= 2 ? path[path.length - 2] : undefined;
  const kind = (value: unknown): string => (Array.isArray(value) ? 'a list' : value === null ? 'empty' : `a ${typeof value}`);
  const actual = path.reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], source.doc.toJS());
  switch (error.keyword) {
    case 'additionalProperties': {
      const extra = String(error.params.additionalProperty);
      const where = pathLocation(source, [...path, extra], 'key');
      return new ParseError(`unknown key '${extra}' in group '${last}': a group may only have hosts, vars and children`, where);
    }
    case 'propertyNames':
    case 'not':
      return new ParseError('this is an inventory plugin configuration (`plugin:`), not a YAML inventory', pathLocation(source, ['plugin'], 'key'));
    case 'type': {
      const where = pathLocation(source, path);
      if (last === 'hosts') return new ParseError(`'hosts' of group '${owner}' must be a mapping of host names to their variables, not ${kind(actual)}`, where);
      if (last === 'children') return new ParseError(`'children' of group '${owner}' must be a mapping of group names, not ${kind(actual)}`, where);
      if (last === 'vars') return new ParseError(`'vars' of group '${owner}' must be a mapping of variable names to values, not ${kind(actual)}`, where);
      if (last === 'ansible_group_priority') return new ParseError('ansible_group_priority must be an integer', where);
      if (owner === 'hosts') return new ParseError(`the variables of host '${last}' must be a mapping, not ${kind(actual)}`, where);
      return new ParseError(`group '${last}' must be a mapping with hosts, vars or children, not ${kind(actual)}`, where);
    }
    case 'pattern':
      return new ParseError('ansible_group_priority must be an integer', pathLocation(source, path));
    default:
      return new ParseError(error.message ?? 'invalid inventory', pathLocation(source, path));
  }
}
