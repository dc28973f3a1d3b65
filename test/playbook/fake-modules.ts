// A small module map for loader tests: the argument schemas of a few modules, shaped like the real registry's.
import type { ModuleSpec } from '../../src/playbook/module-args.js';

export const FAKE_MODULES: ReadonlyMap<string, ModuleSpec> = new Map<string, ModuleSpec>([
  ['command', {
    freeForm: 'cmd',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['cmd'],
      properties: { cmd: { type: 'string', description: 'Command line.' }, creates: { type: 'string', description: 'Skip when this path exists.' } },
    },
  }],
  ['file', {
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['path'],
      properties: {
        path: { type: 'string', description: 'Path to manage.' },
        state: { enum: ['file', 'directory', 'absent', 'link', 'touch'], description: 'Wanted state.' },
        mode: { type: ['string', 'integer'], description: 'Permissions.' },
        owner: { type: 'string', description: 'Owner.' },
      },
    },
  }],
  ['template', {
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['src', 'dest'],
      properties: { src: { type: 'string', description: 'Template file.' }, dest: { type: 'string', description: 'Destination.' } },
    },
  }],
  ['debug', {
    schema: { type: 'object', additionalProperties: false, properties: { msg: { description: 'Message.' }, var: { type: 'string', description: 'Variable to show.' } } },
  }],
  ['wait_for', {
    schema: { type: 'object', additionalProperties: false, properties: { port: { type: 'integer', description: 'Port.' }, timeout: { type: 'integer', description: 'Seconds.' } } },
  }],
]);
