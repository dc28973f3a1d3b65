// Host keys on a non-22 port, on a real sshd listening on 22 and 2222, with OpenSSH's own ssh as the
// oracle on the same known_hosts files: the right [addr]:2222 key connects (plain or hashed), a wrong
// one is refused under strict and accept-new with OpenSSH's words, a @revoked key is refused. And
// connection variables that cannot be used fail their host as in Ansible, while the others run.
import { deepStrictEqual, match, ok, strictEqual } from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { etcdops, jsonEvents, recapOf } from './etcdops-cli.js';
import { sshRun, useLab } from './lab-fixture.js';
import { runCommand } from '../../src/lab/run-command.js';

const WHOAMI = fileURLToPath(new URL('fixtures/whoami.yml', import.meta.url));
const PORT = 2222;

describe('host keys on port 2222, as OpenSSH checks them', function () {
  this.timeout(120_000);
  const lab = useLab('hostkeys', 1);
  let scratch: string;
  let address: string;
  /** n1's pinned key as `type base64`, and another host key that is not n1's. */
  let rightKey: string;
  let wrongKey: string;

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'etcdops-hostkeys-'));
    address = lab().hosts[0]!.address;
    rightKey = readFileSync(lab().knownHostsFile, 'utf8').split('\n').find((l) => l.startsWith('n1,'))!.split(' ').slice(1, 3).join(' ');
    await runCommand('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(scratch, 'other')], {});
    wrongKey = readFileSync(join(scratch, 'other.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
    // sshd also on 2222, and with an ECDSA host key beside the lab's Ed25519 one.
    const listen = await sshRun(
      lab(),
      'n1',
      "ssh-keygen -q -t ecdsa -N '' -f /etc/ssh/ssh_host_ecdsa_key && " +
        `printf 'Port 22\\nPort ${PORT}\\nHostKey /etc/ssh/ssh_host_ed25519_key\\nHostKey /etc/ssh/ssh_host_ecdsa_key\\n' > /etc/ssh/sshd_config.d/ports.conf && ` +
        'systemctl restart ssh',
    );
    strictEqual(listen.code, 0, listen.stderr);
    for (let i = 0; i < 50; i++) {
      const scan = await runCommand('ssh-keyscan', ['-T', '1', '-p', String(PORT), '-t', 'ed25519', address], { allowFailure: true });
      if (scan.stdout.includes(rightKey)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`sshd on n1 does not answer on port ${PORT}`);
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  function knownHosts(name: string, content: string): string {
    const file = join(scratch, name);
    writeFileSync(file, content);
    return file;
  }

  /** The lab inventory with n1 reached on port 2222, checked against `file` with `mode`. */
  function inventory(file: string, mode: string, extraHosts: Record<string, unknown> = {}): string {
    const inv = parse(readFileSync(lab().inventory, 'utf8'));
    inv.all.vars.ansible_ssh_common_args = `-o UserKnownHostsFile=${file} -o StrictHostKeyChecking=${mode}`;
    inv.all.children.etcd.hosts.n1.ansible_port = PORT;
    Object.assign(inv.all.children.etcd.hosts, extraHosts);
    const out = join(scratch, `inventory-${Math.random().toString(36).slice(2)}.yml`);
    writeFileSync(out, stringify(inv));
    return out;
  }

  /** OpenSSH's verdict on the same file: ssh to n1:2222 with the lab key. */
  function openssh(file: string, mode: string) {
    return runCommand('ssh', [
      '-i', lab().keyFile, '-o', 'IdentitiesOnly=yes', '-o', `UserKnownHostsFile=${file}`, '-o', 'GlobalKnownHostsFile=/dev/null',
      '-o', `StrictHostKeyChecking=${mode}`, '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', '-p', String(PORT), `root@${address}`, 'true',
    ], { allowFailure: true });
  }

  async function play(file: string, mode: string) {
    const result = await etcdops(['play', WHOAMI, '-i', inventory(file, mode), '--output', 'json']);
    const n1 = jsonEvents(result.stdout).find((e) => e.event === 'host_result' && e.host === 'n1');
    return { code: result.code, msg: String(n1?.msg ?? ''), output: result.stdout + result.stderr };
  }

  it('strict checking with the right [addr]:2222 entry connects, as ssh does', async () => {
    const file = knownHosts('right', `${address} ${wrongKey}\n[${address}]:${PORT} ${rightKey}\n`);
    strictEqual((await openssh(file, 'yes')).code, 0, 'OpenSSH connects');
    const result = await play(file, 'yes');
    strictEqual(result.code, 0, result.output);
  });

  it('a host pinned only by its ECDSA key is asked for that key type, as ssh asks, and connects', async () => {
    const ecdsa = await sshRun(lab(), 'n1', 'cut -d" " -f1,2 /etc/ssh/ssh_host_ecdsa_key.pub');
    strictEqual(ecdsa.code, 0, ecdsa.stderr);
    const file = knownHosts('ecdsa', `[${address}]:${PORT} ${ecdsa.stdout.trim()}\n`);
    strictEqual((await openssh(file, 'yes')).code, 0, 'OpenSSH connects');
    const result = await play(file, 'yes');
    strictEqual(result.code, 0, result.output);
  });

  for (const mode of ['yes', 'accept-new']) {
    it(`a wrong key at [addr]:2222 is refused under StrictHostKeyChecking=${mode} with OpenSSH's words, and not re-pinned`, async () => {
      const content = `[${address}]:${PORT} ${wrongKey}\n`;
      const file = knownHosts(`wrong-${mode}`, content);
      const ssh = await openssh(file, mode);
      ok(ssh.code !== 0 && /REMOTE HOST IDENTIFICATION HAS CHANGED/.test(ssh.stderr), `OpenSSH refuses: ${ssh.stderr}`);
      match(ssh.stderr, new RegExp(`Offending ED25519 key in ${file}:1`));
      const result = await play(file, mode);
      strictEqual(result.code, 4, result.output);
      match(result.msg, /REMOTE HOST IDENTIFICATION HAS CHANGED/);
      ok(result.msg.includes(`Offending ssh-ed25519 key in ${file}:1`), result.msg);
      strictEqual(readFileSync(file, 'utf8'), content, 'known_hosts unchanged');
    });
  }

  it('a hashed [addr]:2222 entry (ssh-keygen -H) connects, as ssh does', async () => {
    const file = knownHosts('hashed', `[${address}]:${PORT} ${rightKey}\n`);
    await runCommand('ssh-keygen', ['-H', '-f', file], {});
    strictEqual(readFileSync(file, 'utf8').includes(address), false, 'the entry is hashed');
    strictEqual((await openssh(file, 'yes')).code, 0, 'OpenSSH connects');
    const result = await play(file, 'yes');
    strictEqual(result.code, 0, result.output);
  });

  for (const mode of ['yes', 'accept-new']) {
    it(`a @revoked key is refused under StrictHostKeyChecking=${mode}, as ssh refuses it`, async () => {
      const file = knownHosts(`revoked-${mode}`, `[${address}]:${PORT} ${rightKey}\n@revoked * ${rightKey}\n`);
      const ssh = await openssh(file, mode);
      ok(ssh.code !== 0 && /REVOKED HOST KEY DETECTED/.test(ssh.stderr), `OpenSSH refuses: ${ssh.stderr}`);
      const result = await play(file, mode);
      strictEqual(result.code, 4, result.output);
      match(result.msg, new RegExp(`REVOKED HOST KEY DETECTED.*revoked in ${file}:2`));
    });
  }

  it('connection variables that cannot be used fail their host as Ansible does; the other hosts run', async () => {
    const file = knownHosts('vars', `[${address}]:${PORT} ${rightKey}\n${address} ${rightKey}\n`);
    const result = await etcdops(['play', WHOAMI, '-i', inventory(file, 'yes', {
      worded: { ansible_host: address, ansible_port: 'twenty-two' },
      huge: { ansible_host: address, ansible_port: 70000 },
      dashed: { ansible_host: '-oProxyCommand=touch /tmp/x' },
    }), '--output', 'json']);
    strictEqual(result.code, 4, `unreachable hosts win over a failed one: exit 4, as ansible-playbook\n${result.stdout}${result.stderr}`);
    const recap = recapOf(result.stdout);
    deepStrictEqual(
      Object.fromEntries(['n1', 'worded', 'huge', 'dashed'].map((h) => [h, [recap[h]!.ok, recap[h]!.failed, recap[h]!.unreachable]])),
      { n1: [2, 0, 0], worded: [0, 1, 0], huge: [0, 0, 1], dashed: [0, 0, 1] },
    );
    const worded = jsonEvents(result.stdout).find((e) => e.event === 'host_result' && e.host === 'worded');
    match(worded!.msg, /the field 'port' has an invalid value \(twenty-two\)/);
  });
});
