// The "Gathering Facts" task Ansible runs at the start of each batch of a play with `gather_facts` on:
// `setup` with its defaults, on every host of the batch in parallel, whatever --tags selects.
import { dirname } from 'node:path';
import type { Play, Task } from '../playbook/playbook.js';

export function gatheringTask(play: Play): Task {
  return {
    name: 'Gathering Facts',
    module: 'setup',
    args: {},
    when: [],
    loopVar: 'item',
    notify: [],
    tags: ['always'],
    ignoreErrors: false,
    runOnce: false,
    noLog: false,
    alwaysApply: false,
    vars: {},
    listen: [],
    source: play.source,
    baseDir: dirname(play.source.file),
    searchPaths: [],
  };
}
