// The "Gathering Facts" task Ansible runs at the start of each batch of a play with `gather_facts` on:
// `setup` with the play's gather_subset, on every host of the batch in parallel, whatever --tags selects.
import { dirname } from 'node:path';
import type { Play, Task } from '../playbook/playbook.js';

export function gatheringTask(play: Play): Task {
  return {
    name: 'Gathering Facts',
    module: 'setup',
    args: play.gatherSubset.length > 0 ? { gather_subset: [...play.gatherSubset] } : {},
    when: [],
    loopVar: 'item',
    loopExtended: false,
    environment: {},
    remoteUser: play.remoteUser,
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
