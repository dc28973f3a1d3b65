// Secret variables from the environment and from owner-only -e @FILEs; a readable file may not hold one.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { looksSecret, readSecretSources, secretNames } from '../../src/cli/secret-vars.js';

describe('secret variables', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'etcdops-secret-vars-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const names: [string, boolean][] = [
    ['etcd_ca_passphrase', true], ['ansible_become_password', true], ['ansible_ssh_pass', true], ['backup_secret', true],
    ['s3_api_key', true], ['etcd_initial_cluster_token', false], ['etcd_version', false], ['bypass_check', false],
  ];
  for (const [name, secret] of names) it(`${name} ${secret ? 'is' : 'is not'} secret by name`, () => assert.equal(looksSecret(name), secret));

  it('ETCDOPS_CA_PASSPHRASE sets etcd_ca_passphrase', () => {
    const sources = readSecretSources([], { ETCDOPS_CA_PASSPHRASE: 'pw-from-env' });
    assert.deepEqual(sources.environment, { etcd_ca_passphrase: 'pw-from-env' });
    assert.deepEqual([...secretNames({ etcd_ca_passphrase: 'pw-from-env', other: 1 }, sources)], ['etcd_ca_passphrase']);
  });

  it('an owner-only @FILE makes every name in it secret', () => {
    const file = join(dir, 'secrets.yml');
    writeFileSync(file, 'etcd_ca_passphrase: pw\nbackup_bucket: b\n');
    chmodSync(file, 0o600);
    const sources = readSecretSources([`@${file}`], {});
    assert.deepEqual([...sources.fromPrivateFiles].sort(), ['backup_bucket', 'etcd_ca_passphrase']);
  });

  it('a group-readable @FILE with a secret name is refused, saying what to do', () => {
    const file = join(dir, 'vars.yml');
    writeFileSync(file, 'etcd_ca_passphrase: pw\n');
    chmodSync(file, 0o640);
    assert.throws(() => readSecretSources([`@${file}`], {}), /defines etcd_ca_passphrase but group or others can read it \(mode 0640\); run chmod 600/);
  });

  it('a readable @FILE without secrets is fine', () => {
    const file = join(dir, 'vars.yml');
    writeFileSync(file, 'etcd_version: 3.5.16\n');
    chmodSync(file, 0o644);
    assert.equal(readSecretSources([`@${file}`], {}).fromPrivateFiles.size, 0);
  });
});
