// monitoring.yml stands the stack up on the lab: site.yml builds three members (n1-n3), monitoring.yml
// installs node_exporter on them and Prometheus with Alertmanager on n4 from the mirror's release
// tarballs. Faults on the cluster then fire alerts that reach a webhook listener of this test (on the lab
// bridge) and resolve once the fault is cleared. Short for:, scrape and evaluation intervals come from
// variables set here; the shipped defaults are untouched.
import { deepStrictEqual, notStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Etcd3 } from 'etcd3';
import type { LabInfo } from '../../src/lab/lab.js';
import { clusterClient } from './backup-lab.js';
import { etcdops, jsonEvents, recapOf } from './etcdops-cli.js';
import { sshRun, useLab } from './lab-fixture.js';
import { inventoryVariant } from './inventory-variant.js';

const playbook = (name: string) => fileURLToPath(new URL(`../../playbooks/${name}`, import.meta.url));
const MEMBERS = ['n1', 'n2', 'n3'];
const PROMETHEUS_HOST = 'n4';
const RULES = '/etc/prometheus/etcd/etcd-rules.yml';
// A 16 MiB quota: filling 80 % of it takes seconds.
const QUOTA = 16 * 1024 * 1024;

interface Target {
  labels: Record<string, string>;
  health: string;
}
interface Notified {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
}

/** A client of one member, with the admin certificate site.yml left beside the inventory. */
function memberClient(lab: LabInfo, address: string): Etcd3 {
  const pki = join(lab.stateDir, '.etcdops', 'pki');
  return new Etcd3({
    hosts: [`https://${address}:2379`],
    credentials: { rootCertificate: readFileSync(join(pki, 'ca.crt')), certChain: readFileSync(join(pki, 'admin.crt')), privateKey: readFileSync(join(pki, 'admin.key')) },
  });
}

/** What the run changed (or, in check mode, would change) on `host`, sorted. */
function changedTargets(stdout: string, host: string): string[] {
  return jsonEvents(stdout)
    .filter((e) => e.event === 'host_result' && e.host === host && e.status === 'CHANGED')
    .flatMap((e) => (e.changes as { target: string }[]).map((c) => c.target))
    .sort();
}

/** Polls `read` until `done` holds for its value, or fails with the last value after `timeoutMs`. */
async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let failure: unknown;
  while (Date.now() < deadline) {
    try {
      last = await read();
      failure = undefined;
      if (done(last)) return last;
    } catch (error) {
      failure = error;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}; last seen: ${failure ? String(failure) : JSON.stringify(last, null, 1)?.slice(-3000)}`);
}

describe('monitoring.yml: Prometheus, Alertmanager and node_exporter on the lab, alerts reaching a webhook', function () {
  this.timeout(300_000);
  const lab = useLab('mon1', 4);
  const address = (host: string) => lab().hosts.find((h) => h.name === host)!.address;
  const run = async (host: string, command: string) => {
    const result = await sshRun(lab(), host, command);
    strictEqual(result.code, 0, `${host}: ${command}: ${result.stderr}`);
    return result.stdout;
  };
  // Every notification Alertmanager posts to the webhook, alert by alert, in arrival order.
  const notified: Notified[] = [];
  let webhook: Server | undefined;
  let webhookUrl = '';
  let inventory = '';

  const api = () => `http://${address(PROMETHEUS_HOST)}:9090`;
  const get = async <T>(path: string): Promise<T> => {
    const body = (await (await fetch(`${api()}${path}`)).json()) as { status: string; data: T };
    strictEqual(body.status, 'success', `${path}: ${JSON.stringify(body)}`);
    return body.data;
  };
  const targets = () => get<{ activeTargets: Target[] }>('/api/v1/targets?state=active').then((d) => d.activeTargets);
  const vars = () => ({
    etcd_monitoring_scrape_interval: '2s',
    etcd_monitoring_rule_interval: '2s',
    etcd_monitoring_group_wait: '1s',
    etcd_monitoring_group_interval: '2s',
    etcd_monitoring_webhook_url: webhookUrl,
    etcd_monitoring_backup_max_age_seconds: 20,
    etcd_monitoring_alert_for: { EtcdMemberDown: '4s', EtcdInsufficientMembers: '4s', EtcdNoLeader: '4s', EtcdDatabaseNearQuota: '2s', EtcdBackupStale: '0s' },
  });
  /** The largest database file of the members, each asked on its own. */
  const largestDatabase = async () => {
    const sizes = await Promise.all(
      MEMBERS.map(async (member) => {
        const client = memberClient(lab(), address(member));
        try {
          return Number((await client.maintenance.status()).dbSize);
        } finally {
          client.close();
        }
      }),
    );
    return Math.max(...sizes);
  };
  const monitoring = (extra: Record<string, unknown> = {}) =>
    etcdops(['play', playbook('monitoring.yml'), '-i', inventory, '--output', 'json', '-e', JSON.stringify({ ...vars(), ...extra })]);
  /** Waits for a notification of `alert` (matching `labels`) with `status`, received after `since` notifications. */
  const notification = (since: number, status: Notified['status'], alert: string, labels: Record<string, string> = {}) =>
    waitFor(
      `${alert} ${JSON.stringify(labels)} ${status} at the webhook`,
      async () => notified.slice(since),
      (seen) => seen.some((n) => n.status === status && n.labels.alertname === alert && Object.entries(labels).every(([k, v]) => n.labels[k] === v)),
      90_000,
    );

  before(async () => {
    // The lab's fourth host leaves the etcd group for the prometheus group; the file sits in the lab's
    // folder, so the PKI lands where clusterClient reads it.
    inventory = inventoryVariant(lab().inventory, 'monitoring', (parsed) => {
      const hosts = parsed.all.children.etcd.hosts as Record<string, unknown>;
      parsed.all.children.prometheus = { hosts: { [PROMETHEUS_HOST]: hosts[PROMETHEUS_HOST] } };
      delete hosts[PROMETHEUS_HOST];
      parsed.all.vars.etcd_quota_backend_bytes = QUOTA;
    });
    webhook = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        const payload = JSON.parse(body) as { alerts: Notified[] };
        for (const alert of payload.alerts) notified.push({ status: alert.status, labels: alert.labels });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => webhook!.listen(0, lab().bridgeAddress, resolve));
    webhookUrl = `http://${lab().bridgeAddress}:${(webhook.address() as { port: number }).port}/alerts`;
  });
  after(() => webhook?.close());

  it('builds a 3-member cluster with a small quota', async () => {
    const site = await etcdops(['play', playbook('site.yml'), '-i', inventory, '--output', 'json']);
    strictEqual(site.code, 0, site.stdout.slice(-3000) + site.stderr);
  });

  it('installs the stack, checks --check first, then changes nothing on a second run; every member target is up', async () => {
    const check = await etcdops(['play', playbook('monitoring.yml'), '-i', inventory, '--check', '--output', 'json', '-e', JSON.stringify(vars())]);
    strictEqual(check.code, 0, check.stdout.slice(-3000) + check.stderr);
    ok(recapOf(check.stdout)[PROMETHEUS_HOST]!.changed > 5, 'check mode shows the changes it would make');
    strictEqual((await sshRun(lab(), PROMETHEUS_HOST, 'test -e /etc/systemd/system/prometheus.service')).code, 1, 'check mode installed nothing');

    const first = await monitoring();
    strictEqual(first.code, 0, first.stdout.slice(-3000) + first.stderr);
    for (const host of [...MEMBERS, PROMETHEUS_HOST]) ok(recapOf(first.stdout)[host]!.changed > 0, host);
    const again = await monitoring();
    strictEqual(again.code, 0, again.stdout.slice(-3000) + again.stderr);
    for (const host of [...MEMBERS, PROMETHEUS_HOST]) strictEqual(recapOf(again.stdout)[host]!.changed, 0, `${host} changed something on a second run`);

    const up = await waitFor('every target up', targets, (t) => t.length === 6 && t.every((x) => x.health === 'up'));
    deepStrictEqual(
      up.map((t) => `${t.labels.job}/${t.labels.member}`).sort(),
      [...MEMBERS.map((m) => `etcd-backup/${m}`), ...MEMBERS.map((m) => `etcd/${m}`)],
    );
    strictEqual((await run(PROMETHEUS_HOST, 'systemctl is-active prometheus alertmanager')).trim(), 'active\nactive');
    // Its receivers carry credentials: readable by root and the service's group only.
    strictEqual((await run(PROMETHEUS_HOST, 'stat -c "%a %U %G" /etc/prometheus/alertmanager/alertmanager.yml')).trim(), '640 root prometheus');
    for (const member of MEMBERS) strictEqual((await run(member, 'systemctl is-active node_exporter')).trim(), 'active');
  });

  it('refuses rules promtool rejects, leaving the running configuration untouched', async () => {
    const before = await run(PROMETHEUS_HOST, `cat ${RULES}`);
    const pid = (await run(PROMETHEUS_HOST, 'systemctl show -p MainPID --value prometheus')).trim();
    const result = await monitoring({ etcd_monitoring_rule_interval: '30x' });
    notStrictEqual(result.code, 0, result.stdout.slice(-3000));
    ok(result.stdout.includes('not a valid duration string: \\"30x\\"'), result.stdout.slice(-3000));
    strictEqual(await run(PROMETHEUS_HOST, `cat ${RULES}`), before);
    strictEqual((await run(PROMETHEUS_HOST, 'systemctl show -p MainPID --value prometheus')).trim(), pid, 'Prometheus kept running');
  });

  it('reloads Prometheus, without a restart, when the rules change', async () => {
    const pid = (await run(PROMETHEUS_HOST, 'systemctl show -p MainPID --value prometheus')).trim();
    const changed = await monitoring({ etcd_monitoring_leader_changes_max: 4 });
    strictEqual(changed.code, 0, changed.stdout.slice(-3000));
    ok((await run(PROMETHEUS_HOST, `cat ${RULES}`)).includes('[30m]) > 4'));
    strictEqual((await run(PROMETHEUS_HOST, 'systemctl show -p MainPID --value prometheus')).trim(), pid, 'the same process');
    await waitFor(
      'the new rule loaded',
      () => get<{ groups: { rules: { name: string; query: string }[] }[] }>('/api/v1/rules'),
      (d) => d.groups.some((g) => g.rules.some((r) => r.name === 'EtcdFrequentLeaderChanges' && r.query.includes('> 4'))),
    );
    strictEqual((await monitoring()).code, 0);
  });

  // A run that wrote the files and failed (or was killed) before reloading leaves them newer than what the
  // services run: the next run writes nothing, yet reloads both, and a run after it changes nothing.
  it('reloads the configurations a failed run left written but not loaded, then changes nothing', async () => {
    const owed = { etcd_monitoring_scrape_interval: '3s', etcd_monitoring_group_wait: '2s' };
    const pids = await run(PROMETHEUS_HOST, 'systemctl show -p MainPID --value prometheus alertmanager');
    // The files as that run left them: checked in the staging folder, then put in place.
    for (const folder of ['/etc/prometheus/etcd/.staging', '/etc/prometheus/etcd']) {
      await run(PROMETHEUS_HOST, `sed -i 's/scrape_interval: "2s"/scrape_interval: "3s"/' ${folder}/etcd.yml`);
    }
    for (const folder of ['/etc/prometheus/alertmanager/.staging', '/etc/prometheus/alertmanager']) {
      await run(PROMETHEUS_HOST, `sed -i 's/group_wait: "1s"/group_wait: "2s"/' ${folder}/alertmanager.yml`);
    }
    const check = await etcdops(['play', playbook('monitoring.yml'), '-i', inventory, '--check', '--output', 'json', '-e', JSON.stringify({ ...vars(), ...owed })]);
    strictEqual(check.code, 0, check.stdout.slice(-3000));
    deepStrictEqual(changedTargets(check.stdout, PROMETHEUS_HOST), ['alertmanager.service', 'prometheus.service'], 'check mode shows the two owed reloads and nothing else');
    const reloaded = await monitoring(owed);
    strictEqual(reloaded.code, 0, reloaded.stdout.slice(-3000));
    deepStrictEqual(changedTargets(reloaded.stdout, PROMETHEUS_HOST), ['alertmanager.service', 'prometheus.service'], 'the two reloads and nothing else');
    const config = await get<{ yaml: string }>('/api/v1/status/config');
    ok(config.yaml.includes('scrape_interval: 3s'), config.yaml);
    const alertmanager = (await (await fetch(`http://${address(PROMETHEUS_HOST)}:9093/api/v2/status`)).json()) as { config: { original: string } };
    ok(alertmanager.config.original.includes('group_wait: 2s'), alertmanager.config.original);
    strictEqual(await run(PROMETHEUS_HOST, 'systemctl show -p MainPID --value prometheus alertmanager'), pids, 'reloaded, not restarted');
    const again = await monitoring(owed);
    strictEqual(again.code, 0, again.stdout.slice(-3000));
    for (const host of [...MEMBERS, PROMETHEUS_HOST]) strictEqual(recapOf(again.stdout)[host]!.changed, 0, `${host} changed something on a second run`);
    strictEqual((await monitoring()).code, 0, 'the shipped test intervals back');
  });

  it('notifies EtcdMemberDown for a stopped member, then its resolution', async () => {
    const since = notified.length;
    await run('n3', 'systemctl stop etcd');
    await notification(since, 'firing', 'EtcdMemberDown', { member: 'n3', cluster: 'etcd' });
    await run('n3', 'systemctl start etcd');
    await notification(since, 'resolved', 'EtcdMemberDown', { member: 'n3' });
    deepStrictEqual(notified.slice(since).filter((n) => n.labels.alertname === 'EtcdInsufficientMembers'), [], 'two of three keep the quorum');
  });

  it('notifies EtcdInsufficientMembers and EtcdNoLeader when two of three members stop, then their resolution', async () => {
    const since = notified.length;
    await run('n2', 'systemctl stop etcd');
    await run('n3', 'systemctl stop etcd');
    await notification(since, 'firing', 'EtcdInsufficientMembers', { cluster: 'etcd', severity: 'critical' });
    await notification(since, 'firing', 'EtcdNoLeader', { member: 'n1' });
    // With Type=notify each start waits for a quorum: both start at once.
    await Promise.all([run('n2', 'systemctl start etcd'), run('n3', 'systemctl start etcd')]);
    await notification(since, 'resolved', 'EtcdInsufficientMembers', { cluster: 'etcd' });
    await notification(since, 'resolved', 'EtcdNoLeader', { member: 'n1' });
  });

  it('notifies EtcdDatabaseNearQuota when the database fills 80 % of its quota, then its resolution after compaction and defragmentation', async () => {
    const since = notified.length;
    const client = clusterClient(lab());
    try {
      // Quarter-MiB values until some member's database passes 82 % of the quota; the largest one is
      // watched, as every member refuses writes (NOSPACE) once its own file would pass the quota.
      const value = Buffer.alloc(256 * 1024, 'q');
      for (let i = 0; (await largestDatabase()) < 0.82 * QUOTA; i++) {
        ok(i < 80, 'the database grows with the writes');
        await client.put(`fill/${i}`).value(value).exec();
      }
      await notification(since, 'firing', 'EtcdDatabaseNearQuota', { severity: 'warning' });
      const deleted = await client.delete().prefix('fill/').exec();
      await client.kv.compact({ revision: deleted.header.revision, physical: true });
      await client.put('fill-done').value('1').exec();
    } finally {
      client.close();
    }
    const defrag = await etcdops(['play', playbook('defrag.yml'), '-i', inventory, '--output', 'json', '-e', 'etcd_defrag_min_free_mib=0', '-e', 'etcd_defrag_min_free_percent=0']);
    strictEqual(defrag.code, 0, defrag.stdout.slice(-3000));
    await notification(since, 'resolved', 'EtcdDatabaseNearQuota', { severity: 'warning' });
  });

  it('notifies EtcdBackupStale once the backup timer stopped past the freshness limit, then its resolution after a backup', async () => {
    const install = await etcdops(['play', playbook('backup.yml'), '-i', inventory, '--output', 'json']);
    strictEqual(install.code, 0, install.stdout.slice(-3000));
    const since = notified.length;
    strictEqual((await etcdops(['backup', 'now', '-i', inventory, '--output', 'plain'])).code, 0);
    await run('n1', 'systemctl stop etcd-backup.timer');
    await notification(since, 'firing', 'EtcdBackupStale', { cluster: 'etcd', severity: 'critical' });
    const fresh = notified.length;
    strictEqual((await etcdops(['backup', 'now', '-i', inventory, '--output', 'plain'])).code, 0);
    await notification(fresh, 'resolved', 'EtcdBackupStale', { cluster: 'etcd' });
    await run('n1', 'systemctl start etcd-backup.timer');
  });

  // A run that wrote the backup service's unit and failed before its handler reloaded systemd: the next
  // run writes nothing, yet systemd loads the file before the timer starts the service again.
  it('makes systemd load a backup service file a failed run left unloaded, then changes nothing', async () => {
    const unit = '/etc/systemd/system/etcd-backup.service';
    const backup = () => etcdops(['play', playbook('backup.yml'), '-i', inventory, '--output', 'json', '-e', JSON.stringify({ etcd_backup_run_timeout: '20min' })]);
    await run('n1', `sed -i 's/^TimeoutStartSec=30min$/TimeoutStartSec=20min/' ${unit}`);
    strictEqual(await run('n1', 'systemctl show -p NeedDaemonReload --value etcd-backup.service'), 'yes\n');
    const loaded = await backup();
    strictEqual(loaded.code, 0, loaded.stdout.slice(-3000));
    strictEqual(await run('n1', 'systemctl show -p TimeoutStartUSec,NeedDaemonReload --value etcd-backup.service'), '20min\nno\n');
    const again = await backup();
    strictEqual(again.code, 0, again.stdout.slice(-3000));
    for (const host of MEMBERS) strictEqual(recapOf(again.stdout)[host]!.changed, 0, `${host} changed something on a second run`);
  });

  // etcd exports every gRPC method and code from the start (at 0), and the scenarios above made the rest
  // (a backup, elections, writes): no panel waits for an event the lab has not had.
  it('answers every dashboard query with data', async () => {
    const dashboard = JSON.parse(await run(PROMETHEUS_HOST, 'cat /etc/prometheus/etcd/grafana/etcd.json')) as { panels: { title: string; targets: { expr: string }[] }[] };
    const empty: string[] = [];
    for (const panel of dashboard.panels) {
      for (const { expr } of panel.targets) {
        const query = expr.replaceAll('$cluster', 'etcd');
        const data = await get<{ result: { value: [number, string] }[] }>(`/api/v1/query?query=${encodeURIComponent(query)}`);
        const numbers = data.result.filter((r) => Number.isFinite(Number(r.value[1])));
        if (numbers.length === 0) empty.push(`${panel.title}: ${query}`);
      }
    }
    deepStrictEqual(empty, [], 'dashboard queries without data');
  });
});
