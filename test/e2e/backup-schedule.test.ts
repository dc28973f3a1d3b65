// Scheduled etcd backups on the lab, as a user checks them: a cluster built by site.yml with 10,000 keys,
// backup.yml with a short timer, the SFTP target on another lab host; then retention, a member down, the
// remote unreachable, and rclone missing.
import { deepStrictEqual, doesNotMatch, match, notStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Etcd3 } from 'etcd3';
import { etcdops, recapOf } from './etcdops-cli.js';
import { labHostPowerOff, labHostStart } from '../../src/lab/lab.js';
import { sshRun, useLab } from './lab-fixture.js';
import {
  clusterClient, LOCAL_DIR, METRICS_FILE, OFFSITE_VARS, parseMetrics, REMOTE_DIR, SFTP_TARGET, SNAPSHOT_NAME,
  writeBackupInventory, writeKeys,
} from './backup-lab.js';

const playbook = (name: string) => fileURLToPath(new URL(`../../playbooks/${name}`, import.meta.url));
const KEEP = 3;
const BACKUP_HOST = 'n1';

describe('etcd backups on a schedule (lab)', function () {
  this.timeout(300_000);
  const lab = useLab('bak1', 4);
  let inventory: string;
  let client: Etcd3;

  const run = async (host: string, cmd: string) => {
    const result = await sshRun(lab(), host, cmd);
    strictEqual(result.code, 0, `${host}: ${cmd}\n${result.stdout}${result.stderr}`);
    return result.stdout;
  };
  const names = async (host: string, dir: string) => (await run(host, `ls -1 ${dir}`)).split('\n').filter((n) => SNAPSHOT_NAME.test(n)).sort();
  const metrics = async () => parseMetrics(await run(BACKUP_HOST, `cat ${METRICS_FILE}`));
  const backupNow = () => etcdops(['backup', 'now', '-i', inventory, '--output', 'plain']);

  before(async function () {
    this.timeout(600_000);
    inventory = writeBackupInventory(lab(), 'backup-schedule', {
      ...OFFSITE_VARS,
      etcd_backup_keep: KEEP,
      etcd_backup_on_calendar: '*:*:0/15',
      etcd_backup_randomized_delay: '1s',
      etcd_backup_timer_accuracy: '1s',
    });
    const site = await etcdops(['play', playbook('site.yml'), '-i', inventory, '--output', 'plain']);
    strictEqual(site.code, 0, site.stdout + site.stderr);
    client = clusterClient(lab());
    const started = Date.now();
    await writeKeys(client, 10_000);
    process.stdout.write(`      (10,000 keys written in ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  });
  after(() => client?.close());

  it('acceptance 1: the timer produces a verified snapshot of the 10,000 keys, the SFTP target holds the copy, the metrics are updated', async () => {
    const installed = Date.now() / 1000;
    const result = await etcdops(['play', playbook('backup.yml'), '-i', inventory, '--output', 'plain']);
    strictEqual(result.code, 0, result.stdout + result.stderr);
    const again = await etcdops(['play', playbook('backup.yml'), '-i', inventory, '--output', 'json']);
    strictEqual(again.code, 0, again.stdout + again.stderr);
    for (const [host, counts] of Object.entries(recapOf(again.stdout))) strictEqual(counts.changed, 0, `a second backup.yml changes nothing on ${host}`);
    // systemd itself accepts the schedule, the default one included, and the timer carries the settings.
    for (const expression of ['hourly', '*:*:0/15']) match(await run(BACKUP_HOST, `systemd-analyze calendar '${expression}'`), /Next elapse:/);
    const timer = await run(BACKUP_HOST, 'systemctl show etcd-backup.timer -p TimersCalendar -p RandomizedDelayUSec -p Persistent -p ActiveState');
    match(timer, /OnCalendar=\*-\*-\* \*:\*:00\/15/);
    match(timer, /RandomizedDelayUSec=1s/);
    match(timer, /Persistent=yes/);
    match(timer, /ActiveState=active/);
    strictEqual((await run('n2', 'systemctl list-unit-files etcd-backup.timer | grep -c etcd-backup || true')).trim(), '0', 'only the chosen host runs backups');

    // The timer, not us, starts the run: wait for its first snapshot.
    let local: string[] = [];
    for (let waited = 0; local.length === 0 && waited < 60; waited++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      local = await names(BACKUP_HOST, LOCAL_DIR);
    }
    strictEqual(local.length >= 1, true, 'the timer made a snapshot within a minute');
    await run(BACKUP_HOST, 'systemctl stop etcd-backup.timer; while systemctl is-active -q etcd-backup.service; do sleep 0.2; done');
    local = await names(BACKUP_HOST, LOCAL_DIR);
    const newest = local.at(-1)!;
    const revision = Number(SNAPSHOT_NAME.exec(newest)![1]);
    ok(revision >= 10_000, `revision ${revision} covers the 10,000 puts`);
    const status = JSON.parse(await run(BACKUP_HOST, `etcdutl snapshot status ${LOCAL_DIR}/${newest} -w json`));
    strictEqual(status.revision, revision, 'the name carries the verified revision');
    ok(status.totalKey >= 10_000);
    strictEqual((await run(BACKUP_HOST, `ls -A ${LOCAL_DIR} | grep -v -e '^etcd-' -e '^.lock$' || true`)).trim(), '', 'no partial file left');

    const localSum = (await run(BACKUP_HOST, `sha256sum ${LOCAL_DIR}/${newest}`)).split(' ')[0];
    const remoteSum = (await run(SFTP_TARGET, `sha256sum ${REMOTE_DIR}/${newest}`)).split(' ')[0];
    strictEqual(remoteSum, localSum, 'the off-site copy is the same file');

    const text = await run(BACKUP_HOST, `cat ${METRICS_FILE}`);
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    strictEqual(check.status, 0, `promtool: ${check.stdout}${check.stderr}`);
    const m = parseMetrics(text);
    strictEqual(m.etcd_backup_last_success, 1);
    strictEqual(m.etcd_backup_last_offsite_success, 1);
    ok(m.etcd_backup_last_success_timestamp_seconds! >= Math.floor(installed));
    strictEqual(m.etcd_backup_last_revision, revision);
    strictEqual(m.etcd_backup_last_size_bytes, Number(await run(BACKUP_HOST, `stat -c %s ${LOCAL_DIR}/${newest}`)));
    ok(m.etcd_backup_last_duration_seconds! > 0);
    process.stdout.write(`      (backup of 10,000 keys: ${m.etcd_backup_last_duration_seconds} s, ${m.etcd_backup_last_size_bytes} bytes)\n`);
  });

  it('the SFTP account gives the backup key SFTP inside its chroot only: no shell, no command, no host file', async () => {
    const target = lab().hosts.find((h) => h.name === SFTP_TARGET)!.address;
    const ssh = `ssh -i /etc/etcd-backup/id_ed25519 -o UserKnownHostsFile=/etc/etcd-backup/known_hosts -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=5 etcd-backup@${target}`;
    const command = await sshRun(lab(), BACKUP_HOST, `${ssh} 'echo SHELL-$((40+2)); id' </dev/null`);
    doesNotMatch(command.stdout + command.stderr, /SHELL-42|uid=/, 'a command with the backup key must not run');
    const login = await sshRun(lab(), BACKUP_HOST, `printf 'echo SHELL-$((40+2))\\nexit\\n' | ${ssh} -tt`);
    doesNotMatch(login.stdout + login.stderr, /SHELL-42|uid=/, 'an interactive login with the backup key must get no shell');
    const sftp = `sftp -i /etc/etcd-backup/id_ed25519 -o UserKnownHostsFile=/etc/etcd-backup/known_hosts -o BatchMode=yes -b - etcd-backup@${target}`;
    const inside = await sshRun(lab(), BACKUP_HOST, `printf 'pwd\\nls snapshots/etcd\\n' | ${sftp}`);
    strictEqual(inside.code, 0, inside.stdout + inside.stderr);
    match(inside.stdout, /Remote working directory: \/data/);
    match(inside.stdout, /etcd-\d{8}T\d{6}Z-rev\d+\.db/);
    const outside = await sshRun(lab(), BACKUP_HOST, `printf 'ls /etc/ssh\\n' | ${sftp}`);
    notStrictEqual(outside.code, 0, `the host's files are out of reach: ${outside.stdout}`);
    match(await run(SFTP_TARGET, 'getent passwd etcd-backup'), /:\/usr\/sbin\/nologin$/m);
    const keys = (await run(SFTP_TARGET, 'cat /srv/etcd-backups/.ssh/authorized_keys')).trim().split('\n');
    ok(keys.length > 0 && keys.every((line) => line.startsWith('restrict ssh-ed25519 ')), keys.join('\n'));
  });

  it(`acceptance 2: after ${KEEP + 2} more runs exactly ${KEEP} snapshots remain, the newest, locally and remotely`, async () => {
    for (let i = 0; i < KEEP + 2; i++) {
      await client.put(`app/retention-${i}`).value(String(i));
      const result = await backupNow();
      strictEqual(result.code, 0, result.stdout + result.stderr);
      // Names carry the second: the next run must be in another one.
      await new Promise((resolve) => setTimeout(resolve, 1100));
    }
    const local = await names(BACKUP_HOST, LOCAL_DIR);
    const remote = await names(SFTP_TARGET, REMOTE_DIR);
    strictEqual(local.length, KEEP, local.join(', '));
    deepStrictEqual(remote, local);
    const revisions = local.map((n) => Number(SNAPSHOT_NAME.exec(n)![1]));
    strictEqual(Math.max(...revisions), Number((await client.get('app/retention-0').exec()).header.revision), 'the newest run is kept');
    strictEqual((await metrics()).etcd_backup_local_snapshots, KEEP);
  });

  it('acceptance 4: with the member it would choose down, the snapshot comes from another healthy member', async () => {
    const result = await backupNow();
    strictEqual(result.code, 0, result.stdout + result.stderr);
    const chosen = /from https:\/\/([\d.]+):2379 verified/.exec(result.stdout)?.[1];
    ok(chosen, `the run says which member gave the snapshot:\n${result.stdout}`);
    const down = lab().hosts.find((h) => h.address === chosen)!.name;
    await run(down, 'systemctl stop etcd');
    try {
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const again = await backupNow();
      strictEqual(again.code, 0, again.stdout + again.stderr);
      const from = /from https:\/\/([\d.]+):2379 verified/.exec(again.stdout)?.[1];
      ok(from && from !== chosen, `snapshot from ${from}, not from the stopped ${chosen}`);
      strictEqual((await metrics()).etcd_backup_last_success, 1);
    } finally {
      await run(down, 'systemctl start etcd');
    }
  });

  it('acceptance 4: with the remote unreachable the run fails loudly, keeps the local snapshot, and the metrics show the failure', async () => {
    const before = await metrics();
    // The other region is gone: its host is off.
    await labHostPowerOff(lab().name, SFTP_TARGET);
    try {
      await client.put('app/while-remote-down').value('1');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const result = await backupNow();
      strictEqual(result.code, 2, result.stdout + result.stderr);
      match(result.stdout, /the etcd backup failed on n1: [\s\S]*off-site copy to offsite:snapshots\/etcd failed \(the local snapshot \/var\/lib\/etcd-backups\/etcd-\d{8}T\d{6}Z-rev\d+\.db is kept\)/);
      strictEqual((await sshRun(lab(), BACKUP_HOST, 'systemctl is-failed etcd-backup.service')).stdout.trim(), 'failed');
      const kept = /the local snapshot \/var\/lib\/etcd-backups\/(\S+) is kept/.exec(result.stdout)![1]!;
      ok((await names(BACKUP_HOST, LOCAL_DIR)).includes(kept), 'the verified local snapshot stays');
      strictEqual((await run(BACKUP_HOST, `ls -A ${LOCAL_DIR} | grep -v -e '^etcd-' -e '^.lock$' || true`)).trim(), '', 'no partial file left');
      const after = await metrics();
      strictEqual(after.etcd_backup_last_success, 0);
      strictEqual(after.etcd_backup_last_offsite_success, 0);
      strictEqual(after.etcd_backup_last_success_timestamp_seconds, before.etcd_backup_last_success_timestamp_seconds, 'the last success stays the last success');
      ok(after.etcd_backup_last_attempt_timestamp_seconds! > before.etcd_backup_last_attempt_timestamp_seconds!);
    } finally {
      await labHostStart(lab().name, SFTP_TARGET);
    }
  });

  it('backup.yml refuses a remote with rclone parameters in it before any change, never showing them', async () => {
    const secret = 'S3CRET-in-remote';
    const result = await etcdops(['play', playbook('backup.yml'), '-i', inventory, '-e', `etcd_backup_remote=:sftp,host=10.0.0.9,pass=${secret}:snapshots`, '--output', 'json']);
    strictEqual(result.code, 2, result.stdout + result.stderr);
    match(result.stdout, /etcd_backup_remote carries rclone parameters .* define the remote in etcd_backup_rclone_remotes/);
    doesNotMatch(result.stdout + result.stderr, new RegExp(secret));
    for (const [host, counts] of Object.entries(recapOf(result.stdout))) strictEqual(counts.changed, 0, `nothing changed on ${host}`);
    doesNotMatch(await run(BACKUP_HOST, `grep -rl ${secret} /usr/local/sbin /etc/systemd/system /etc/etcd-backup || true`), new RegExp(secret));
  });

  it('backup.yml refuses to install off-site backups on a host without rclone, saying so', async () => {
    await run(BACKUP_HOST, 'mv /usr/bin/rclone /usr/bin/rclone.away');
    try {
      const result = await etcdops(['play', playbook('backup.yml'), '-i', inventory, '--output', 'plain']);
      strictEqual(result.code, 2, result.stdout + result.stderr);
      match(result.stdout, /rclone is not installed on n1, and the off-site copy to etcd_backup_remote \(offsite:snapshots\) needs it: install it/);
    } finally {
      await run(BACKUP_HOST, 'mv /usr/bin/rclone.away /usr/bin/rclone');
    }
  });
});
