// Redaction of what reaches an output: private-key blocks, known secret values, and what no_log tasks returned.
import assert from 'node:assert/strict';
import { REDACTED, SecretValues } from '../../src/reporters/secret-values.js';
import { RedactingReporter } from '../../src/reporters/redacting-reporter.js';
import { MemoryReporter } from '../../src/reporters/memory-reporter.js';
import { HostStatus } from '../../src/plan/host-status.js';

const KEY = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----';

const rows: { name: string; secrets: unknown[]; text: string; shown: string }[] = [
  { name: 'a PEM key in stderr', secrets: [], text: `error near\n${KEY}\nafter`, shown: 'error near\n[private key hidden]\nafter' },
  { name: 'a key cut short', secrets: [], text: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNz', shown: '[private key hidden]' },
  { name: 'a certificate stays', secrets: [], text: '-----BEGIN CERTIFICATE-----\nMIIB', shown: '-----BEGIN CERTIFICATE-----\nMIIB' },
  { name: 'a known passphrase', secrets: ['hunter22'], text: 'openssl -passin pass:hunter22 failed', shown: `openssl -passin pass:${REDACTED} failed` },
  { name: 'the longer secret wins', secrets: ['abcd', 'abcdefgh'], text: 'x abcdefgh y', shown: `x ${REDACTED} y` },
  { name: 'too short to hide', secrets: ['ab'], text: 'ab cab', shown: 'ab cab' },
  { name: 'nested values and lines', secrets: [{ a: ['token-line-one\nsecond-line-xx'] }], text: 'got second-line-xx', shown: `got ${REDACTED}` },
];

describe('secret values', () => {
  for (const row of rows) {
    it(row.name, () => {
      const secrets = new SecretValues();
      for (const s of row.secrets) secrets.add(s);
      assert.equal(secrets.redactText(row.text), row.shown);
    });
  }

  it('a no_log result is hidden later, but not the paths it named nor short values', () => {
    const secrets = new SecretValues();
    secrets.addNoLogOutcome({ result: { cmd: 'cat /etc/etcd/token', dest: '/etc/etcd/token', stdout: 's3cr3t-token-value', rc: 0 } });
    assert.equal(secrets.redactText('debug: s3cr3t-token-value in /etc/etcd/token rc 0'), `debug: ${REDACTED} in /etc/etcd/token rc 0`);
  });

  it('the reporter wrapper redacts every event before any output sees it', () => {
    const secrets = new SecretValues();
    secrets.add('hunter22');
    const memory = new MemoryReporter();
    new RedactingReporter(memory, secrets).handle({
      event: 'host_result', task: 't', host: 'n1', status: HostStatus.FAILED, durationMs: 1,
      msg: 'bad hunter22', result: { stderr: KEY }, changes: [],
    });
    assert.equal(JSON.stringify(memory.events).includes('hunter22'), false);
    assert.equal(JSON.stringify(memory.events).includes('PRIVATE KEY'), false);
  });
});
