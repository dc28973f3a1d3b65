// The extract filter over hostvars, a dict and a list, with ansible-playbook as the oracle.
import { fileURLToPath } from 'node:url';
import { writesSameFilesAsAnsible } from './ansible-playbook.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/cli/extract/${name}`, import.meta.url));

describe('extract, with ansible-playbook as the oracle', function () {
  this.timeout(90_000);
  it('writes the same member lists', () => writesSameFilesAsAnsible(fixture('play.yml'), fixture('inventory.ini')));
});
