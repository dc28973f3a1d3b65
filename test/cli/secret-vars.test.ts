// Secret variables from the environment and from owner-only -e @FILEs; a readable file may not hold one.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { knownSecrets, looksSecret, readSecretSources, secretNames } from '../../src/cli/secret-vars.js';

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

  it('a run knows the secret values of -e, inventory, play vars and role defaults, at any depth', () => {
    const secrets = knownSecrets({
      secretNames: new Set(['etcd_ca_passphrase']),
      extraVars: { etcd_ca_passphrase: 'from-the-env', etcd_version: '3.5.16' },
      inventory: { source: 'inv.yml', groups: new Map(), hosts: new Map([['n1', { name: 'n1', groups: ['all'], vars: { ansible_become_password: 'sudo-pw-1', ansible_host: '10.0.0.1' } }]]) },
      playbook: { plays: [{ vars: { backup: { s3_secret: 'bucket-key-2' } }, roleDefaults: { db_password: '{{ vault_db }}' } }] } as any,
    });
    assert.equal(
      secrets.redactText('from-the-env sudo-pw-1 bucket-key-2 {{ vault_db }} 3.5.16 10.0.0.1'),
      '******** ******** ******** {{ vault_db }} 3.5.16 10.0.0.1',
    );
  });
});
