// Restoring a whole etcd cluster on the lab, as a user checks it: a corrupted snapshot is refused before any
// member stops, --check shows every step and changes nothing, and after every member lost its data the
// off-site copy brings the cluster back healthy with all 10,000 keys, the old data dirs kept aside.
import { deepStrictEqual, match, notStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { Etcd3 } from 'etcd3';
import { etcdops, etcdopsInTerminal, outputSeen } from './etcdops-cli.js';
import { sshRun, useLab } from './lab-fixture.js';
import {
  clusterClient, keyOf, LOCAL_DIR, MEMBERS, OFFSITE_VARS, readKeys, REMOTE_DIR, SFTP_TARGET, SNAPSHOT_NAME, valueOf,
  writeBackupInventory, writeKeys,
} from './backup-lab.js';

const playbook = (name: string) => fileURLToPath(new URL(`../../playbooks/${name}`, import.meta.url));
const KEYS = 10_000;
const BACKUP_HOST = 'n1';
/** etcdctl on a member against itself, with the member's backup client certificate. */
const ETCDCTL = 'etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/etcd/pki/ca.crt --cert=/etc/etcd/pki/backup.crt --key=/etc/etcd/pki/backup.key';

describe('etcd restore from a snapshot (lab)', function () {
  this.timeout(300_000);
  const lab = useLab('bak2', 4);
  let inventory: string;
  let client: Etcd3;
  let snapshot: string;

  const run = async (host: string, cmd: string) => {
    const result = await sshRun(lab(), host, cmd);
    strictEqual(result.code, 0, `${host}: ${cmd}\n${result.stdout}${result.stderr}`);
    return result.stdout;
  };
  const onMembers = (cmd: string) => Promise.all(MEMBERS.map((host) => run(host, cmd)));
  /** What restarting or moving data would change: when etcd last started, and the data dirs present. */
  const memberState = () => onMembers('systemctl show etcd -p ActiveState -p ExecMainStartTimestamp; ls -d /var/lib/etcd /var/lib/etcd.* 2>/dev/null || true');
  const restore = (...args: string[]) => etcdops(['play', playbook('restore.yml'), '-i', inventory, '--output', 'plain', ...args]);

  before(async function () {
    this.timeout(600_000);
    inventory = writeBackupInventory(lab(), 'backup-restore', OFFSITE_VARS);
    const site = await etcdops(['play', playbook('site.yml'), '-i', inventory, '--output', 'plain']);
    strictEqual(site.code, 0, site.stdout + site.stderr);
    client = clusterClient(lab());
    await writeKeys(client, KEYS);
    const install = await etcdops(['play', playbook('backup.yml'), '-i', inventory, '--output', 'plain']);
    strictEqual(install.code, 0, install.stdout + install.stderr);
    // Backups here are taken on demand: an hourly run landing mid-test would change what `latest` is.
    await onMembers('systemctl stop etcd-backup.timer 2>/dev/null || true');
    const now = await etcdops(['backup', 'now', '-i', inventory, '--output', 'plain']);
    strictEqual(now.code, 0, now.stdout + now.stderr);
    snapshot = (await run(SFTP_TARGET, `ls -1 ${REMOTE_DIR}`)).split('\n').find((n) => SNAPSHOT_NAME.test(n))!;
    ok(snapshot, 'the off-site copy exists');
  });
  after(() => client?.close());

  it('--check names the snapshot latest resolves to against the live cluster, shows every step, and changes nothing', async () => {
    const healthy = await run('n2', `${ETCDCTL} endpoint health --cluster 2>&1`);
    strictEqual(healthy.match(/is healthy/g)?.length, MEMBERS.length, `precondition: ${MEMBERS.length} healthy members\n${healthy}`);
    strictEqual(Object.keys(await readKeys(client)).length, KEYS, `precondition: the ${KEYS} keys`);
    const before = await memberState();
    // Writes after the backup: the preview must count them as lost.
    for (let i = 0; i < 5; i++) await client.put(`preview/newer-than-the-backup-${i}`).value(String(i));
    const live = (await run('n2', `${ETCDCTL} get "" --from-key --count-only -w fields`));
    const liveRevision = Number(/"Revision" : (\d+)/.exec(live)![1]);
    const liveKeys = Number(/"Count" : (\d+)/.exec(live)![1]);
    const snapshotRevision = Number(SNAPSHOT_NAME.exec(snapshot)![1]);
    const result = await restore('-e', 'snapshot=latest', '--check');
    strictEqual(result.code, 0, result.stdout + result.stderr);
    const preview = new RegExp(
      `${LOCAL_DIR}/${snapshot}: revision ${snapshotRevision}, \\d+ keys; the live cluster is at revision ${liveRevision} with ${liveKeys} keys: the ${liveRevision - snapshotRevision} revisions written since the snapshot will be lost`,
    );
    match(result.stdout, preview);
    ok(liveRevision - snapshotRevision >= 5, 'the writes after the backup are counted');
    for (const step of [
      'etcd snapshot fetched onto the restore source host', 'etcd snapshot read back', 'etcd snapshot copied to every member',
      'etcd data dir restored beside the current one', 'etcd stopped on every member',
      'etcd old data dir moved aside \\(kept\\) and the restored one moved in', 'etcd started on every member',
      'etcd health gate after the restore', 'etcd revision and key count of every member against the snapshot',
      'etcd restored data matches the snapshot',
    ]) {
      match(result.stdout, new RegExp(`TASK \\[${step}`));
    }
    deepStrictEqual(await memberState(), before);
    strictEqual((await run(BACKUP_HOST, 'ls /var/lib/etcd-restore 2>/dev/null || true')).trim(), '', 'nothing staged');
  });

  it('acceptance 6: a corrupted snapshot is refused before any member is stopped', async () => {
    const before = await memberState();
    const good = `${LOCAL_DIR}/${snapshot}`;
    // Garbage in the middle breaks the database itself; one flipped byte of the trailing checksum breaks
    // only the hash that `snapshot restore` checks.
    const corruptions = {
      '/root/garbage.db': `cp ${good} /root/garbage.db && head -c 8192 /dev/urandom | dd of=/root/garbage.db bs=1 seek=100000 conv=notrunc status=none`,
      '/root/bad-hash.db': `cp ${good} /root/bad-hash.db && size=$(stat -c %s /root/bad-hash.db) && printf '\\377' | dd of=/root/bad-hash.db bs=1 seek=$((size - 1)) conv=notrunc status=none && ! cmp -s ${good} /root/bad-hash.db`,
    };
    for (const [file, corrupt] of Object.entries(corruptions)) {
      await run(BACKUP_HOST, corrupt);
      const result = await restore('-e', `snapshot=${file}`, '-e', 'confirm=yes');
      strictEqual(result.code, 2, result.stdout + result.stderr);
      match(result.stdout, /refusing it/, file);
      strictEqual(/TASK \[etcd stopped on every member\]/.test(result.stdout), false, `${file}: the stop step never started`);
      deepStrictEqual(await memberState(), before, `${file}: every member still running as before, no data dir moved`);
    }
    strictEqual(Object.keys(await readKeys(client)).length, KEYS);
  });

  it('acceptance 3: every member stopped and its data deleted; the off-site copy brings all 10,000 keys back, the old data dirs kept aside', async () => {
    const clusterId = (await run('n2', `${ETCDCTL} endpoint status -w json`)).match(/"cluster_id":(\d+)/)![1];
    await onMembers('systemctl stop etcd');
    await onMembers('rm -rf /var/lib/etcd/member && touch /var/lib/etcd/lost-member-data');
    // The local copies are lost with the disaster too: the restore has only the off-site one.
    await run(BACKUP_HOST, `rm -f ${LOCAL_DIR}/*.db`);

    const started = Date.now();
    const result = await restore('-e', `snapshot=offsite:snapshots/etcd/${snapshot}`, '-e', 'confirm=yes');
    const seconds = (Date.now() - started) / 1000;
    strictEqual(result.code, 0, result.stdout + result.stderr);
    process.stdout.write(`      (restore of 3 members from the off-site copy: ${seconds.toFixed(1)} s)\n`);
    for (const host of MEMBERS) match(await run(host, `${ETCDCTL} endpoint health 2>&1`), /is healthy/);
    for (const host of MEMBERS) match(result.stdout, new RegExp(`${host}: revision ${SNAPSHOT_NAME.exec(snapshot)![1]} \\(snapshot ${SNAPSHOT_NAME.exec(snapshot)![1]}\\), \\d+ keys`));

    const keys = await readKeys(client);
    strictEqual(Object.keys(keys).length, KEYS);
    for (let i = 0; i < KEYS; i++) strictEqual(keys[keyOf(i)], valueOf(i), keyOf(i));

    for (const host of MEMBERS) {
      const aside = (await run(host, 'ls -d /var/lib/etcd.before-restore-*')).trim().split('\n');
      strictEqual(aside.length, 1, `${host}: one old data dir kept`);
      match(await run(host, `ls ${aside[0]}`), /lost-member-data/, `${host}: the old data dir is the one that was there`);
    }
    const newId = (await run('n2', `${ETCDCTL} endpoint status -w json`)).match(/"cluster_id":(\d+)/)![1];
    notStrictEqual(newId, clusterId, 'a new cluster (new token), not the old one resumed');
    // The auth state comes back with the snapshot: auth on, prometheus with no role.
    match(await run('n2', `${ETCDCTL} auth status`), /Authentication Status: true/);
    match(await run('n2', `${ETCDCTL} user get prometheus`), /^Roles:\s*$/m);
    await client.put('app/after-restore').value('writable');
    strictEqual(await client.get('app/after-restore').string(), 'writable');
  });

  it('snapshot=latest over a running cluster goes back to the newest backup; the live data dir is kept aside whole', async () => {
    const now = await etcdops(['backup', 'now', '-i', inventory, '--output', 'plain']);
    strictEqual(now.code, 0, now.stdout + now.stderr);
    const newest = /snapshot (\S+) from/.exec(now.stdout)![1]!;
    await client.put('app/after-the-backup').value('lost by the restore');

    const before = await memberState();
    const refused = await restore('-e', 'snapshot=latest');
    strictEqual(refused.code, 2, refused.stdout + refused.stderr);
    match(refused.stdout, new RegExp(`a restore replaces the data of every member \\(${LOCAL_DIR}/${newest}: .* will be lost\\)\\. Nothing was changed; run again with -e confirm=yes`));
    strictEqual(/TASK \[etcd snapshot fetched onto the restore source host\]/.test(refused.stdout), false, 'refused before the first step that changes anything');
    deepStrictEqual(await memberState(), before, 'every member still running as before');
    strictEqual(await client.get('app/after-the-backup').string(), 'lost by the restore');

    // On a terminal the operator is asked instead, and a typed yes goes ahead.
    const asked = etcdopsInTerminal(['play', playbook('restore.yml'), '-i', inventory, '--output', 'plain', '-e', 'snapshot=latest']);
    await outputSeen(asked.child, new RegExp(`\\(${LOCAL_DIR}/${newest}: .* will be lost\\)\\. Type yes to restore: `), 120_000);
    asked.child.stdin!.write('yes\r');
    const result = await asked.done;
    strictEqual(result.code, 0, result.stdout + result.stderr);
    match(result.stdout, new RegExp(`restoring ${LOCAL_DIR}/${newest}`));
    strictEqual(await client.get('app/after-the-backup').string(), null);
    strictEqual(Object.keys(await readKeys(client)).length, KEYS + 1, 'the 10,000 keys and the one written after the first restore');
    for (const host of MEMBERS) {
      const aside = (await run(host, 'ls -d /var/lib/etcd.before-restore-*')).trim().split('\n').sort();
      strictEqual(aside.length, 2, `${host}: both old data dirs kept`);
      match(await run(host, `ls ${aside[1]}/member/snap ${aside[1]}/member/wal`), /db[\s\S]*\.wal/, `${host}: the live data, whole`);
    }
  });

  it('a restore that fails after the data swap on one member: the printed steps bring the old cluster back, with its newer writes', async () => {
    const clusterId = (await run('n2', `${ETCDCTL} endpoint status -w json`)).match(/"cluster_id":(\d+)/)![1];
    await client.put('app/after-the-last-backup').value('kept by going back');
    // n3 cannot start etcd any more, which the running etcd does not notice until the restore restarts it.
    await run('n3', 'mkdir -p /etc/systemd/system/etcd.service.d && printf "[Service]\\nExecStartPre=/bin/false\\n" > /etc/systemd/system/etcd.service.d/zz-broken.conf && systemctl daemon-reload');
    const failed = await restore('-e', 'snapshot=latest', '-e', 'confirm=yes');
    strictEqual(failed.code, 2, failed.stdout + failed.stderr);
    match(failed.stdout, /etcd did not start on n3 with the restored data/);
    const steps = /on every\s+member run: (systemctl stop etcd && mv \S+ \S+ && mv \S+ \S+)\s+and then start etcd on all members at the same time/.exec(failed.stdout);
    ok(steps, `the recovery steps are printed:\n${failed.stdout.slice(-3000)}`);

    // The operator fixes the cause, then follows the printed steps.
    await run('n3', 'rm /etc/systemd/system/etcd.service.d/zz-broken.conf && systemctl daemon-reload');
    await onMembers(steps![1]!);
    await onMembers('systemctl start etcd');
    for (const host of MEMBERS) match(await run(host, `${ETCDCTL} endpoint health 2>&1`), /is healthy/);
    const after = (await run('n2', `${ETCDCTL} endpoint status -w json`)).match(/"cluster_id":(\d+)/)![1];
    strictEqual(after, clusterId, 'the cluster from before the restore, not the restored one');
    strictEqual(await client.get('app/after-the-last-backup').string(), 'kept by going back');
    strictEqual(Object.keys(await readKeys(client)).length, KEYS + 2);
  });
});
