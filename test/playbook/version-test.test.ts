// The `version` test refuses what Ansible's refuses (its oracle cases are in the python-printing fixture):
// a number against text in a loose version, a version StrictVersion or semver cannot read, pep440.
import { throws } from 'node:assert/strict';
import { versionTest } from '../../src/playbook/version-test.js';

describe('the version test', () => {
  const refusals: [string, string, Record<string, unknown>, RegExp][] = [
    ['v3.5.9', '3.5', {}, /'<' not supported between instances of 'str' and 'int'/],
    ['1.0.0-rc1', '1.0', { strict: true }, /invalid version number '1\.0\.0-rc1'/],
    ['1.0', '1.0.0', { version_type: 'semver' }, /invalid semantic version '1\.0'/],
    ['1.0', '2.0', { version_type: 'pep440' }, /version_type 'pep440' is not supported/],
    ['', '2.0', {}, /cannot be empty/],
  ];
  for (const [value, version, options, says] of refusals) {
    it(`refuses ${JSON.stringify(value)} against ${version} ${JSON.stringify(options)}`, () => throws(() => versionTest(value, version, '<', options), says));
  }
});
