// command: runs a program with arguments, never through a shell.
import { defineCommandModule } from './command-run.js';

export const commandModule = defineCommandModule(
  'command',
  false,
  'Run a program on the host without a shell (not idempotent: guard it with creates/removes or changed_when).',
  `- name: Initialise the data directory once
  command:
    argv: [/usr/local/bin/etcdutl, snapshot, restore, /tmp/snap.db, --data-dir, /var/lib/etcd/restored]
    creates: /var/lib/etcd/restored
`,
);
