// shell: runs shell code through /bin/sh -c on the host.
import { defineCommandModule } from './command-run.js';

export const shellModule = defineCommandModule(
  'shell',
  true,
  'Run shell code through /bin/sh on the host (not idempotent: guard it with creates/removes or changed_when).',
  `- name: Record the etcd version
  shell: etcd --version | head -n1 > /var/lib/etcd/version.txt
  args:
    creates: /var/lib/etcd/version.txt
`,
);
