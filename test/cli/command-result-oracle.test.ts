// What command and shell register (run, failed, skipped by creates/removes), with ansible-playbook as the oracle.
import { fileURLToPath } from 'node:url';
import { writesSameFilesAsAnsible } from './ansible-playbook.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/command-result/${name}`, import.meta.url));

describe('command and shell results, with ansible-playbook as the oracle', function () {
  this.timeout(90_000);
  it('registers the same keys, in the same order, with the same values', () => writesSameFilesAsAnsible(fixture('play.yml'), fixture('inventory.ini')));
});
