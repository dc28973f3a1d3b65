// The JSON Schema of playbook files, built from the keyword tables and module schemas the loader uses,
// so editors (yaml-language-server) complete and check exactly what the loader accepts.
import { KINDS, PLAY_KEYWORDS, TASK_KEYWORDS, type Keyword } from './keywords.js';
import type { ModuleSpec } from './module-args.js';

function properties(keywords: Readonly<Record<string, Keyword>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(keywords).map(([name, keyword]) => [name, { ...KINDS[keyword.kind].schema, description: keyword.description }]),
  );
}

const TEMPLATE = { type: 'string', pattern: '\\{\\{', description: 'A template, rendered when the task runs.' };

/**
 * A module's arguments as an editor should check them: a `{{ }}` template stands for any type (the loader
 * checks its type once rendered), and a module without required arguments may be written bare.
 */
function editorArguments(spec: ModuleSpec): Record<string, unknown> {
  const schema = spec.schema as { properties?: Record<string, { description?: string }>; required?: unknown[] };
  const properties = Object.fromEntries(
    Object.entries(schema.properties ?? {}).map(([name, property]) => [
      name,
      { description: property.description, anyOf: [property, TEMPLATE] },
    ]),
  );
  const args = { ...schema, properties };
  const forms: unknown[] = [args];
  if (spec.freeForm) forms.push({ type: 'string' });
  if (!schema.required?.length) forms.push({ type: 'null' });
  return forms.length === 1 ? args : { anyOf: forms };
}

/** The schema; with `modules`, each module's arguments are described too (otherwise any module key is allowed). */
export function playbookJsonSchema(modules: ReadonlyMap<string, ModuleSpec> = new Map()): Record<string, unknown> {
  const moduleProperties = Object.fromEntries(
    [...modules].flatMap(([name, spec]) => {
      const args = editorArguments(spec);
      return [[name, args], [`ansible.builtin.${name}`, args]];
    }),
  );
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'etcdops playbook',
    description: 'A list of plays, each running tasks on the hosts matching a pattern.',
    type: 'array',
    items: { anyOf: [{ $ref: '#/definitions/play' }, { $ref: '#/definitions/import_playbook' }] },
    definitions: {
      play: {
        type: 'object',
        description: 'A play: hosts, variables, roles, tasks and handlers.',
        required: ['hosts'],
        additionalProperties: false,
        properties: properties(PLAY_KEYWORDS),
      },
      import_playbook: {
        type: 'object',
        description: 'The plays of another playbook, run here.',
        required: ['import_playbook'],
        additionalProperties: false,
        properties: {
          import_playbook: { type: 'string', description: 'Playbook file, relative to this one.' },
          name: { type: 'string', description: 'A name for the import.' },
        },
      },
      task: {
        type: 'object',
        description: 'A task: exactly one module key with its arguments, plus task keywords.',
        properties: {
          ...properties(TASK_KEYWORDS),
          meta: { enum: ['flush_handlers', 'noop', 'end_play', 'end_host'], description: 'Control action: run notified handlers now, do nothing, or end the play or host.' },
          include_tasks: {
            anyOf: [{ type: 'string' }, { type: 'object', additionalProperties: false, required: ['file'], properties: { file: { type: 'string', description: 'Task file (a template), relative to this file.' } } }],
            description: 'Run the tasks of a file read when this task runs (per host; with loop, once per item).',
          },
          include_vars: {
            anyOf: [
              { type: 'string' },
              {
                type: 'object',
                additionalProperties: false,
                properties: {
                  file: { type: 'string', description: 'YAML or JSON file of variables (a template).' },
                  dir: { type: 'string', description: 'Folder whose .yml, .yaml and .json files are read in name order.' },
                  name: { type: 'string', description: 'Put the variables under this one name.' },
                },
              },
            ],
            description: 'Set variables from files on the control node.',
          },
          ...Object.fromEntries(
            (['import_role', 'include_role'] as const).map((key) => [
              key,
              {
                type: 'object',
                additionalProperties: false,
                required: ['name'],
                properties: {
                  name: { type: 'string', description: 'Role name: the folder roles/NAME beside the playbook.' },
                  tasks_from: { type: 'string', description: 'Tasks file of the role instead of tasks/main.yml.' },
                },
                description: key === 'import_role' ? "The role's tasks here, at load time; its defaults, vars and handlers join the play." : "The role's tasks, run when this task runs; its defaults and vars are for its tasks only.",
              },
            ]),
          ),
          ...moduleProperties,
        },
        additionalProperties: modules.size > 0 ? false : { description: 'A module and its arguments.' },
      },
      role: {
        type: 'object',
        description: 'A role with variables: keys other than the role keywords are role parameters.',
        required: ['role'],
        properties: {
          role: { type: 'string', description: 'Role name: the folder roles/NAME beside the playbook.' },
          when: { ...KINDS.conditions.schema, description: 'Conditions added to every task of the role.' },
          tags: { ...KINDS.names.schema, description: 'Tags added to every task of the role.' },
          vars: { type: 'object', description: 'Variables for the role\'s tasks.' },
          become: { type: 'boolean', description: 'Run the role\'s tasks with sudo.' },
          become_user: { type: 'string', description: 'User to become.' },
        },
      },
    },
  };
}
