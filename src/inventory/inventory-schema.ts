// JSON Schema of an Ansible-style YAML inventory file. ajv validates with it, and the same object is
// shipped as schemas/inventory.schema.json so editors (yaml-language-server) complete and check inventories.

const variables = {
  description: 'Variables as a mapping of name to any YAML value.',
  type: ['object', 'null'],
} as const;

export const inventorySchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://etcdops.dev/schemas/inventory.schema.json',
  title: 'etcdops inventory',
  description:
    'An Ansible YAML inventory: top-level keys are groups (usually only `all`); each group may list hosts, vars and child groups.',
  type: 'object',
  propertyNames: {
    description: 'Group names; `plugin` would mark an inventory plugin configuration, which is not an inventory.',
    not: { const: 'plugin' },
  },
  additionalProperties: { $ref: '#/definitions/group' },
  definitions: {
    group: {
      description: 'A group of hosts. Empty (null) declares the group with nothing in it.',
      type: ['object', 'null'],
      additionalProperties: false,
      properties: {
        hosts: {
          description:
            'Hosts directly in this group: a mapping of host name (optionally `name:port`, or a range such as `node[1:3]`) to that host\'s variables. A single host name as a string is accepted too.',
          type: ['object', 'string', 'null'],
          additionalProperties: { $ref: '#/definitions/hostVars' },
        },
        vars: {
          ...variables,
          description:
            'Variables for every host of this group and its descendants; `ansible_group_priority` (an integer) orders groups of the same depth.',
          properties: {
            ansible_group_priority: {
              description: 'Merge order among groups of the same depth: a higher priority is merged later and wins.',
              type: ['integer', 'string'],
              pattern: '^-?[0-9]+$',
            },
          },
        },
        children: {
          description: 'Child groups: a mapping of group name to group. A single group name as a string is accepted too.',
          type: ['object', 'string', 'null'],
          additionalProperties: { $ref: '#/definitions/group' },
        },
      },
    },
    hostVars: {
      ...variables,
      description: 'Variables of one host (connection variables such as `ansible_host`, `ansible_port`, `ansible_user` included).',
    },
  },
} as const;

/** Schema of a `host_vars/` or `group_vars/` file: a mapping of variables (an empty file is allowed). */
export const varsFileSchema = {
  description: 'A variables file: a mapping of variable name to value.',
  type: ['object', 'null'],
} as const;
