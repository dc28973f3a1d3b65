// Every module by name: one literal map, so adding a module is one file and one line here.
import { assertModule } from './assert.js';
import { commandModule } from './command.js';
import { copyModule } from './copy.js';
import { debugModule } from './debug.js';
import { fetchModule } from './fetch.js';
import { fileModule } from './file.js';
import { getUrlModule } from './get-url.js';
import { groupModule } from './group.js';
import type { ModuleDefinition } from './module.js';
import { setFactModule } from './set-fact.js';
import { shellModule } from './shell.js';
import { systemdModule } from './systemd.js';
import { templateModule } from './template.js';
import { unarchiveModule } from './unarchive.js';
import { userModule } from './user.js';
import { waitForModule } from './wait-for.js';

const byName = {
  assert: assertModule,
  command: commandModule,
  copy: copyModule,
  debug: debugModule,
  fetch: fetchModule,
  file: fileModule,
  get_url: getUrlModule,
  group: groupModule,
  set_fact: setFactModule,
  shell: shellModule,
  systemd: systemdModule,
  template: templateModule,
  unarchive: unarchiveModule,
  user: userModule,
  wait_for: waitForModule,
};

// `any` because each module has its own argument and fact types; callers validate args with the schema.
export const modules: ReadonlyMap<string, ModuleDefinition<any, any>> = new Map(Object.entries(byName));
